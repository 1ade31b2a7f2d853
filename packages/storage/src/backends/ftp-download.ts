import { PassThrough, Writable, type Readable } from 'node:stream';
import type { Client } from 'basic-ftp';
import type { StorageError } from '../storage-error';

/**
 * Streams the file at `path` through `client` (taken from a pool for this transfer: FTP carries one transfer per
 * connection). The stream ends only once the server confirmed the transfer (226), never on a bare end of the data
 * socket, which a failing server also gives. `release` is told once whether the client is still healthy;
 * a failure destroys the stream with `mapError`'s StorageError.
 */
export function ftpDownloadStream(
  client: Client,
  path: string,
  release: (healthy: boolean) => void,
  mapError: (err: unknown) => StorageError,
): Readable {
  const out = new PassThrough();
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      if (out.destroyed) return done(new Error('download stream was destroyed'));
      if (out.write(chunk)) done();
      else out.once('drain', () => done());
    },
  });
  out.once('close', () => sink.destroy(new Error('download stream was closed early')));
  client.downloadTo(sink, path).then(
    () => {
      release(true);
      out.end();
    },
    (err: unknown) => {
      release(false);
      out.destroy(mapError(err));
    },
  );
  return out;
}
