import { StorageError } from '../storage-error';

/**
 * Runs `fn` over `items` with at most `concurrency` calls at once, in order of the items. The first failure stops
 * the others from taking new items and is what rejects; calls already running are waited for, so nothing keeps
 * working behind the caller's back. A fired `signal` rejects with ABORTED the same way.
 *
 * Tree transfers need this because a website is mostly small files: each costs round trips (SFTP OPEN/CLOSE, an
 * FTP data connection), not bandwidth, so several in flight hide the latency.
 */
export async function runLimited<T>(
  items: Iterable<T>,
  concurrency: number,
  fn: (item: T) => Promise<void>,
  signal?: AbortSignal,
): Promise<void> {
  const iterator = items[Symbol.iterator]();
  let failure: { err: unknown } | undefined;
  const aborted = (): StorageError => new StorageError('ABORTED', 'transfer aborted', { cause: signal?.reason });
  const worker = async (): Promise<void> => {
    for (;;) {
      if (failure) return;
      if (signal?.aborted) {
        failure = { err: aborted() };
        return;
      }
      const next = iterator.next();
      if (next.done) return;
      try {
        await fn(next.value);
      } catch (err) {
        failure ??= { err: signal?.aborted ? aborted() : err };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
  if (failure) throw failure.err;
}

/** A gate that lets at most `n` calls run at once; the others wait their turn in call order. */
export function createLimiter(n: number): <T>(fn: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async <T>(fn: () => Promise<T>): Promise<T> => {
    while (active >= n) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    try {
      return await fn();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}
