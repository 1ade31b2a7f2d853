/**
 * Writes a backup archive (`.tar.gz`, layout in FORMAT.md) to a stream: APP-META.INI, the SQL dump as
 * `database.sql`, the install's files under `files/`, and MANIFEST.jsonl last. Every byte is hashed as it streams; memory
 * stays flat whatever the tree size: files are read into a few reused buffers (READ_BUFFERS) that go straight into
 * gzip.
 */
import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { posix } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type { Backup, Install } from '@installgate/contracts';
import { writeAppMeta } from './app-meta-ini';
import { DUMP_FILE, FILES_ROOT, FORMAT_VERSION, META_FILE } from './archive-layout';
import { formatManifest, MANIFEST_FILE, type ManifestEntry } from './manifest';
import { checkLinkTarget, checkRelative, PackRefused } from './pack-refused';
import { localPackSource, type PackItem, type PackSource } from './pack-source';
import { TarWriter } from './tar-writer';
import { CountDumpRows } from '../dumps/count-dump-rows';
import { BufferPool, readIntoPool } from '../streams/buffer-pool';
import { Sha256Tap } from '../streams/sha256-tap';
import { spoolToFile } from '../streams/spool-to-file';

export { PackRefused, type PackRefusal } from './pack-refused';

/**
 * Read buffers of a backup, reused file after file: 4 × 256 KiB keeps reading one chunk ahead of gzip (which works
 * on the thread pool) with 1 MiB in flight, as the 1 MiB stream buffer before did — but the same 1 MiB throughout,
 * not a fresh buffer per read left for V8 to collect.
 */
const READ_BUFFERS = { count: 4, size: 256 << 10 };

/** Where the files come from: a folder on this machine (`dir`), or any other source (`sitePackSource`). */
export type PackFrom = { dir: string; source?: undefined } | { source: PackSource; dir?: undefined };

export type PackArchiveOptions = PackFrom & PackArchiveCommon;

export interface PackArchiveCommon {
  /** Top-level entries of the install to include (names relative to `dir`). */
  files: string[];
  /** Paths relative to `dir` to leave out (a folder leaves out everything below it). */
  exclude: string[];
  /** The SQL dump, opened once when its turn comes; omit for an install without a database. */
  dumpSql?: () => Readable;
  /** The record written to APP-META.INI (db_pass is never written). */
  meta: { record: Backup | Install; createdBy: string };
  out: Writable;
  /** gzip level, default 6 (as `gzip`/`tar czf`). */
  level?: number;
  signal?: AbortSignal;
}

export interface PackArchiveResult {
  /** Compressed bytes written to `out`. */
  bytes: number;
  /** sha256 of the compressed archive. */
  sha256: string;
  manifest: ManifestEntry[];
}

/**
 * Packs the archive into `opts.out` (ended on success, destroyed on failure). Symlinks are stored as symlinks
 * only when their target stays inside `dir` (else PackRefused `link-outside`); sockets, FIFOs and devices are
 * refused (`unsupported-type`); a file that shrinks or vanishes while it is read fails with `changed` (one that grows
 * is cut at the size it was listed with). Modes are kept. The same for every source: the files of a website on
 * another server (`source: sitePackSource(site, dir)`) give the same layout, manifest and refusals.
 */
