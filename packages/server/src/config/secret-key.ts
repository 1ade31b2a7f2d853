import { isEngineError } from '@installgate/contracts';
import { SECRET_KEY_BYTES, generateSecretKey } from '@installgate/core';

/*
 * settings.ini `secret_key=`: the key the state store's secrets (db_pass, website URIs, location URIs) are
 * encrypted with, 32 random bytes in base64. Generated at the first start like the API key; never printed.
 */

/** The comment written above a generated secret_key, so that whoever opens settings.ini knows what it is for. */
export const SECRET_KEY_COMMENT =
  '; secret_key encrypts the passwords kept in the state database. Back it up together with the data directory:\n' +
  '; without it those passwords cannot be read. Never change it by hand (see docs/operations.md).\n';

/** A new secret_key value. */
export function newSecretKeyText(): string {
  return generateSecretKey().toString('base64');
}

/** Decodes settings.ini `secret_key`. Throws an Error naming the setting, never its value. */
export function parseSecretKey(text: string, file: string): Buffer {
  const key = Buffer.from(text.trim(), 'base64');
  // Round trip: Buffer.from(…, 'base64') skips characters it does not know instead of failing.
  if (key.length !== SECRET_KEY_BYTES || key.toString('base64') !== text.trim()) {
    throw new Error(
      `${file}: setting secret_key is not valid: it must be ${SECRET_KEY_BYTES} bytes in base64, as generated at the first start. ` +
      'Put back the secret_key= line from the backup of this settings.ini (a new key cannot read the stored passwords).',
    );
  }
  return key;
}

/**
 * The error a start fails with when the engine refused the key. When the key was generated at this very start
 * (settings.ini had no secret_key=), the usual cause is a settings.ini lost or replaced while the state
 * database was kept, and the message says so.
 */
export function explainKeyRefusal(e: unknown, opts: { file: string; generated: boolean }): unknown {
  if (!isEngineError(e) || e.errfield !== 'secretKey') return e;
  const why = opts.generated
    ? `${opts.file} had no secret_key=, so a new key was generated at this start, but the state database was encrypted with another key. `
    : '';
  return new Error(`${why}${e.message}`);
}
