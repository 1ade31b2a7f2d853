import type { Readable } from 'node:stream';
import type { GetOptions, ObjectInfo, PutOptions, StorageBackend } from './storage-backend';
import { isStorageError } from './storage-error';

/** Back-off settings of {@link withRetry}. */
export interface RetryOptions {
  /** Retries after the first attempt. Default 3. */
  retries?: number;
  /** Delay before the first retry, ms; doubles each time. Default 250. */
  baseDelayMs?: number;
  /** Cap of one delay, ms. Default 8 000. */
  maxDelayMs?: number;
  /** Waits `ms` (tests pass a fake). */
  sleep?: (ms: number) => Promise<void>;
  /** Told about each retry (for logging; the error is already redacted). */
  onRetry?: (info: { operation: string; attempt: number; delayMs: number; error: unknown }) => void;
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Wraps a backend so that StorageErrors marked `retryable` (CONNECT, transient PROTOCOL) are retried with capped
 * exponential back-off: delay = min(maxDelayMs, baseDelayMs · 2^attempt), plus up to 20 % jitter. Anything else,
 * and the last failure, is passed through unchanged (restic's RetryBackend; backends opt out by not marking
 * errors retryable).
 *
 * `put` is retried only while its body is untouched (nothing was read from it, it is not destroyed) and its
 * signal has not fired: a consumed stream cannot be replayed. `get` retries opening, not a stream that failed
 * mid-way. `list` restarts after a retryable failure and skips keys it already yielded. `close` is not retried.
 */
export function withRetry(backend: StorageBackend, options: RetryOptions = {}): StorageBackend {
  const retries = options.retries ?? 3;
  const base = options.baseDelayMs ?? 250;
  const max = options.maxDelayMs ?? 8000;
  const sleep = options.sleep ?? defaultSleep;

  async function attempt<T>(operation: string, fn: () => Promise<T>, mayRetry: () => boolean = () => true): Promise<T> {
    for (let n = 0; ; n++) {
      try {
        return await fn();
      } catch (err) {
        if (n >= retries || !isStorageError(err) || !err.retryable || !mayRetry()) throw err;
        const delay = Math.min(max, base * 2 ** n);
        const delayMs = Math.round(delay + delay * 0.2 * Math.random());
        options.onRetry?.({ operation, attempt: n + 1, delayMs, error: err });
        await sleep(delayMs);
      }
    }
  }

  return {
    scheme: backend.scheme,
    features: backend.features,
    put(key: string, body: Readable, opts?: PutOptions) {
      const untouched = (): boolean => !body.readableDidRead && !body.destroyed && !opts?.signal?.aborted;
      return attempt(`put ${key}`, () => backend.put(key, body, opts), untouched);
    },
    get(key: string, opts?: GetOptions) {
      return attempt(`get ${key}`, () => backend.get(key, opts), () => !opts?.signal?.aborted);
    },
    stat(key: string) {
      return attempt(`stat ${key}`, () => backend.stat(key));
    },
    remove(key: string) {
      return attempt(`remove ${key}`, () => backend.remove(key));
    },
    async *list(prefix: string): AsyncIterable<ObjectInfo> {
      const seen = new Set<string>();
      for (let n = 0; ; n++) {
        try {
          for await (const info of backend.list(prefix)) {
            if (seen.has(info.key)) continue;
            seen.add(info.key);
            yield info;
          }
          return;
        } catch (err) {
          if (n >= retries || !isStorageError(err) || !err.retryable) throw err;
          const delay = Math.min(max, base * 2 ** n);
          options.onRetry?.({ operation: `list ${prefix}`, attempt: n + 1, delayMs: delay, error: err });
          await sleep(delay);
        }
      }
    },
    close() {
      return backend.close();
    },
  };
}