export async function packArchive(opts: PackArchiveOptions): Promise<PackArchiveResult> {
  const gzip = createGzip({ level: opts.level ?? 6, memLevel: 9 });
  const tap = new Sha256Tap();
  const piping = pipeline(gzip, tap, opts.out, { signal: opts.signal });
  // Failures come through `piping`; an abort's late 'error' on a destroyed stage must not go uncaught (as in
  // spool-to-file.ts). The caller's `out` has its own listeners.
  for (const stream of [gzip, tap]) stream.on('error', () => undefined);
  const pool = new BufferPool(READ_BUFFERS.count, READ_BUFFERS.size);
  // A failed output may never call back the writes it held: readers waiting for a buffer fail instead of hanging.
  piping.catch((e: unknown) => pool.close(e));
  // Tar goes straight into gzip, whose write callback says when a read buffer can be reused.
  const tar = new TarWriter(gzip, READ_BUFFERS.count * READ_BUFFERS.size);
  const release = (chunk: Buffer) => () => pool.release(chunk);
  const manifest: ManifestEntry[] = [];
  const excluded = new Set(opts.exclude.map(checkRelative));
  const isExcluded = (rel: string) => {
    for (let p = rel; p && p !== '.'; p = posix.dirname(p)) if (excluded.has(p)) return true;
    return false;
  };

  const source = opts.source ? opts.source : localPackSource(opts.dir);

  /** Streams one regular file into the archive, hashing as it goes. */
  const addFile = async (item: PackItem, name: string) => {
    const { size, mode } = item;
    await tar.header({ path: name, type: 'File', mode, size, mtime: item.mtime });
    const h = createHash('sha256');
    let seen = 0;
    if (size > 0) {
      try {
        for await (const chunk of source.open(item, pool)) {
          opts.signal?.throwIfAborted();
          // A file that grew since it was listed is cut at the listed size (its header is already written).
          const part = seen + chunk.length > size ? chunk.subarray(0, size - seen) : chunk;
          seen += part.length;
          h.update(part);
          await tar.write(part, release(chunk));
          if (seen === size) break;
        }
      } catch (e) {
        throw source.failed(e, item.rel);
      }
    }
    if (seen !== size) throw new PackRefused('changed', name, `the file shrank from ${size} to ${seen} bytes while it was read.`);
    await tar.pad(size);
    manifest.push({ path: name, type: 'file', size, mode, sha256: h.digest('hex') });
  };

  /** How each kind of entry goes into the archive (`name` is its archive path). */
  const add: Record<PackItem['type'], (item: PackItem, name: string) => Promise<void>> = {
    dir: async (item, name) => {
      await tar.header({ path: `${name}/`, type: 'Directory', mode: item.mode, mtime: item.mtime });
      manifest.push({ path: name, type: 'dir', mode: item.mode });
    },
    symlink: async (item, name) => {
      const target = await source.readlink(item);
      checkLinkTarget(item.rel, target);
      await tar.header({ path: name, type: 'SymbolicLink', mode: item.mode, linkpath: target, mtime: item.mtime });
      manifest.push({ path: name, type: 'symlink', mode: item.mode, target });
    },
    file: addFile,
    other: async (item) => {
      throw new PackRefused('unsupported-type', item.rel, 'only files, folders and symlinks can be backed up.');
    },
  };

  // A stream of unknown length cannot go straight into tar, whose header holds the size first: the dump is spooled
  // to a private file (its rows counted on the way) and copied in from there.
  const counter = new CountDumpRows();
  const spool = opts.dumpSql ? spoolToFile(opts.dumpSql(), { through: counter, signal: opts.signal }) : null;
  try {
    const metaText = Buffer.from(
      writeAppMeta(opts.meta.record, { format_version: FORMAT_VERSION, created_by: opts.meta.createdBy, manifest_sha256: '', dump_file: DUMP_FILE, files_root: FILES_ROOT }),
      'utf8',
    );
    await tar.entry(META_FILE, metaText);
    manifest.push({ path: META_FILE, type: 'file', size: metaText.length, mode: 0o644, sha256: createHash('sha256').update(metaText).digest('hex') });

    // The dump goes before the files: a restore then loads it into the database while the files unpack (the
    // database server and the unpacking work at the same time) instead of after them.
    if (spool) {
      const file = await spool.done;
      await addFileTo(tar, pool, manifest, file, DUMP_FILE, (await stat(file)).size, opts.signal);
      for (const [table, rows] of counter.rows) manifest.push({ path: DUMP_FILE, type: 'rows', table, rows });
    }

    await tar.header({ path: `${FILES_ROOT}/`, type: 'Directory', mode: 0o755, mtime: new Date() });
    manifest.push({ path: FILES_ROOT, type: 'dir', mode: 0o755 });
    const tops = [...new Set(opts.files.map(checkRelative))].sort();
    for (const top of tops) {
      if (top.includes('/')) throw new PackRefused('parent-path', top, 'files must name top-level entries of the install.');
    }
    // In walk order, a folder before what it holds.
    for await (const item of source.items(tops, isExcluded)) {
      opts.signal?.throwIfAborted();
      await add[item.type](item, `${FILES_ROOT}/${item.rel}`);
    }

    await tar.entry(MANIFEST_FILE, Buffer.from(formatManifest(manifest), 'utf8'));
    await tar.finish();
    gzip.end();
    await piping;
  } catch (e) {
    spool?.abort();
    pool.close(e);
    gzip.destroy(e as Error);
    await piping.catch(() => undefined);
    if (!opts.out.destroyed) opts.out.destroy(e as Error);
    throw e;
  } finally {
    await spool?.cleanup();
  }
  return { bytes: tap.bytes, sha256: tap.digest(), manifest };
}

async function addFileTo(tar: TarWriter, pool: BufferPool, manifest: ManifestEntry[], abs: string, name: string, size: number, signal?: AbortSignal): Promise<void> {
  await tar.header({ path: name, type: 'File', mode: 0o600, size, mtime: new Date() });
  const h = createHash('sha256');
  let seen = 0;
  if (size > 0) {
    for await (const chunk of readIntoPool(abs, size, pool)) {
      signal?.throwIfAborted();
      seen += chunk.length;
      h.update(chunk);
      await tar.write(chunk, () => pool.release(chunk));
    }
  }
  if (seen !== size) throw new PackRefused('changed', name, 'the dump changed while it was archived.');
  await tar.pad(size);
  manifest.push({ path: name, type: 'file', size, mode: 0o600, sha256: h.digest('hex') });
}
