import { PassThrough, Writable, type Readable } from 'node:stream';
import type { Client } from 'basic-ftp';
import type { StorageError } from '../storage-error';

/**
 * What a download closed early by its reader still swallows to keep its connection: the usual early close comes
 * from a reader that took every byte it wanted (the packer stops at the listed size, before the server's 226 has
 * been read), and only the 226 is missing. Cutting the transfer there closed the connection, and the next file paid
 * a new connection and login: ~85 ms per file against vsftpd on loopback (packing 300 small files took 27–90 ms
 * per file instead of 3). A reader that gives up on a big file costs at most these bytes more before the cut.
 */
const DRAIN_BYTES = 64 * 1024;
/** How long an early-closed download waits for the server's 226 before it is cut (the connection then closed). */
const DRAIN_MS = 5_000;

/**
 * Streams the file at `path` through `client` (taken from a pool for this transfer: FTP carries one transfer per
 * connection). The stream ends only once the server confirmed the transfer (226), never on a bare end of the data
 * socket, which a failing server also gives. `release` is told once whether the client is still healthy (after a
 * negative reply such as 550 it is);
 * a failure destroys the stream with `mapError`'s StorageError. A stream destroyed before its end lets the
 * transfer finish when at most DRAIN_BYTES remain (the client is then kept), else cuts it (the client is closed).
 */
export function ftpDownloadStream(
  client: Client,
  path: string,
  release: (healthy: boolean) => void,
  mapError: (err: unknown) => StorageError,
): Readable {
  const out = new PassThrough();
  let settled = false;
  let discarded = 0;
  /** A write waiting for `out` to drain (called on 'drain', or at once when `out` is closed). */
  let waiting: (() => void) | undefined;
  const resume = (): void => {
    const done = waiting;
    waiting = undefined;
    done?.();
  };
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      if (out.destroyed) {
        discarded += chunk.length;
        return discarded > DRAIN_BYTES ? done(new Error('download stream was destroyed')) : done();
      }
      if (out.write(chunk)) done();
      else waiting = done;
    },
  });
  // basic-ftp reports the sink's failure through downloadTo; one arriving after it stopped listening goes nowhere.
  sink.on('error', () => undefined);
  out.on('drain', resume);
  out.once('close', () => {
    if (settled) return;
    const timer = setTimeout(() => sink.destroy(new Error('download stream was closed early')), DRAIN_MS);
    timer.unref();
    transfer.finally(() => clearTimeout(timer)).catch(() => undefined);
    resume();
  });
  const transfer = client.downloadTo(sink, path).then(
    () => {
      settled = true;
      release(true);
      out.end();
    },
    (err: unknown) => {
      settled = true;
      // A negative reply (550: no such file) leaves the connection in step; anything else may have broken it.
      release(typeof (err as { code?: unknown }).code === 'number');
      out.destroy(mapError(err));
    },
  );
  return out;
}
