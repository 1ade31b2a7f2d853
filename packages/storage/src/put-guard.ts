import { Transform, type Readable } from 'node:stream';
import type { PutOptions } from './storage-backend';
import { StorageError, isAbortError, messageOf } from './storage-error';

/**
 * Wraps a put body so every backend handles its failure the same way: the body's own error and the caller's
 * AbortSignal both become ABORTED, a size mismatch becomes PROTOCOL, and the transport is torn down by destroying
 * the stream it reads. Backends race their transport against {@link PutGuard.race}, then call
 * {@link PutGuard.explain} on whatever was thrown.
 */
export interface PutGuard {
  /** What the transport must read instead of the caller's body. */
  readonly stream: Readable;
  /** Bytes seen so far. */
  readonly bytes: number;
  /** Resolves with `transport`'s value, or rejects as soon as the body fails or the signal fires. */
  race<T>(transport: Promise<T>): Promise<T>;
  /** Throws when the body failed or its length differs from `opts.size`. Call after the transport finished. */
  checkComplete(): void;
  /** The error put must reject with, given what the transport threw (mapped by `mapTransport`). */
  explain(err: unknown, mapTransport: (err: unknown) => StorageError): StorageError;
  /** Stops listening to the signal and destroys the body if the put failed. Idempotent. */
  dispose(): void;
}

/**
 * Starts guarding `body` for a put of `key`. Throws ABORTED at once if the signal already fired (the body is then
 * destroyed).
 */
export function guardPut(key: string, body: Readable, opts: PutOptions = {}): PutGuard {
  const { size, signal } = opts;
  if (signal?.aborted) {
    body.destroy();
    throw new StorageError('ABORTED', `upload of ${key} aborted before it started`);
  }
  let bytes = 0;
  let failure: StorageError | undefined;
  let rejectFailed: (err: StorageError) => void = () => undefined;
  const failed = new Promise<never>((_, reject) => {
    rejectFailed = reject;
  });
  failed.catch(() => undefined); // observed through race(); never an unhandled rejection

  const counter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      bytes += chunk.length;
      if (size !== undefined && bytes > size) {
        fail(new StorageError('PROTOCOL', `upload of ${key}: body is longer than the declared ${size} bytes`));
        done(); // fail() destroyed the stream already
        return;
      }
      done(null, chunk);
    },
    flush(done) {
      // Fail before the transport sees a clean end: a short body must never be published (and an HTTP request
      // with a Content-Length would otherwise wait for the missing bytes).
      if (size !== undefined && bytes !== size) fail(new StorageError('PROTOCOL', `upload of ${key}: body had ${bytes} bytes, ${size} were declared`));
      done();
    },
  });

  function fail(err: StorageError): StorageError {
    if (!failure) {
      failure = err;
      rejectFailed(err);
      counter.destroy(err);
      body.destroy();
    }
    return failure;
  }

  const onBodyError = (err: unknown): void => {
    fail(new StorageError('ABORTED', `upload of ${key} aborted: the source stream failed: ${messageOf(err)}`, { cause: err }));
  };
  const onAbort = (): void => {
    fail(new StorageError('ABORTED', `upload of ${key} aborted by the caller`, { cause: signal?.reason }));
  };
  // Failures reach the backend through race(); the transport may not listen to the stream yet when one happens.
  counter.on('error', () => undefined);
  body.on('error', onBodyError);
  signal?.addEventListener('abort', onAbort, { once: true });
  body.pipe(counter);

  return {
    stream: counter,
    get bytes() {
      return bytes;
    },
    race<T>(transport: Promise<T>): Promise<T> {
      transport.catch(() => undefined);
      return Promise.race([transport, failed]);
    },
    checkComplete() {
      if (failure) throw failure;
      if (size !== undefined && bytes !== size) {
        throw fail(new StorageError('PROTOCOL', `upload of ${key}: body had ${bytes} bytes, ${size} were declared`));
      }
    },
    explain(err, mapTransport) {
      if (failure) return failure;
      if (err instanceof StorageError) return fail(err);
      if (signal?.aborted && isAbortError(err)) return onAbortResult();
      return fail(mapTransport(err));
    },
    dispose() {
      signal?.removeEventListener('abort', onAbort);
      // onBodyError stays attached: a body that errors after the put settled must not crash the process.
      if (failure) body.destroy();
    },
  };

  function onAbortResult(): StorageError {
    onAbort();
    return failure as StorageError;
  }
}

/** Waits for `p` to settle, at most `ms` milliseconds; never rejects. Used to let a torn-down transport finish. */
export async function settled(p: Promise<unknown>, ms = 5000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    p.then(
      () => undefined,
      () => undefined,
    ),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ms);
      timer.unref();
    }),
  ]);
  clearTimeout(timer);
}

/**
 * Removes a temporary upload on a server that may still be handling the aborted transfer and create the file
 * after a first delete. `removeOnce` resolves true when it deleted something, false when nothing was there.
 * Deletes until two checks 100 ms apart found nothing, for at most `maxMs`. Never rejects.
 */
export async function removeUntilGone(removeOnce: () => Promise<boolean>, maxMs = 2000): Promise<void> {
  const deadline = Date.now() + maxMs;
  let quiet = 0;
  while (quiet < 2 && Date.now() < deadline) {
    const removed = await removeOnce().catch(() => false);
    quiet = removed ? 0 : quiet + 1;
    if (quiet < 2) await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
