import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';

const BLOCK = 64 * 1024;

/** A 64 KiB block of seeded pseudo-random bytes (xorshift32), built once per seed. */
function baseBlock(seed: number): Buffer {
  const block = Buffer.allocUnsafe(BLOCK);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < BLOCK; i += 4) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    block.writeUInt32LE(x >>> 0, i);
  }
  return block;
}

/** Chunk `index` of the generated content: the base block stamped with its index, so reordering shows. */
function chunkAt(base: Buffer, index: number, length: number): Buffer {
  const chunk = Buffer.from(base.subarray(0, length));
  if (length >= 8) {
    chunk.writeUInt32LE(index, 0);
    chunk.writeUInt32LE(~index >>> 0, 4);
  }
  return chunk;
}

/** Hooks for {@link generatedStream}. */
export interface GeneratedStreamHooks {
  /** Called (once) when at least this many bytes were handed out. */
  at?: number;
  onReached?: (stream: Readable) => void;
  /** Hand out chunks on a later tick (gives transports time to start). */
  slow?: boolean;
  /** Stop handing out data once `at` bytes went out, until `until` resolves; `onHold` is told when that happens. */
  hold?: { at: number; until: Promise<void>; onHold?: () => void };
}

/**
 * `size` bytes generated on the fly in 64 KiB chunks — never held in memory whole. Deterministic per seed.
 */
export function generatedStream(size: number, seed = 1, hooks: GeneratedStreamHooks = {}): Readable {
  const base = baseBlock(seed);
  let sent = 0;
  let index = 0;
  let reached = false;
  let held = false;
  const stream = new Readable({
    highWaterMark: BLOCK,
    read() {
      const push = (): void => {
        if (stream.destroyed) return;
        if (sent >= size) {
          stream.push(null);
          return;
        }
        const length = Math.min(BLOCK, size - sent);
        sent += length;
        stream.push(chunkAt(base, index++, length));
        if (!reached && hooks.at !== undefined && sent >= hooks.at) {
          reached = true;
          hooks.onReached?.(stream);
        }
      };
      const { hold } = hooks;
      if (hold && !held && sent >= hold.at) {
        held = true;
        hold.onHold?.();
        void hold.until.then(push);
      } else if (hooks.slow) setImmediate(push);
      else push();
    },
  });
  return stream;
}

/** sha256 (hex) of what {@link generatedStream} produces for `size` and `seed`. */
export function generatedDigest(size: number, seed = 1): string {
  const base = baseBlock(seed);
  const hash = createHash('sha256');
  for (let sent = 0, index = 0; sent < size; index++) {
    const length = Math.min(BLOCK, size - sent);
    hash.update(chunkAt(base, index, length));
    sent += length;
  }
  return hash.digest('hex');
}

/** Reads a stream to its end, hashing it; returns the digest and byte count. */
export async function digestStream(stream: Readable): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of stream) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), bytes };
}

/** Reads a (small) stream into one Buffer. */
export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A stream that yields `bytes` and then fails with `error`. */
export function failingStream(bytes: number, error: Error): Readable {
  // Declared far longer than `bytes`, so the stream fails long before it could end.
  return generatedStream(bytes + 64 * BLOCK, 7, {
    at: bytes,
    slow: true,
    onReached: (s) => setImmediate(() => s.destroy(error)),
  });
}
