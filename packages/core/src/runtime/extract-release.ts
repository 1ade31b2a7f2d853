/**
 * Unpacks an application release (`.tar`, `.tar.gz`) into a folder, streaming, with node-tar's parser and our own
 * writer (release-writer.ts): node-tar's Unpack *skips* unsafe entries with a warning, and a release that tries to
 * escape its folder must fail the install instead.
 *
 * Refused (UnsafeArchiveEntry, nothing more is written): absolute paths, `..` components, symlinks whose target is
 * absolute or resolves outside the folder, hard links to anything but a regular file extracted before, device and
 * FIFO entries, unknown entry types, and any write whose path passes through (or ends on) an existing symlink.
 * The top-level names must not exist before (the workflow checks that the folder is free of them first).
 * Modes: group/other write and setuid/setgid/sticky bits are dropped; the owner can always read and write.
 * A gzip stream that inflates more than MAX_DECOMPRESSION_RATIO times its size is refused as damaged (the same
 * zip-bomb limit node-tar applies when it decompresses itself).
 *
 * Speed: gzip is inflated by zlib on the thread pool in large chunks while this thread writes the previous chunk's
 * files with synchronous calls, the way `tar xzf` overlaps gzip and tar (measured on WordPress 6.5.5, 2 774 files:
 * about 0.6× the time of `tar xzf` on tmpfs, on a par on disk; the promise-per-syscall writer took 2–4×). The
 * writing is cut into slices of a few ms, so the event loop still turns while a release is extracted.
 */
import { constants } from 'node:fs';
import { lstat, open, realpath, type FileHandle } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import type { TransformOptions } from 'node:stream';
import { createGunzip, type ZlibOptions } from 'node:zlib';
import { EngineError } from '@installgate/contracts';
import { Parser, type ReadEntry } from 'tar';
import { ReleaseWriter } from './release-writer';

export { UnsafeArchiveEntry, type UnsafeReason } from './unsafe-archive-entry';

export interface ExtractReleaseOptions {
  /** Drop the archive's single top-level folder (`wordpress/…` → `…`); other top-level entries are refused. */
  stripTopFolder?: boolean;
}

/** node-tar's own limit (tar/lib/parse MAX_DECOMPRESSION_RATIO): no real release comes near it (WordPress: ~4). */
export const MAX_DECOMPRESSION_RATIO = 1000;
/** Inflated bytes per zlib call: each hand-over between zlib's thread and this one costs; 64 KiB was slower. */
const GUNZIP_CHUNK = 256 * 1024;
/**
 * Compressed bytes read ahead, and buffered in front of zlib: with node's defaults (64 KiB, 16 KiB) zlib ran dry
 * whenever this thread was busy writing and could not hand it the next read; 1 MiB each made extraction ~20% faster.
 */
const READ_AHEAD = 1024 * 1024;
/**
 * Inflated bytes handed to the parser at once, and the time one turn of the event loop may spend writing: short
 * turns also let zlib's finished chunks be picked up (and the next started) promptly.
 */
const SLICE = 64 * 1024;
const TURN_BUDGET_MS = 4;
/** Inflated bytes waiting to be written: zlib pauses above PAUSE_ABOVE and resumes at RESUME_BELOW. */
const PAUSE_ABOVE = 8 * GUNZIP_CHUNK;
const RESUME_BELOW = 4 * GUNZIP_CHUNK;

/** Maps file-system errors to the catalogue; `written` (top-level names created) lets the caller clean up. */
function fsError(e: unknown, written: string[]): EngineError {
  if (e instanceof EngineError) return e;
  const code = (e as NodeJS.ErrnoException).code ?? '';
  const details = { written, code };
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return new EngineError('failed_filesystem_permission', { details });
  if (code === 'ENOSPC' || code === 'EDQUOT') return new EngineError('failed_filesystem_quota', { details });
  const msg = (e as Error).message ?? String(e);
  return new EngineError('internal_error', { message: `Extracting the release failed: ${msg.slice(0, 300)}`, details });
}

const damaged = (e: Error, written: string[]) =>
  new EngineError('internal_error', { message: `The release archive is damaged: ${e.message.slice(0, 200)}`, details: { written: [...written] } });

const unreadable = (e: unknown, written: string[]) =>
  new EngineError('internal_error', {
    message: `The release archive cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}).`,
    details: { written: [...written] },
  });

