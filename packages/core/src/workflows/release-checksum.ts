/**
 * SHA-256 of release archives, remembered per file so that every install does not read the whole archive again
 * (WordPress: 15 MB, 40–80 ms) to find the checksum it found last time.
 *
 * A remembered sum is used only while the file's device, inode, size, mtime and ctime are all unchanged: a replaced
 * file has a new inode, and ctime cannot be set back from user space, so a rewrite in place is noticed even when
 * mtime is restored. Like git's "racily clean" rule, a file changed less than SETTLE_MS before it was hashed is not
 * remembered: timestamps are coarse, and a second write within the same tick would leave them all equal.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

const SETTLE_MS = 2_000;
/** A handful of releases are installed at a time; the bound only keeps a long-running server's map small. */
const MAX_ENTRIES = 64;

interface Identity {
  dev: bigint;
  ino: bigint;
  size: bigint;
  mtimeNs: bigint;
  ctimeNs: bigint;
}

const remembered = new Map<string, Identity & { sha256: string }>();

async function identity(file: string): Promise<Identity> {
  const st = await fs.promises.stat(file, { bigint: true });
  return { dev: st.dev, ino: st.ino, size: st.size, mtimeNs: st.mtimeNs, ctimeNs: st.ctimeNs };
}

const same = (a: Identity, b: Identity) =>
  a.dev === b.dev && a.ino === b.ino && a.size === b.size && a.mtimeNs === b.mtimeNs && a.ctimeNs === b.ctimeNs;

function hashFile(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    fs.createReadStream(file, { highWaterMark: 1024 * 1024 })
      .on('error', reject)
      .on('data', (c) => h.update(c))
      .on('end', () => resolve(h.digest('hex')));
  });
}

/**
 * The file's SHA-256 (hex). Rejects with the fs error when it cannot be read. `now` (ms, default Date.now) tells
 * when the file counts as settled; tests pass a later clock.
 */
export async function releaseSha256(file: string, now: () => number = Date.now): Promise<string> {
  const key = path.resolve(file);
  const before = await identity(key);
  const hit = remembered.get(key);
  if (hit && same(hit, before)) return hit.sha256;
  const settledBefore = BigInt(Math.floor(now() - SETTLE_MS)) * 1_000_000n;
  const sha256 = await hashFile(key);
  const after = await identity(key);
  remembered.delete(key);
  if (same(before, after) && after.mtimeNs < settledBefore && after.ctimeNs < settledBefore) {
    remembered.set(key, { ...after, sha256 });
    if (remembered.size > MAX_ENTRIES) remembered.delete(remembered.keys().next().value!);
  }
  return sha256;
}
