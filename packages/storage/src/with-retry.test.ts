import { Readable } from 'node:stream';
import type { ObjectInfo, StorageBackend } from './storage-backend';
import { StorageError } from './storage-error';
import { withRetry } from './with-retry';

const flaky = (failures: StorageError[]): { backend: StorageBackend; calls: string[] } => {
  const calls: string[] = [];
  const next = (op: string): void => {
    calls.push(op);
    const err = failures.shift();
    if (err) throw err;
  };
  const backend: StorageBackend = {
    scheme: 'local',
    features: { atomicReplace: true },
    async put(key, body) {
      next('put');
      for await (const _ of body) void _;
    },
    async get() {
      next('get');
      return Readable.from([]);
    },
    async stat(key) {
      next('stat');
      return { key, size: 1, mtime: new Date(0) };
    },
    async *list() {
      yield { key: 'a', size: 1, mtime: new Date(0) };
      next('list');
      yield { key: 'b', size: 1, mtime: new Date(0) };
    },
    async remove() {
      next('remove');
    },
    async close() {
      calls.push('close');
    },
  };
  return { backend, calls };
};

const connect = (): StorageError => new StorageError('CONNECT', 'refused');
const noSleep = { sleep: async () => undefined };

describe('withRetry', () => {
  it('retries retryable errors with capped exponential back-off', async () => {
    const delays: number[] = [];
    const { backend, calls } = flaky([connect(), connect(), connect()]);
    const b = withRetry(backend, { retries: 3, baseDelayMs: 100, maxDelayMs: 250, sleep: async (ms) => void delays.push(ms) });
    expect(await b.stat('k')).toMatchObject({ key: 'k' });
    expect(calls).toEqual(['stat', 'stat', 'stat', 'stat']);
    expect(delays[0]).toBeGreaterThanOrEqual(100);
    expect(delays[0]).toBeLessThanOrEqual(120);
    expect(delays[1]).toBeGreaterThanOrEqual(200);
    expect(delays[2]).toBeGreaterThanOrEqual(250);
    expect(delays[2]).toBeLessThanOrEqual(300);
  });

  it('gives up after `retries` and passes the last error through', async () => {
    const { backend, calls } = flaky([connect(), connect(), connect()]);
    await expect(withRetry(backend, { retries: 2, ...noSleep }).remove('k')).rejects.toMatchObject({ code: 'CONNECT' });
    expect(calls).toHaveLength(3);
  });

  it('does not retry errors that are not retryable', async () => {
    const { backend, calls } = flaky([new StorageError('AUTH', 'no'), new StorageError('NOT_FOUND', 'no')]);
    const b = withRetry(backend, noSleep);
    await expect(b.stat('k')).rejects.toMatchObject({ code: 'AUTH' });
    await expect(b.get('k')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(calls).toEqual(['stat', 'get']);
  });

  it('retries a put only while its body is untouched', async () => {
    const { backend, calls } = flaky([connect()]);
    await withRetry(backend, noSleep).put('k', Readable.from([Buffer.from('x')]));
    expect(calls).toEqual(['put', 'put']);

    const consumed = flaky([]);
    const failingAfterRead: StorageBackend = {
      ...consumed.backend,
      async put(_key, body) {
        consumed.calls.push('put');
        body.read();
        throw connect();
      },
    };
    const body = Readable.from([Buffer.from('x'), Buffer.from('y')]);
    await new Promise((resolve) => body.once('readable', resolve));
    await expect(withRetry(failingAfterRead, noSleep).put('k', body)).rejects.toMatchObject({ code: 'CONNECT' });
    expect(consumed.calls).toEqual(['put']);
  });

  it('restarts a list without repeating keys', async () => {
    const { backend } = flaky([connect()]);
    const seen: ObjectInfo[] = [];
    for await (const info of withRetry(backend, noSleep).list('')) seen.push(info);
    expect(seen.map((i) => i.key)).toEqual(['a', 'b']);
  });

  it('does not retry close', async () => {
    const { backend, calls } = flaky([]);
    await withRetry(backend).close();
    expect(calls).toEqual(['close']);
  });
});
