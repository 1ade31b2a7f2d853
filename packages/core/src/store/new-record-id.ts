import { randomBytes } from 'node:crypto';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/**
 * A new id for installs, backups, templates, websites and locations: 25 lowercase alphanumerics, the shape of
 * the documented ids (spec §1.10). 36^25 ≈ 2^129, so collisions are not a practical concern.
 */
export function newRecordId(length = 25): string {
  // 252 is the largest multiple of 36 below 256: rejecting bytes ≥ 252 keeps every character equally likely.
  let out = '';
  while (out.length < length) {
    for (const b of randomBytes(length * 2)) {
      if (b < 252 && out.length < length) out += ALPHABET[b % 36];
    }
  }
  return out;
}
