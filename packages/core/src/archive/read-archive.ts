/**
 * Reads a backup archive as a stream, checking as it goes what every consumer needs: gzip and tar integrity, the
 * layout (APP-META.INI first, MANIFEST.jsonl last, everything else under `files/` or the dump), node-tar-style
 * path safety (no absolute paths, no `..`, no hard links, devices or FIFOs, symlinks only inside `files/`), and at
 * the end every entry's size, type, mode and sha256 against the manifest.
 */
import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { EngineError } from '@installgate/contracts';
import { Parser, type ReadEntry } from 'tar';
import { feedParser } from './feed-parser';
import { Sha256Tap } from '../streams/sha256-tap';
import { readAppMeta, type AppMeta } from './app-meta-ini';
import { DUMP_FILE, FILES_ROOT, META_FILE } from './archive-layout';
import { MANIFEST_FILE, parseManifest, type ManifestEntry } from './manifest';

export type BackupFormatReason =
  | 'gzip'
  | 'tar'
  | 'no-meta'
  | 'meta'
  | 'manifest'
  | 'truncated'
  | 'checksum'
  | 'unexpected-entry'
  | 'absolute-path'
  | 'parent-path'
  | 'link-outside'
  | 'hardlink'
  | 'device'
  | 'unsupported-type'
  | 'through-symlink'
  | 'exists'
  | 'too-large';

/** The archive is not a valid, intact backup. errcode `failed_backup_format`; `details.reason` says why. */
export class BackupFormatError extends EngineError {
  constructor(readonly reason: BackupFormatReason, message: string, readonly entryPath?: string) {
    super('failed_backup_format', { message, details: { reason, ...(entryPath !== undefined ? { entry: entryPath.slice(0, 200) } : {}) } });
    this.name = 'BackupFormatError';
  }
}

/** One entry as the visitor sees it: `body` must be consumed (piped, read or resumed) for reading to go on. */
export interface ArchiveEntry {
  /** Archive path without a trailing slash, e.g. `files/wp-config.php`. */
  path: string;
  type: 'file' | 'dir' | 'symlink';
  mode: number;
  size: number;
  target?: string;
  body: Readable;
}

export interface ReadArchiveOptions {
  /** Called for every entry between APP-META.INI and MANIFEST.jsonl, in order, one at a time. */
  visit?: (entry: ArchiveEntry, meta: AppMeta) => Promise<void>;
  /** Limits against archive bombs: entries (default 2 million) and unpacked bytes (default 1 TiB). */
  maxEntries?: number;
  maxBytes?: number;
}

const TYPES: Record<string, ArchiveEntry['type']> = { File: 'file', OldFile: 'file', ContiguousFile: 'file', Directory: 'dir', SymbolicLink: 'symlink' };
const DEVICE_TYPES = new Set(['CharacterDevice', 'BlockDevice', 'FIFO']);

/** Checks an archive path and returns it normalised (no trailing slash). */
export function safeEntryPath(raw: string): string {
  if (raw.startsWith('/') || /^[A-Za-z]:[\\/]/.test(raw) || raw.startsWith('\\\\')) throw new BackupFormatError('absolute-path', `Refused archive entry with an absolute path: ${raw.slice(0, 200)}`, raw);
  const parts = raw.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.includes('..') || raw.includes('\\')) throw new BackupFormatError('parent-path', `Refused archive entry with "..": ${raw.slice(0, 200)}`, raw);
  return parts.join('/');
}

/**
 * Reads the whole archive. Resolves with the meta and manifest once every entry matched the manifest; rejects
 * with BackupFormatError (`failed_backup_format`) on anything else, or with the visitor's error.
 */
