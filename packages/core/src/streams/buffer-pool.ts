import { open } from 'node:fs/promises';

/**
 * A fixed set of reusable read buffers. Node's stream readers allocate a new buffer per chunk (fs ReadStream: a new
 * 1 MiB buffer per read), and V8 frees dead buffers only at its next collection, which with few JS objects per chunk
 * comes after tens of MiB: a backup's server peaked 28–36 MiB higher with dead read buffers (a 300 MiB site).
 * Reading into a few buffers that come back once the consumer is done with them (a zlib stream's write callback)
 * keeps the read side at `count × size` bytes, whatever the site's size.
 */
export class BufferPool {
  private readonly free: Buffer[] = [];
  /** Every buffer of the pool, by its memory; `lent` those handed out and not given back yet. */
  private readonly owned = new Map<ArrayBufferLike, Buffer>();
  private readonly lent = new Set<ArrayBufferLike>();
  private readonly waiting: { resolve: (b: Buffer) => void; reject: (e: unknown) => void }[] = [];
  private closed: { reason: unknown } | null = null;

  /** `count` buffers of `size` bytes, allocated on first use. */
  constructor(private readonly count: number, readonly size: number) {}

  /** A free buffer; waits while all are in use. Rejects once the pool is closed. */
  acquire(): Promise<Buffer> {
    if (this.closed) return Promise.reject(this.closed.reason);
    let buf = this.free.pop();
    if (!buf && this.owned.size < this.count) {
      // Outside Node's shared 8 KiB pool: the memory is ours alone, so handing it out again is safe.
      buf = Buffer.allocUnsafeSlow(this.size);
      this.owned.set(buf.buffer, buf);
    }
    if (buf) {
      this.lent.add(buf.buffer);
      return Promise.resolve(buf);
    }
    return new Promise<Buffer>((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  /**
   * Fails every waiting and later `acquire` with `reason`: the consumer failed, and the buffers it holds may never
   * come back (a destroyed stream does not always call back its pending writes).
   */
  close(reason: unknown): void {
    this.closed ??= { reason };
    for (const w of this.waiting.splice(0)) w.reject(reason);
  }

  /** Gives back the buffer `chunk` is (a view of); other buffers, and one given back already, are ignored. */
  release(chunk: Buffer): void {
    if (!this.lent.delete(chunk.buffer)) return;
    const whole = this.owned.get(chunk.buffer)!;
    const next = this.waiting.shift();
    if (next) {
      this.lent.add(whole.buffer);
      next.resolve(whole);
    } else this.free.push(whole);
  }
}

/**
 * Reads bytes `[0, size)` of `file` into buffers of `pool`, yielding views of them; the consumer gives each back
 * (`pool.release`) once it is done with it. Stops early, without error, when the file ends before `size` (the caller
 * compares what it got); never reads past `size`.
 */
export async function* readIntoPool(file: string, size: number, pool: BufferPool): AsyncGenerator<Buffer> {
  const fh = await open(file, 'r');
  try {
    for (let pos = 0; pos < size; ) {
      const buf = await pool.acquire();
      let n: number;
      try {
        n = (await fh.read(buf, 0, Math.min(buf.length, size - pos), pos)).bytesRead;
      } catch (e) {
        pool.release(buf);
        throw e;
      }
      if (n === 0) {
        pool.release(buf);
        return;
      }
      pos += n;
      yield buf.subarray(0, n);
    }
  } finally {
    await fh.close();
  }
}