/** The folder's real path; failed_filesystem_directory when it is missing or not a folder. */
async function realFolder(destDir: string): Promise<string> {
  try {
    const root = await realpath(destDir);
    if (!(await lstat(root)).isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
    return root;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new EngineError('failed_filesystem_directory', { message: `The folder ${destDir} does not exist.` });
    throw fsError(e, []);
  }
}

/** Opens the archive and tells gzip (inflated here, off this thread) from anything else (left to node-tar). */
async function openArchive(archive: string): Promise<{ fh: FileHandle; gzipped: boolean }> {
  let fh: FileHandle | undefined;
  try {
    fh = await open(archive, constants.O_RDONLY);
    const head = Buffer.alloc(2);
    const { bytesRead } = await fh.read(head, 0, 2, 0);
    return { fh, gzipped: bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b };
  } catch (e) {
    await fh?.close().catch(() => undefined);
    throw unreadable(e, []);
  }
}

/**
 * Extracts `archive` into `destDir` (which must exist). Resolves with the top-level names written, in archive
 * order. Rejects with UnsafeArchiveEntry, `failed_filesystem_directory` (destDir missing), `failed_filesystem_permission`,
 * `failed_filesystem_quota`, or `internal_error` (unreadable or damaged archive); `details.written` then lists the
 * top-level names created so far, which the caller removes.
 */
export async function extractRelease(archive: string, destDir: string, opts: ExtractReleaseOptions = {}): Promise<{ entries: string[] }> {
  const root = await realFolder(destDir);
  const { fh, gzipped } = await openArchive(archive);
  const writer = new ReleaseWriter(root, opts.stripTopFolder === true);

  return new Promise((resolvePromise, reject) => {
    const input = fh.createReadStream({ start: 0, highWaterMark: READ_AHEAD });
    // zlib streams take the stream options too (node's ZlibBase passes them to Transform); its types omit them.
    const zlibOptions: ZlibOptions & TransformOptions = { chunkSize: GUNZIP_CHUNK, writableHighWaterMark: READ_AHEAD };
    const gunzip = gzipped ? createGunzip(zlibOptions) : null;
    const tarStream = gunzip ?? input;
    const parser = new Parser({ strict: true });
    let failed = false;
    const fail = (e: unknown) => {
      if (failed) return;
      failed = true;
      writer.abort();
      input.destroy();
      gunzip?.destroy();
      // Stop the parser without letting its own abort error replace ours.
      parser.removeAllListeners('entry');
      parser.on('error', () => undefined);
      parser.abort(new Error('aborted'));
      reject(e instanceof EngineError ? e : fsError(e, [...writer.written]));
    };
    const guarded = (f: () => void) => {
      if (failed) return;
      try {
        f();
      } catch (e) {
        fail(e);
      }
    };

    // Entries arrive one at a time, synchronously inside parser.write(): a file's body follows its header.
    parser.on('entry', (entry: ReadEntry) => {
      let body = false;
      guarded(() => (body = writer.begin(entry)));
      if (!body) return void entry.resume();
      entry.on('end', () => guarded(() => writer.end()));
      entry.on('data', (chunk: Buffer) => guarded(() => writer.write(chunk)));
    });
    parser.on('error', (e: Error) => fail(damaged(e, writer.written)));
    parser.on('end', () => {
      if (!failed) resolvePromise({ entries: [...writer.written] });
    });

    input.on('error', (e) => fail(unreadable(e, writer.written)));
    let compressed = 0;
    let inflated = 0;
    if (gunzip) {
      input.on('data', (chunk) => (compressed += chunk.length));
      gunzip.on('error', (e) => fail(damaged(e, writer.written)));
      input.pipe(gunzip);
    }

    // Chunks wait here and are written on the next turn of the event loop, not inside zlib's callback: zlib
    // starts inflating the next chunk only when its callback returns, so writing in there would serialize the two.
    const queue: Buffer[] = [];
    let queued = 0;
    let paused = false;
    let scheduled = false;
    let waitingForParser = false;
    let sourceEnded = false;
    let parserEnded = false;
    const schedule = () => {
      if (scheduled || waitingForParser || failed) return;
      scheduled = true;
      setImmediate(pump);
    };
    // A few slices per turn, for TURN_BUDGET_MS at most: the event loop waits for a slice's files at most.
    const pump = () => {
      scheduled = false;
      const started = performance.now();
      while (queue.length && !failed && !waitingForParser && performance.now() - started < TURN_BUDGET_MS) {
        const chunk = queue[0]!;
        const slice = chunk.length > SLICE ? chunk.subarray(0, SLICE) : chunk;
        if (slice === chunk) queue.shift();
        else queue[0] = chunk.subarray(SLICE);
        queued -= slice.length;
        let more = true;
        guarded(() => (more = parser.write(slice)));
        if (!more && !failed) {
          waitingForParser = true;
          parser.once('drain', () => {
            waitingForParser = false;
            schedule();
          });
        }
      }
      if (failed) return;
      if (paused && queued <= RESUME_BELOW) {
        paused = false;
        tarStream.resume();
      }
      if (queue.length) schedule();
      else if (sourceEnded && !waitingForParser && !parserEnded) {
        parserEnded = true;
        guarded(() => parser.end());
      }
    };
    tarStream.on('data', (chunk: Buffer) => {
      if (failed) return;
      if (gunzip) {
        inflated += chunk.length;
        if (inflated > MAX_DECOMPRESSION_RATIO * compressed) {
          return fail(damaged(new Error(`max decompression ratio exceeded: ${(inflated / compressed).toFixed(0)} > ${MAX_DECOMPRESSION_RATIO}`), writer.written));
        }
      }
      queue.push(chunk);
      queued += chunk.length;
      if (!paused && queued > PAUSE_ABOVE) {
        paused = true;
        tarStream.pause();
      }
      schedule();
    });
    tarStream.on('end', () => {
      sourceEnded = true;
      schedule();
    });
  });
}