export async function readArchive(input: Readable, opts: ReadArchiveOptions = {}): Promise<{ meta: AppMeta; manifest: ManifestEntry[] }> {
  const maxEntries = opts.maxEntries ?? 2_000_000;
  const maxBytes = opts.maxBytes ?? 2 ** 40;
  const seen = new Map<string, ManifestEntry>();
  let meta: AppMeta | undefined;
  let manifest: ManifestEntry[] | undefined;
  let count = 0;
  let total = 0;

  const collect = async (entry: ReadEntry, limit: number): Promise<Buffer> => {
    const chunks: Buffer[] = [];
    let n = 0;
    for await (const c of entry as AsyncIterable<Buffer>) {
      n += c.length;
      if (n > limit) throw new BackupFormatError('too-large', `${entry.path} is too large.`, entry.path);
      chunks.push(c);
    }
    return Buffer.concat(chunks);
  };

  const handle = async (entry: ReadEntry) => {
    if (manifest) throw new BackupFormatError('unexpected-entry', `Entry after ${MANIFEST_FILE}: ${entry.path.slice(0, 200)}`, entry.path);
    if (++count > maxEntries) throw new BackupFormatError('too-large', `The archive has more than ${maxEntries} entries.`);
    const raw = entry.path;
    if (DEVICE_TYPES.has(entry.type)) throw new BackupFormatError('device', `Refused device or FIFO entry: ${raw.slice(0, 200)}`, raw);
    if (entry.type === 'Link') throw new BackupFormatError('hardlink', `Refused hard link entry: ${raw.slice(0, 200)}`, raw);
    const type = TYPES[entry.type];
    if (!type) throw new BackupFormatError('unsupported-type', `Refused entry of type ${entry.type}: ${raw.slice(0, 200)}`, raw);
    const path = safeEntryPath(raw);
    const mode = (entry.mode ?? 0) & 0o7777;
    const size = type === 'file' ? entry.size ?? 0 : 0;
    total += size;
    if (total > maxBytes) throw new BackupFormatError('too-large', `The archive unpacks to more than ${maxBytes} bytes.`);

    if (!meta) {
      if (path !== META_FILE || type !== 'file') throw new BackupFormatError('no-meta', `The archive does not start with ${META_FILE}.`, raw);
      const body = await collect(entry, 1 << 20);
      seen.set(path, { path, type: 'file', size: body.length, mode, sha256: createHash('sha256').update(body).digest('hex') });
      meta = readAppMeta(body.toString('utf8'));
      return;
    }
    if (path === MANIFEST_FILE) {
      // ~150 bytes a line: 256 MiB is well over a million entries.
      manifest = parseManifest((await collect(entry, 256 << 20)).toString('utf8'));
      return;
    }
    const underFiles = path === FILES_ROOT || path.startsWith(`${FILES_ROOT}/`);
    if (!underFiles && !(path === (meta.dump_file || DUMP_FILE) && type === 'file')) {
      throw new BackupFormatError('unexpected-entry', `Unexpected archive entry: ${raw.slice(0, 200)}`, raw);
    }
    if (seen.has(path)) throw new BackupFormatError('unexpected-entry', `Duplicate archive entry: ${raw.slice(0, 200)}`, raw);
    let target: string | undefined;
    if (type === 'symlink') {
      target = entry.linkpath ?? '';
      const resolved = posix.normalize(posix.join(posix.dirname(path), target));
      if (!target || target.startsWith('/') || !(resolved === FILES_ROOT || resolved.startsWith(`${FILES_ROOT}/`)) || !underFiles) {
        throw new BackupFormatError('link-outside', `Refused symlink leaving the archive's files: ${raw.slice(0, 200)} -> ${target.slice(0, 200)}`, raw);
      }
    }
    const body = new Sha256Tap();
    const done = new Promise<void>((res, rej) => {
      body.once('end', res);
      body.once('error', rej);
      body.once('close', () => (body.readableEnded ? res() : rej(new BackupFormatError('truncated', `Reading ${path} stopped early.`, raw))));
    });
    entry.pipe(body);
    if (opts.visit) await opts.visit({ path, type, mode, size, target, body }, meta);
    if (!body.readableFlowing && !body.destroyed && !body.readableEnded) body.resume();
    await done;
    if (body.bytes !== size) throw new BackupFormatError('truncated', `${path} is cut short.`, raw);
    seen.set(path, type === 'file' ? { path, type, size, mode, sha256: body.digest() } : type === 'dir' ? { path, type, mode } : { path, type, mode, target: target! });
  };

  await new Promise<void>((resolve, reject) => {
    const gunzip = createGunzip();
    const parser = new Parser({ strict: true });
    let chain: Promise<void> = Promise.resolve();
    let failed = false;
    const fail = (e: unknown) => {
      if (failed) return;
      failed = true;
      input.unpipe(gunzip);
      gunzip.destroy();
      parser.removeAllListeners('entry');
      parser.on('error', () => undefined);
      parser.abort(new Error('aborted'));
      reject(e);
    };
    parser.on('entry', (entry: ReadEntry) => {
      chain = chain.then(() => (failed ? void entry.resume() : handle(entry))).catch(fail);
    });
    parser.on('error', (e: Error) => fail(new BackupFormatError('tar', `The backup archive is damaged (tar: ${e.message.slice(0, 200)}).`)));
    parser.on('end', () => void chain.then(() => (failed ? undefined : resolve())));
    gunzip.on('error', (e) => fail(new BackupFormatError('gzip', `The backup archive is damaged or truncated (gzip: ${e.message.slice(0, 200)}).`)));
    input.on('error', (e) => fail(e instanceof EngineError ? e : new BackupFormatError('truncated', `The backup archive could not be read: ${e.message.slice(0, 200)}`)));
    feedParser(input, gunzip, parser);
  });

  if (!meta) throw new BackupFormatError('no-meta', `The archive has no top-level ${META_FILE}.`);
  if (!manifest) throw new BackupFormatError('truncated', `The archive ends before ${MANIFEST_FILE} (truncated).`);
  // `rows` lines describe the dump's content, not archive entries: the restore checks them.
  const listed = new Map(manifest.filter((e) => e.type !== 'rows').map((e) => [e.path, e]));
  for (const [path, got] of seen) {
    const want = listed.get(path);
    if (!want || JSON.stringify(want) !== JSON.stringify(got)) {
      throw new BackupFormatError('checksum', `Checksum mismatch: ${path} does not match the manifest.`, path);
    }
    listed.delete(path);
  }
  if (listed.size) throw new BackupFormatError('checksum', `The manifest lists entries missing from the archive: ${[...listed.keys()].slice(0, 3).join(', ')}`);
  return { meta, manifest };
}
