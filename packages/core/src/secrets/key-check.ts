import type { Knex } from 'knex';
import { EngineError } from '@installgate/contracts';
import { isSealed, type SecretBox } from './secret-box';

/*
 * The state store remembers which key its secrets are sealed with: a known text sealed with that key, in
 * `store_meta`. At start the engine opens it with the configured key, so a missing, regenerated or mistyped
 * secret_key stops the start with a clear message, before anything is read wrongly or written with a second key
 * (which would leave the store holding values no single key opens).
 */

const TABLE = 'store_meta';
const NAME = 'secret_key_check';
const AAD = `${TABLE}.${NAME}`;
const CHECK_TEXT = 'installgate secret key check v1';

/** Records the current key in the store (migration 0006, which seals the existing rows with that key). */
export async function writeKeyCheck(db: Knex, box: SecretBox): Promise<void> {
  await db(TABLE).insert({ name: NAME, value: box.seal(CHECK_TEXT, AAD) });
}

const wrongKey = (message: string) => new EngineError('invalid_argument_settings', { errfield: 'secretKey', message });

/**
 * Checks that `box` holds the key the store's secrets are sealed with. A store without `store_meta` (not yet
 * migrated) passes unless `required`. Throws invalid_argument_settings (errfield secretKey) otherwise.
 */
export async function verifySecretKey(db: Knex, box: SecretBox, opts: { required: boolean }): Promise<void> {
  if (!(await db.schema.hasTable(TABLE))) {
    if (opts.required) throw wrongKey('The state store has no record of its secret key (table store_meta); it was not migrated completely.');
    return;
  }
  const row = (await db(TABLE).where({ name: NAME }).first('value')) as { value: string } | undefined;
  if (!row) throw wrongKey('The state store has no record of its secret key (store_meta.secret_key_check is missing).');
  let text = '';
  try {
    text = isSealed(row.value) ? box.open(row.value, AAD) : '';
  } catch {
    // The reason is always the same here: another key. The message below says what to do about it.
  }
  if (text !== CHECK_TEXT) {
    throw wrongKey(
      'settings.ini secret_key is not the key the passwords in the state store were encrypted with. ' +
      'Put back the secret_key= line of the settings.ini that belongs to this data directory (from its backup). ' +
      'Installgate does not start with another key: the stored passwords could not be read.',
    );
  }
}
