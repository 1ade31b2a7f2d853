import type { Knex } from 'knex';
import { EngineError } from '@installgate/contracts';
import { decodeRecord, encodeRecord, type RecordSchema } from './record-codec';
import { isUniqueViolation } from '../db/unique-violation';
import type { SecretBox } from '../secrets/secret-box';
import { aadOf, openMembers, sealMembers, type SealedMember } from '../secrets/stored-secrets';

/**
 * How one record table is laid out: the full record lives as JSON in `record`, and `keyColumns` copies the
 * members lists filter and sort on into their own columns. `keyColumns` is the explicit allowlist of what
 * leaves the JSON; nothing else of the record is ever spread into a row.
 */
export interface RecordTableSpec<T extends { id: string }> {
  table: string;
  /** Name used in error messages, e.g. 'install record'. */
  what: string;
  schema: RecordSchema<T>;
  keyColumns(record: T): Record<string, string | number>;
  /** Members stored encrypted (see secrets/stored-secrets); never key columns. */
  sealed?: readonly SealedMember[];
}

/** A stored row: the key columns plus `record`. */
export interface RecordRow {
  id: string;
  record: string;
}

/** Reads and writes whole records of one table; the record is zod-validated on every read and write. */
export interface RecordTable<T extends { id: string }> {
  /** Adds a record. Throws internal_error when the id exists already or the record fails its schema. */
  insert(record: T, db?: Knex): Promise<T>;
  /** The record, or undefined when the id is unknown. */
  get(id: string, db?: Knex): Promise<T | undefined>;
  /** Replaces a stored record (key columns follow). Returns false when the id is unknown. */
  replace(record: T, db?: Knex): Promise<boolean>;
  /** Removes a record. Returns false when it was not there (idempotent). */
  remove(id: string, db?: Knex): Promise<boolean>;
  /** A query over the table with no columns selected yet (for filtered lists and counts). */
  query(db?: Knex): Knex.QueryBuilder;
  /** Decodes a row read through `query()`. */
  fromRow(row: RecordRow): T;
}

/**
 * Builds the record table described by `spec` on `db` (every method also accepts a transaction). Sealed members
 * are encrypted in `toRow` and decrypted in `fromRow`: callers only ever see plain records.
 */
export function createRecordTable<T extends { id: string }>(db: Knex, spec: RecordTableSpec<T>, box: SecretBox): RecordTable<T> {
  const sealed = spec.sealed ?? [];
  const aad = (id: string) => (member: string) => aadOf(spec.table, member, id);
  const toRow = (record: T) => ({
    ...spec.keyColumns(record),
    id: record.id,
    record: encodeRecord(spec.schema, sealMembers(record, sealed, box.seal, aad(record.id)), spec.what),
  });
  const fromRow = (row: RecordRow) => openMembers(decodeRecord(spec.schema, row.record, `${spec.what} ${row.id}`), sealed, box, aad(row.id));
  return {
    async insert(record, on = db) {
      try {
        await on(spec.table).insert(toRow(record));
      } catch (cause) {
        if (isUniqueViolation(cause)) throw new EngineError('internal_error', { message: `${spec.what} ${record.id} exists already`, cause });
        throw cause;
      }
      return record;
    },
    async get(id, on = db) {
      const row = (await on(spec.table).where({ id }).first('id', 'record')) as RecordRow | undefined;
      return row ? fromRow(row) : undefined;
    },
    async replace(record, on = db) {
      const n = await on(spec.table).where({ id: record.id }).update(toRow(record));
      return Number(n) > 0;
    },
    async remove(id, on = db) {
      const n = await on(spec.table).where({ id }).delete();
      return Number(n) > 0;
    },
    query: (on = db) => on(spec.table),
    fromRow,
  };
}
