/**
 * Writes a backup archive (`.tar.gz`, layout in FORMAT.md) to a stream: APP-META.INI, the SQL dump as
 * `database.sql`, the install's files under `files/`, and MANIFEST.jsonl last. Every byte is hashed as it streams; memory
 * stays flat whatever the tree size (one read buffer at a time).
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, readdir, readlink, stat } from 'node:fs/promises';
import { posix, join } from 'node:path';
import { PassThrough, type Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { EngineError, type Backup, type Install } from '@installgate/contracts';
import { writeAppMeta } from './app-meta-ini';
import { DUMP_FILE, FILES_ROOT, FORMAT_VERSION, META_FILE } from './archive-layout';
import { formatManifest, MANIFEST_FILE, type ManifestEntry } from './manifest';
import { TarWriter } from './tar-writer';
import { CountDumpRows } from '../dumps/count-dump-rows';
import { Sha256Tap } from '../streams/sha256-tap';
import { spoolToFile } from '../streams/spool-to-file';

export interface PackArchiveOptions {
  /** The install's folder. */
  dir: string;
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

export type PackRefusal = 'link-outside' | 'absolute-path' | 'parent-path' | 'unsupported-type' | 'changed';

/** A file the archive must not or cannot hold; errcode `internal_error`, `details.reason` says why. */
export class PackRefused extends EngineError {
  constructor(readonly reason: PackRefusal, readonly entryPath: string, message: string) {
    super('internal_error', { message: `Cannot back up ${JSON.stringify(entryPath.slice(0, 200))}: ${message}`, details: { reason, path: entryPath.slice(0, 200) } });
    this.name = 'PackRefused';
  }
}

function checkRelative(p: string): string {
  const norm = posix.normalize(p.replace(/\\/g, '/'));
  if (p.startsWith('/') || posix.isAbsolute(norm)) throw new PackRefused('absolute-path', p, 'absolute paths are not allowed.');
  if (norm === '..' || norm.startsWith('../') || norm.split('/').includes('..')) throw new PackRefused('parent-path', p, '".." is not allowed.');
  return norm.replace(/\/$/, '');
}

/**
 * Packs the archive into `opts.out` (ended on success, destroyed on failure). Symlinks are stored as symlinks
 * only when their target stays inside `dir` (else PackRefused `link-outside`); sockets, FIFOs and devices are
 * refused (`unsupported-type`); a file whose size changes while it is read fails with `changed`. Modes are kept.
 */
export async function packArchive(opts: PackArchiveOptions): Promise<PackArchiveResult> {
  const tarStream = new PassThrough({ highWaterMark: 1 << 20 });
  const tap = new Sha256Tap();
  const piping = pipeline(tarStream, createGzip({ level: opts.level ?? 6, memLevel: 9 }), tap, opts.out, { signal: opts.signal });
  piping.catch(() => undefined);
  const tar = new TarWriter(tarStream);
  const manifest: ManifestEntry[] = [];
  const excluded = new Set(opts.exclude.map(checkRelative));
  const isExcluded = (rel: string) => {
    for (let p = rel; p && p !== '.'; p = posix.dirname(p)) if (excluded.has(p)) return true;
    return false;
  };

  /** Streams one regular file into the archive, hashing as it goes. */
  const addFile = async (abs: string, name: string, size: number, mode: number, mtime: Date) => {
    await tar.header({ path: name, type: 'File', mode, size, mtime });
    const h = createHash('sha256');
    let seen = 0;
    const rs = createReadStream(abs, { highWaterMark: 1 << 20, end: size > 0 ? size - 1 : 0, start: 0 });
    if (size > 0) {
      for await (const chunk of rs as AsyncIterable<Buffer>) {
        opts.signal?.throwIfAborted();
        seen += chunk.length;
        h.update(chunk);
        await tar.write(chunk);
      }
    } else rs.destroy();
    if (seen !== size) throw new PackRefused('changed', name, `the file shrank from ${size} to ${seen} bytes while it was read.`);
    await tar.pad(size);
    manifest.push({ path: name, type: 'file', size, mode, sha256: h.digest('hex') });
  };

  const addPath = async (rel: string): Promise<void> => {
    if (isExcluded(rel)) return;
    opts.signal?.throwIfAborted();
    const abs = join(opts.dir, rel);
    const st = await lstat(abs);
    const name = `${FILES_ROOT}/${rel}`;
    const mode = st.mode & 0o7777;
    if (st.isDirectory()) {
      await tar.header({ path: `${name}/`, type: 'Directory', mode, mtime: st.mtime });
      manifest.push({ path: name, type: 'dir', mode });
      const names = (await readdir(abs)).sort();
      for (const n of names) await addPath(`${rel}/${n}`);
    } else if (st.isSymbolicLink()) {
      const target = await readlink(abs);
      const resolved = posix.normalize(posix.join(posix.dirname(rel), target));
      if (!target || target.startsWith('/') || resolved === '..' || resolved.startsWith('../')) {
        throw new PackRefused('link-outside', rel, `the symlink points outside the install (${target.slice(0, 200)}).`);
      }
      await tar.header({ path: name, type: 'SymbolicLink', mode, linkpath: target, mtime: st.mtime });
      manifest.push({ path: name, type: 'symlink', mode, target });
    } else if (st.isFile()) {
      await addFile(abs, name, st.size, mode, st.mtime);
    } else {
      throw new PackRefused('unsupported-type', rel, 'only files, folders and symlinks can be backed up.');
    }
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
      await addFileTo(tar, manifest, file, DUMP_FILE, (await stat(file)).size, opts.signal);
      for (const [table, rows] of counter.rows) manifest.push({ path: DUMP_FILE, type: 'rows', table, rows });
    }

    await tar.header({ path: `${FILES_ROOT}/`, type: 'Directory', mode: 0o755, mtime: new Date() });
    manifest.push({ path: FILES_ROOT, type: 'dir', mode: 0o755 });
    for (const top of [...new Set(opts.files.map(checkRelative))].sort()) {
      if (top.includes('/')) throw new PackRefused('parent-path', top, 'files must name top-level entries of the install.');
      await addPath(top);
    }

    await tar.entry(MANIFEST_FILE, Buffer.from(formatManifest(manifest), 'utf8'));
    await tar.finish();
    tarStream.end();
    await piping;
  } catch (e) {
    spool?.abort();
    tarStream.destroy(e as Error);
    await piping.catch(() => undefined);
    if (!opts.out.destroyed) opts.out.destroy(e as Error);
    throw e;
  } finally {
    await spool?.cleanup();
  }
  return { bytes: tap.bytes, sha256: tap.digest(), manifest };
}

async function addFileTo(tar: TarWriter, manifest: ManifestEntry[], abs: string, name: string, size: number, signal?: AbortSignal): Promise<void> {
  await tar.header({ path: name, type: 'File', mode: 0o600, size, mtime: new Date() });
  const h = createHash('sha256');
  let seen = 0;
  if (size > 0) {
    for await (const chunk of createReadStream(abs, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
      signal?.throwIfAborted();
      seen += chunk.length;
      h.update(chunk);
      await tar.write(chunk);
    }
  }
  if (seen !== size) throw new PackRefused('changed', name, 'the dump changed while it was archived.');
  await tar.pad(size);
  manifest.push({ path: name, type: 'file', size, mode: 0o600, sha256: h.digest('hex') });
}
