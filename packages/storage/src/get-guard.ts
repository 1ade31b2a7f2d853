import { PassThrough, type Readable } from 'node:stream';
import { StorageError, isAbortError } from './storage-error';

/**
 * Wraps a download stream so that the caller sees only StorageErrors: a transport error mid-transfer is mapped by
 * `mapError`, and firing `signal` destroys the stream with ABORTED. `onDone` runs once when the download ended,
 * failed or was destroyed (backends release their connection there).
 */
export function guardGet(
  key: string,
  source: Readable,
  signal: AbortSignal | undefined,
  mapError: (err: unknown) => StorageError,
  onDone?: (failed: boolean) => void,
): Readable {
  const out = new PassThrough();
  let finished = false;
  const finish = (failed: boolean): void => {
    if (finished) return;
    finished = true;
    signal?.removeEventListener('abort', onAbort);
    onDone?.(failed);
  };
  const fail = (err: StorageError): void => {
    source.destroy();
    out.destroy(err);
    finish(true);
  };
  const onAbort = (): void => fail(new StorageError('ABORTED', `download of ${key} aborted by the caller`, { cause: signal?.reason }));
  source.on('error', (err) => {
    if (!finished) fail(err instanceof StorageError ? err : isAbortError(err) && signal?.aborted ? abortedError(key) : mapError(err));
  });
  source.once('end', () => finish(false));
  out.once('close', () => {
    if (!finished) {
      source.destroy();
      finish(!out.writableFinished);
    }
  });
  signal?.addEventListener('abort', onAbort, { once: true });
  source.pipe(out);
  if (signal?.aborted) onAbort();
  return out;
}

function abortedError(key: string): StorageError {
  return new StorageError('ABORTED', `download of ${key} aborted by the caller`);
}
