import { StorageError } from '../storage-error';

/**
 * Runs `fn` over `items` (an array, or an async source such as a tree walk, consumed as the work goes) with at
 * most `parallel` calls at once, in order of the items. The first failure stops the others from taking new items
 * and is what rejects; calls already running are waited for first, so that nothing keeps writing behind the
 * caller's back (a caller removing a partial upload must not race the upload's last files). A fired `signal`
 * rejects with ABORTED the same way. An async source is closed (`return()`) when the run stops early.
 *
 * Tree transfers need this because a website is mostly small files: each costs round trips (SFTP OPEN/CLOSE, an
 * FTP data connection), not bandwidth, so several in flight hide the latency.
 */
export async function runLimited<T>(
  items: Iterable<T> | AsyncIterable<T>,
  parallel: number,
  fn: (item: T) => Promise<void>,
  signal?: AbortSignal,
): Promise<void> {
  const iterator: Iterator<T> | AsyncIterator<T> =
    Symbol.asyncIterator in items ? (items as AsyncIterable<T>)[Symbol.asyncIterator]() : (items as Iterable<T>)[Symbol.iterator]();
  let failure: { err: unknown } | undefined;
  let ended = false;
  const aborted = (): StorageError => new StorageError('ABORTED', 'transfer aborted', { cause: signal?.reason });
  const worker = async (): Promise<void> => {
    for (;;) {
      if (failure || ended) return;
      if (signal?.aborted) {
        failure = { err: aborted() };
        return;
      }
      // Several workers may await next() at once: async generators queue those calls, so each item goes once.
      let next: IteratorResult<T>;
      try {
        next = await iterator.next();
      } catch (err) {
        failure ??= { err };
        return;
      }
      if (next.done) {
        ended = true;
        return;
      }
      if (failure) return; // another worker failed while this one waited for the source
      try {
        await fn(next.value);
      } catch (err) {
        failure ??= { err: signal?.aborted ? aborted() : err };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, parallel) }, worker));
  if (failure) {
    if (!ended) await Promise.resolve(iterator.return?.()).catch(() => undefined);
    throw failure.err;
  }
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
