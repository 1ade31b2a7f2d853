import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { EngineError } from '@installgate/contracts';

/**
 * Encryption of secrets at rest (db_pass, website URIs with credentials, location URIs): AES-256-GCM with a
 * random IV per value, in a versioned text format so that a later format (or key rotation) can sit next to this
 * one in the same column:
 *
 *     igenc:v1:<base64 of iv(12) | tag(16) | ciphertext>
 *
 * Every value is bound to where it is stored by the additional authenticated data (`aad`, e.g.
 * `installs.db_pass:<install id>`): a sealed value copied into another row or column does not open there, so
 * someone with write access to the database cannot move one account's password into another account's record.
 */

/** The key length AES-256 needs; settings.ini `secret_key` is this many random bytes, base64-encoded. */
export const SECRET_KEY_BYTES = 32;

const PREFIX = 'igenc:';

interface Format {
  cipher: 'aes-256-gcm';
  ivBytes: number;
  tagBytes: number;
}

/** Formats this build can open, by version tag. `seal` always writes CURRENT. */
const FORMATS: Readonly<Record<string, Format>> = Object.freeze({
  v1: { cipher: 'aes-256-gcm', ivBytes: 12, tagBytes: 16 },
});
const CURRENT = 'v1';

/** Seals and opens secrets with one key. */
export interface SecretBox {
  /**
   * Encrypts `plain` bound to `aad`. '' stays '' (an absent secret has nothing to hide, and an empty column keeps
   * meaning "no password").
   */
  seal(plain: string, aad: string): string;
  /**
   * Decrypts a value sealed with the same key and aad. A value without the `igenc:` prefix is a plain value
   * written before encryption existed (or by an older node sharing the database) and is returned as it is, so
   * old data never breaks. Throws internal_error when a sealed value was altered, was sealed with another key,
   * or belongs to another row (aad) — never a wrong plaintext.
   */
  open(stored: string, aad: string): string;
}

/** A new random key (settings.ini `secret_key` holds it base64-encoded). */
export function generateSecretKey(): Buffer {
  return randomBytes(SECRET_KEY_BYTES);
}

/** True when `value` is in the sealed format (of any version), i.e. not a legacy plain value. */
export function isSealed(value: string): boolean {
  return value.startsWith(PREFIX);
}

/** Why a sealed value cannot be opened; names where it is stored, never the value. */
function unreadable(aad: string, reason: string, cause?: unknown): EngineError {
  return new EngineError('internal_error', {
    message: `A stored secret (${aad}) cannot be decrypted: ${reason}. Check that settings.ini secret_key is the key this data was encrypted with.`,
    cause,
  });
}

/** A SecretBox over `key` (SECRET_KEY_BYTES bytes). Throws invalid_argument_settings for a key of another length. */
export function createSecretBox(key: Buffer): SecretBox {
  if (!Buffer.isBuffer(key) || key.length !== SECRET_KEY_BYTES) {
    throw new EngineError('invalid_argument_settings', { errfield: 'secretKey', message: `settings: secretKey must be ${SECRET_KEY_BYTES} bytes.` });
  }
  // A private copy: the caller's buffer may be reused or zeroed later.
  const k = Buffer.from(key);
  return {
    seal(plain, aad) {
      if (plain === '') return '';
      const f = FORMATS[CURRENT];
      const iv = randomBytes(f.ivBytes);
      const c = createCipheriv(f.cipher, k, iv, { authTagLength: f.tagBytes });
      c.setAAD(Buffer.from(aad, 'utf8'));
      const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
      return `${PREFIX}${CURRENT}:${Buffer.concat([iv, c.getAuthTag(), body]).toString('base64')}`;
    },

    open(stored, aad) {
      if (!isSealed(stored)) return stored;
      const sep = stored.indexOf(':', PREFIX.length);
      const version = sep < 0 ? '' : stored.slice(PREFIX.length, sep);
      const f = Object.hasOwn(FORMATS, version) ? FORMATS[version] : undefined;
      if (!f) throw unreadable(aad, `unknown format "${version.slice(0, 16)}" (written by a newer Installgate?)`);
      const raw = Buffer.from(stored.slice(sep + 1), 'base64');
      if (raw.length < f.ivBytes + f.tagBytes) throw unreadable(aad, 'the value is truncated');
      try {
        const d = createDecipheriv(f.cipher, k, raw.subarray(0, f.ivBytes), { authTagLength: f.tagBytes });
        d.setAAD(Buffer.from(aad, 'utf8'));
        d.setAuthTag(raw.subarray(f.ivBytes, f.ivBytes + f.tagBytes));
        return Buffer.concat([d.update(raw.subarray(f.ivBytes + f.tagBytes)), d.final()]).toString('utf8');
      } catch (cause) {
        // GCM authentication failed: altered value, another key, or a value moved from another row.
        throw unreadable(aad, 'it was altered, sealed with another key, or moved from another row', cause);
      }
    },
  };
}
