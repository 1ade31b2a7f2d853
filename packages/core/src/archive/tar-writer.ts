/**
 * A minimal streaming tar writer over node-tar's Header/Pax encoders: we write each entry's header and bytes
 * ourselves, so file contents are hashed as they stream (never read twice) and nothing but one chunk is in memory.
 */
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { Header, Pax } from 'tar';

export interface TarHeader {
  path: string;
  type: 'File' | 'Directory' | 'SymbolicLink';
  mode: number;
  size?: number;
  mtime?: Date;
  linkpath?: string;
}

const ZERO = Buffer.alloc(1024);

export class TarWriter {
  /**
   * `budget`: bytes the output may hold unprocessed before a write waits for it to drain. The output is the gzip
   * stream itself (its own high-water mark is 16 KiB): reading the next chunk then overlaps compressing this one.
   */
  constructor(private readonly out: Writable, private readonly budget = 1 << 20) {}

  /**
   * Writes with backpressure. `consumed` is called once the output is done with `buf` (then, or when the output is
   * destroyed): the buffer can be reused from then on — the output must be the consumer itself (a zlib stream), not
   * a PassThrough that hands the same memory on. Rejects when the output is destroyed (an aborted archive, an upload
   * refused by the location) instead of waiting for a 'drain' that never comes.
   */
  async write(buf: Buffer, consumed?: () => void): Promise<void> {
    if (this.out.destroyed) {
      consumed?.();
      throw new Error('the archive output was closed');
    }
    this.out.write(buf, consumed && (() => consumed()));
    if (this.out.writableLength <= this.budget) return;
    const ac = new AbortController();
    try {
      await Promise.race([
        once(this.out, 'drain', { signal: ac.signal }),
        once(this.out, 'close', { signal: ac.signal }).then(() => { throw new Error('the archive output was closed'); }),
      ]);
    } finally {
      ac.abort();
    }
  }

  async header(h: TarHeader): Promise<void> {
    const data = { path: h.path, type: h.type, mode: h.mode & 0o7777, size: h.size ?? 0, mtime: h.mtime ?? new Date(0), linkpath: h.linkpath, uid: 0, gid: 0, uname: '', gname: '' };
    const header = new Header(data);
    if (header.encode()) {
      // Long path, link target or size: a PAX extended header carries the real values.
      await this.write(new Pax({ path: h.path, linkpath: h.linkpath, size: data.size, mtime: data.mtime }).encode());
    }
    await this.write(header.block!);
  }

  /** Pads the entry body to the 512-byte block boundary. */
  async pad(size: number): Promise<void> {
    const rest = size % 512;
    if (rest) await this.write(ZERO.subarray(0, 512 - rest));
  }

  /** A whole in-memory entry (APP-META.INI, MANIFEST.jsonl). */
  async entry(path: string, body: Buffer, mode = 0o644): Promise<void> {
    await this.header({ path, type: 'File', mode, size: body.length, mtime: new Date() });
    await this.write(body);
    await this.pad(body.length);
  }

  /** The end-of-archive marker (two zero blocks). */
  async finish(): Promise<void> {
    await this.write(ZERO);
  }
}
