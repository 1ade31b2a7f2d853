import { randomInt } from 'node:crypto';

/**
 * Task ids are numeric strings (spec §1.10): milliseconds × 1000 + a sequence number. They sort by creation
 * time and stay unique within a process. The sequence starts at a random point so that two nodes sharing one
 * database rarely pick the same id in the same millisecond; the repository retries on the rare collision.
 */
export function createTaskIdGenerator(nowMs: () => number = Date.now): () => string {
  let lastMs = 0;
  let seq = 0;
  return () => {
    let ms = Math.max(nowMs(), lastMs);
    if (ms === lastMs) {
      seq += 1;
      // 1000 ids in one millisecond: borrow the next millisecond rather than overflow into it.
      if (seq > 999) {
        ms += 1;
        seq = randomInt(0, 500);
      }
    } else {
      seq = randomInt(0, 500);
    }
    lastMs = ms;
    return (BigInt(ms) * 1000n + BigInt(seq)).toString();
  };
}
