import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BufferPool, readIntoPool } from './buffer-pool';

describe('BufferPool', () => {
  it('hands out at most `count` buffers and reuses the ones given back', async () => {
    const pool = new BufferPool(2, 16);
    const a = await pool.acquire();
    const b = await pool.acquire();
    expect(a.buffer).not.toBe(b.buffer);
    let third: Buffer | null = null;
    const waiting = pool.acquire().then((c) => (third = c));
    await new Promise((r) => setImmediate(r));
    expect(third).toBeNull();
    pool.release(a.subarray(3, 5)); // a view gives back its whole buffer
    await waiting;
    expect(third!.buffer).toBe(a.buffer);
    expect(third!.length).toBe(16);
  });

  it('ignores buffers it did not lend, and a buffer given back twice', async () => {
    const pool = new BufferPool(1, 8);
    const a = await pool.acquire();
    pool.release(Buffer.alloc(8));
    pool.release(a);
    pool.release(a);
    const again = await pool.acquire();
    expect(again.buffer).toBe(a.buffer);
    let second: Buffer | null = null;
    void pool.acquire().then((c) => (second = c));
    await new Promise((r) => setImmediate(r));
    expect(second).toBeNull(); // the double release did not make two free buffers of one
  });

  it('fails waiting and later acquires once closed', async () => {
    const pool = new BufferPool(1, 8);
    await pool.acquire();
    const waiting = pool.acquire();
    pool.close(new Error('output failed'));
    await expect(waiting).rejects.toThrow('output failed');
    await expect(pool.acquire()).rejects.toThrow('output failed');
  });
});

describe('readIntoPool', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'ig-pool-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a file through the pool, never past `size`, stopping where a shorter file ends', async () => {
    const file = join(dir, 'f');
    const data = Buffer.from('0123456789abcdefghij');
    writeFileSync(file, data);
    const pool = new BufferPool(2, 8);
    const read = async (size: number) => {
      const parts: Buffer[] = [];
      for await (const chunk of readIntoPool(file, size, pool)) {
        parts.push(Buffer.from(chunk)); // copied: the buffer goes back to the pool
        pool.release(chunk);
      }
      return Buffer.concat(parts);
    };
    expect(await read(20)).toEqual(data);
    expect(await read(11)).toEqual(data.subarray(0, 11));
    expect(await read(30)).toEqual(data); // the file shrank below its listed size: the caller sees 20 bytes
  });
});
