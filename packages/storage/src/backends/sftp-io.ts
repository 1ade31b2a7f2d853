import { Readable } from 'node:stream';
import type { Attributes, SFTPWrapper } from 'ssh2';

/**
 * SFTP request helpers shared by the backup backend (sftp.ts) and the website file system (sftp-site-fs.ts): ssh2's
 * callback API as promises, and transfers that keep many requests in flight, because ssh2's own streams send one
 * request at a time and so run at one chunk per round trip.
 */

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;

/** Runs one ssh2 callback-style request as a promise. */
export const call = <T>(fn: (cb: (err: Error | null | undefined, value: T) => void) => void): Promise<T> =>
  new Promise<T>((resolve, reject) => fn((err, value) => (err ? reject(err) : resolve(value))));

/** Runs one ssh2 request whose callback carries only an error. */
export const done = (fn: (cb: (err: Error | null | undefined) => void) => void): Promise<void> =>
  call<void>((cb) => fn((err) => cb(err, undefined)));

export const isFile = (a: Attributes): boolean => (a.mode & S_IFMT) === S_IFREG;
export const isDir = (a: Attributes): boolean => (a.mode & S_IFMT) === S_IFDIR;
export const isSymlink = (a: Attributes): boolean => (a.mode & S_IFMT) === S_IFLNK;

/** SFTP status NO_SUCH_FILE. */
export const isNoSuchFile = (err: unknown): boolean => (err as { code?: unknown }).code === 2;

/**
 * WRITE requests kept in flight during an upload. Against the loopback test server 64 measured best: 16 → 18 MiB/s,
 * 64 → 53, 256 → 41.
 */
const WRITES_IN_FLIGHT = 64;

/**
 * Writes `source` to an open handle with several WRITE requests in flight; rejects with the first failure (of a
 * request or of the source), but only once every request sent has been answered: a caller that closes the handle
 * or removes the file then does not race writes still on their way.
 */
export async function writeAll(sftp: SFTPWrapper, handle: Buffer, source: AsyncIterable<Buffer | string> | Iterable<Buffer | string>): Promise<void> {
  const inFlight = new Set<Promise<void>>();
  let failure: { err: unknown } | undefined;
  let position = 0;
  try {
    for await (const piece of source) {
      const chunk = typeof piece === 'string' ? Buffer.from(piece) : piece;
      if (chunk.length === 0) continue;
      const at = position;
      position += chunk.length;
      const write = done((cb) => sftp.write(handle, chunk, 0, chunk.length, at, cb)).catch((err: unknown) => {
        failure ??= { err };
      });
      inFlight.add(write);
      void write.then(() => inFlight.delete(write));
      if (inFlight.size >= WRITES_IN_FLIGHT) await Promise.race(inFlight);
      if (failure) break;
    }
  } finally {
    await Promise.all(inFlight);
  }
  if (failure) throw failure.err;
}

/** READ requests kept in flight by {@link readAhead}, and their size (ssh2 splits larger ones into a chain). */
const READS_IN_FLIGHT = 32;
const READ_SIZE = 32 * 1024;

/**
 * A stream of the first `size` bytes of an open file, with up to 32 READ requests in flight (a 1 MiB window).
 * Ends early when the file turned out shorter; the handle is closed when the stream ends, fails or is destroyed.
 * `mapError` turns a failed request into the error the stream is destroyed with.
 */
export function readAhead(sftp: SFTPWrapper, handle: Buffer, size: number, mapError: (err: unknown) => Error): Readable {
  const pending: Promise<Buffer>[] = [];
  let requested = 0;
  let closed = false;
  const closeHandle = (): void => {
    if (closed) return;
    closed = true;
    sftp.close(handle, () => undefined);
  };
  const request = (offset: number, length: number): Promise<Buffer> =>
    new Promise<Buffer>((resolve, reject) =>
      sftp.read(handle, Buffer.allocUnsafe(length), 0, length, offset, (err, bytesRead, data) =>
        err ? reject(err) : resolve(data.subarray(0, bytesRead)),
      ),
    );
  const fill = (): void => {
    while (pending.length < READS_IN_FLIGHT && requested < size) {
      const length = Math.min(READ_SIZE, size - requested);
      const at = requested;
      requested += length;
      // A short answer (allowed by the protocol) is completed by asking again for the rest, in order.
      const full = request(at, length).then(async (first) => {
        let got = first;
        while (got.length < length) {
          const more = await request(at + got.length, length - got.length);
          if (more.length === 0) break; // the file shrank
          got = Buffer.concat([got, more]);
        }
        return got;
      });
      full.catch(() => undefined); // observed when it reaches the head of the queue
      pending.push(full);
    }
  };
  return new Readable({
    highWaterMark: READ_SIZE * 4,
    read() {
      fill();
      const head = pending.shift();
      if (!head) {
        closeHandle();
        this.push(null);
        return;
      }
      head.then(
        (chunk) => {
          if (chunk.length === 0) {
            pending.length = 0;
            requested = size;
            closeHandle();
            this.push(null);
          } else this.push(chunk);
        },
        (err: unknown) => this.destroy(mapError(err)),
      );
    },
    destroy(err, cb) {
      closeHandle();
      cb(err);
    },
  });
}
