import { Readable } from 'node:stream';
import type { ObjectInfo, StorageBackend } from '../storage-backend';
import { StorageError } from '../storage-error';
import { digestStream, failingStream, generatedDigest, generatedStream, readAll } from './test-streams';

/** What a backend's test file hands to {@link runStorageConformance}. */
export interface ConformanceTarget {
  backend: StorageBackend;
  /** Stops what `makeBackend` started (server, temp folder). Runs after the suite closed the backend. */
  cleanup(): Promise<void>;
  /**
   * Every name the server stores (paths or object names, any form), read behind the backend's back. When given,
   * the suite checks that failed uploads left no `.partial-` object behind.
   */
  rawNames?(): Promise<string[]>;
}

/** Tuning for slow transports. */
export interface ConformanceOptions {
  /** Size of the large streamed object. Default 20 MiB. */
  largeSize?: number;
  /** Per-test timeout, ms. Default 30 000. */
  timeoutMs?: number;
}

const MiB = 1024 * 1024;

async function collect(iterable: AsyncIterable<ObjectInfo>): Promise<ObjectInfo[]> {
  const out: ObjectInfo[] = [];
  for await (const info of iterable) out.push(info);
  return out.sort((a, b) => a.key.localeCompare(b.key));
}

const keysOf = async (backend: StorageBackend, prefix: string): Promise<string[]> =>
  (await collect(backend.list(prefix))).map((i) => i.key);

async function expectStorageError(promise: Promise<unknown>, code: StorageError['code']): Promise<StorageError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(StorageError);
  expect((err as StorageError).code).toBe(code);
  return err as StorageError;
}

const text = (s: string): Readable => Readable.from([Buffer.from(s)]);

/**
 * The one suite every backend passes (rclone `fstests`, restic `backend/test`), run against a real server.
 * `makeBackend` is called once; the suite closes the backend itself in its last test.
 */
