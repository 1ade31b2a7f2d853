import { createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';

/** A pass-through that counts and SHA-256-hashes every byte on its way (archives, entries, dumps). */
export class Sha256Tap extends Transform {
  bytes = 0;
  private readonly hash = createHash('sha256');

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    cb(null, chunk);
  }

  /** Hex digest of what passed; call once, after the stream ended. */
  digest(): string {
    return this.hash.digest('hex');
  }
}