export function runStorageConformance(
  name: string,
  makeBackend: () => Promise<ConformanceTarget>,
  options: ConformanceOptions = {},
): void {
  const largeSize = options.largeSize ?? 20 * MiB;
  const timeout = options.timeoutMs ?? 30_000;

  describe(`${name}: storage conformance`, () => {
    let target: ConformanceTarget | undefined;
    let b: StorageBackend;

    beforeAll(async () => {
      target = await makeBackend();
      b = target.backend;
    }, timeout);

    afterAll(async () => {
      await target?.backend.close().catch(() => undefined);
      await target?.cleanup();
    }, timeout);

    const expectNoTemp = async (): Promise<void> => {
      if (!target?.rawNames) return;
      expect((await target.rawNames()).filter((n) => n.includes('.partial-'))).toEqual([]);
    };

    it('round-trips a small object byte for byte', async () => {
      const bytes = Buffer.from([0, 1, 2, 255, 254, 10, 13, 0x80]);
      await b.put('rt/small.bin', Readable.from([bytes]), { size: bytes.length });
      expect(await readAll(await b.get('rt/small.bin'))).toEqual(bytes);
    }, timeout);

    it('round-trips a 0-byte object', async () => {
      await b.put('rt/empty.bin', Readable.from([]), { size: 0 });
      expect((await readAll(await b.get('rt/empty.bin'))).length).toBe(0);
      expect((await b.stat('rt/empty.bin'))?.size).toBe(0);
    }, timeout);

    it(`streams a ${Math.round(largeSize / MiB)} MiB object generated on the fly`, async () => {
      await b.put('rt/large.bin', generatedStream(largeSize, 3), { size: largeSize });
      expect((await b.stat('rt/large.bin'))?.size).toBe(largeSize);
      expect(await digestStream(await b.get('rt/large.bin'))).toEqual({ sha256: generatedDigest(largeSize, 3), bytes: largeSize });
    }, timeout * 2);

    it('overwrites an existing key', async () => {
      await b.put('ow/file.txt', text('first version, longer'));
      await b.put('ow/file.txt', text('second'));
      expect((await readAll(await b.get('ow/file.txt'))).toString()).toBe('second');
      expect(await keysOf(b, 'ow/')).toEqual(['ow/file.txt']);
      expect((await b.stat('ow/file.txt'))?.size).toBe(6);
    }, timeout);

    it('stat gives size and mtime, and null when missing', async () => {
      const before = Date.now();
      await b.put('st/a.txt', text('12345'));
      const info = await b.stat('st/a.txt');
      expect(info).toMatchObject({ key: 'st/a.txt', size: 5 });
      expect(Object.prototype.toString.call(info?.mtime)).toBe('[object Date]'); // Node's fs Dates come from another realm
      expect(Number.isNaN(info?.mtime.getTime())).toBe(false);
      // Servers report mtime at second or minute precision and in their own clock: allow a wide window.
      expect(Math.abs((info?.mtime.getTime() ?? 0) - before)).toBeLessThan(26 * 3600 * 1000);
      expect(await b.stat('st/missing.txt')).toBeNull();
      expect(await b.stat('no-such-folder/x.txt')).toBeNull();
      expect(await b.stat('st')).toBeNull(); // a folder is not an object
    }, timeout);

    it('lists by plain string prefix', async () => {
      for (const k of ['ls/a/1.txt', 'ls/a/2.txt', 'ls/a/deep/3.txt', 'ls/b/4.txt', 'ls/ab.txt']) await b.put(k, text(k));
      expect(await keysOf(b, 'ls/a/')).toEqual(['ls/a/1.txt', 'ls/a/2.txt', 'ls/a/deep/3.txt']);
      expect(await keysOf(b, 'ls/a')).toEqual(['ls/a/1.txt', 'ls/a/2.txt', 'ls/a/deep/3.txt', 'ls/ab.txt']);
      expect(await keysOf(b, 'ls/b/4')).toEqual(['ls/b/4.txt']);
      expect(await keysOf(b, 'ls/none/')).toEqual([]);
      expect(await keysOf(b, 'nothing-here/')).toEqual([]);
      const all = await collect(b.list(''));
      expect(all.map((i) => i.key)).toEqual(expect.arrayContaining(['ls/a/1.txt', 'ls/ab.txt', 'rt/small.bin']));
      expect(all.find((i) => i.key === 'ls/ab.txt')?.size).toBe('ls/ab.txt'.length);
    }, timeout);

    it('removes, and removing a missing key succeeds', async () => {
      await b.put('rm/x.txt', text('x'));
      await b.remove('rm/x.txt');
      expect(await b.stat('rm/x.txt')).toBeNull();
      await b.remove('rm/x.txt');
      await b.remove('rm-missing-folder/y.txt');
      expect(await keysOf(b, 'rm/')).toEqual([]);
    }, timeout);

    it('get of a missing key rejects with NOT_FOUND', async () => {
      await expectStorageError(b.get('nf/missing.bin'), 'NOT_FOUND');
      await expectStorageError(b.get('nf-no-folder/missing.bin'), 'NOT_FOUND');
    }, timeout);

    it('keeps keys with spaces, UTF-8 and URL-special characters', async () => {
      const keys = ['sp/dir with space/file name.tar.gz', 'sp/ünï cödé/日本語 ✓.txt', 'sp/a+b&c=d #1 %20 ;,@$!.txt'];
      for (const k of keys) await b.put(k, text(`content of ${k}`));
      for (const k of keys) {
        expect((await readAll(await b.get(k))).toString()).toBe(`content of ${k}`);
        expect((await b.stat(k))?.size).toBe(Buffer.byteLength(`content of ${k}`));
      }
      expect(await keysOf(b, 'sp/')).toEqual([...keys].sort((x, y) => x.localeCompare(y)));
      for (const k of keys) await b.remove(k);
      expect(await keysOf(b, 'sp/')).toEqual([]);
    }, timeout);

    it('refuses bad keys before touching the server', async () => {
      for (const bad of ['../escape.txt', '/abs.txt', 'a//b.txt', '', 'a/./b', 'x/.partial-1-y']) {
        await expectStorageError(b.put(bad, text('x')), 'PROTOCOL');
        await expectStorageError(b.get(bad), 'PROTOCOL');
      }
    }, timeout);

    it('an upload in progress is invisible under its key and in listings', async () => {
      let release = (): void => undefined;
      let held = (): void => undefined;
      const holding = new Promise<void>((resolve) => (held = resolve));
      const body = generatedStream(3 * MiB, 11, { hold: { at: MiB, until: new Promise((r) => (release = r)), onHold: held } });
      const upload = b.put('ip/file.bin', body);
      await holding;
      try {
        expect(await b.stat('ip/file.bin')).toBeNull();
        expect(await keysOf(b, 'ip/')).toEqual([]);
        expect(await keysOf(b, '')).not.toContainEqual(expect.stringContaining('.partial-'));
      } finally {
        release();
        await upload;
      }
      expect(await keysOf(b, 'ip/')).toEqual(['ip/file.bin']);
      expect((await b.stat('ip/file.bin'))?.size).toBe(3 * MiB);
    }, timeout);

    it('an upload aborted through its signal publishes nothing', async () => {
      const controller = new AbortController();
      const body = generatedStream(16 * MiB, 5, { at: 6 * MiB, slow: true, onReached: () => controller.abort() });
      await expectStorageError(b.put('ab/signal.bin', body, { signal: controller.signal }), 'ABORTED');
      expect(await b.stat('ab/signal.bin')).toBeNull();
      expect(await keysOf(b, 'ab/')).toEqual([]);
      await expectNoTemp();
    }, timeout);

    it('an upload whose source stream fails publishes nothing', async () => {
      const err = await expectStorageError(b.put('ab/source.bin', failingStream(2 * MiB, new Error('source exploded'))), 'ABORTED');
      expect(err.message).toContain('source exploded');
      expect(await b.stat('ab/source.bin')).toBeNull();
      expect(await keysOf(b, 'ab/')).toEqual([]);
      await expectNoTemp();
    }, timeout);

    it('a failed overwrite leaves the previous object intact', async () => {
      await b.put('ab/keep.txt', text('old content'));
      await expectStorageError(b.put('ab/keep.txt', failingStream(MiB, new Error('boom'))), 'ABORTED');
      expect((await readAll(await b.get('ab/keep.txt'))).toString()).toBe('old content');
      await expectNoTemp();
    }, timeout);

    it('an already-aborted signal rejects before any transfer', async () => {
      const controller = new AbortController();
      controller.abort();
      await expectStorageError(b.put('ab/early.bin', text('x'), { signal: controller.signal }), 'ABORTED');
      expect(await b.stat('ab/early.bin')).toBeNull();
    }, timeout);

    it('a body that does not match the declared size is refused and not published', async () => {
      await expectStorageError(b.put('ab/size.bin', text('12345'), { size: 4 }), 'PROTOCOL');
      await expectStorageError(b.put('ab/size.bin', text('123'), { size: 4 }), 'PROTOCOL');
      expect(await b.stat('ab/size.bin')).toBeNull();
      await expectNoTemp();
    }, timeout);

    it('aborting a download destroys its stream with ABORTED', async () => {
      await b.put('dl/big.bin', generatedStream(4 * MiB, 9));
      const controller = new AbortController();
      const stream = await b.get('dl/big.bin', { signal: controller.signal });
      const read = (async () => {
        for await (const _chunk of stream) controller.abort(); // after the first chunk: far from the end
      })();
      await expectStorageError(read, 'ABORTED');
      // the backend is still usable afterwards
      expect((await b.stat('dl/big.bin'))?.size).toBe(4 * MiB);
    }, timeout);

    it('runs operations concurrently', async () => {
      const keys = [0, 1, 2, 3].map((i) => `cc/${i}.bin`);
      await Promise.all(keys.map((k, i) => b.put(k, generatedStream(256 * 1024 + i, i + 20))));
      const digests = await Promise.all(keys.map(async (k) => digestStream(await b.get(k))));
      digests.forEach((d, i) => expect(d.sha256).toBe(generatedDigest(256 * 1024 + i, i + 20)));
      for (const k of keys) await b.remove(k); // (s3rver fails concurrent deletes in one folder)
      expect(await keysOf(b, 'cc/')).toEqual([]);
    }, timeout);

    it('closes idempotently; a closed backend refuses work', async () => {
      await b.close();
      await b.close();
      await expectStorageError(b.stat('rt/small.bin'), 'PROTOCOL');
      await expectStorageError(b.put('after-close.txt', text('x')), 'PROTOCOL');
    }, timeout);
  });
}
