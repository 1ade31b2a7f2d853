import type { Knex } from 'knex';
import type { Website } from '@installgate/contracts';
import type { MigrationContext } from './index';
import { writeKeyCheck } from '../../secrets/key-check';
import type { SecretBox } from '../../secrets/secret-box';
import {
  aadOf, legacySealer, openColumn, openMembers, openWebsite, RECORD_SECRETS, SEALED_COLUMNS, SEALED_RECORD_TABLES, sealColumn, sealMembers, sealWebsite,
  type SealedColumn,
} from '../../secrets/stored-secrets';

/*
 * Secrets at rest: `store_meta` (which key the store is sealed with, see key-check) and every secret written
 * before this release sealed in place with the configured key (what is sealed: secrets/stored-secrets). The
 * repositories still read plain values, so a row an older node writes later keeps working; it is sealed the
 * next time it is written. `down` opens everything again for the previous release.
 */

/** Rows per read: records with long file lists are large, and the whole table must not sit in memory. */
const BATCH = 500;

type Row = Record<string, string>;

/** Rewrites `column` of every row of `table` to `next(row)`, writing only rows that change. */
async function rewrite(knex: Knex, table: string, keys: readonly string[], column: string, next: (row: Row) => string): Promise<void> {
  for (let offset = 0; ; offset += BATCH) {
    const rows = (await knex(table).select([...keys, column]).orderBy(keys.map((k) => ({ column: k }))).limit(BATCH).offset(offset)) as Row[];
    for (const row of rows) {
      const value = next(row);
      if (value !== row[column]) await knex(table).where(Object.fromEntries(keys.map((k) => [k, row[k]]))).update({ [column]: value });
    }
    if (rows.length < BATCH) return;
  }
}

/** Applies `change` to a JSON record text. A row that is not JSON is left alone: it cannot be read either way. */
function inJson<T>(text: string, change: (value: T) => T): string {
  let value: T;
  try {
    value = JSON.parse(text) as T;
  } catch {
    return text;
  }
  return JSON.stringify(change(value));
}

/** How one direction treats records, websites and columns. */
interface Direction {
  record(r: Record<string, unknown>, table: string, id: string): Record<string, unknown>;
  website(w: Website, userId: string): Website;
  column(c: SealedColumn, rowKey: string, value: string): string;
}

const sealing = (box: SecretBox): Direction => {
  const seal = legacySealer(box);
  return {
    record: (r, table, id) => sealMembers(r, RECORD_SECRETS, seal, (m) => aadOf(table, m, id)),
    website: (w, userId) => sealWebsite(w, userId, seal),
    column: (c, key, value) => sealColumn(c, key, value, seal),
  };
};

const opening = (box: SecretBox): Direction => ({
  record: (r, table, id) => openMembers(r, RECORD_SECRETS, box, (m) => aadOf(table, m, id)),
  website: (w, userId) => openWebsite(w, userId, box),
  column: (c, key, value) => openColumn(c, key, value, box),
});

async function rewriteAll(knex: Knex, d: Direction): Promise<void> {
  for (const table of SEALED_RECORD_TABLES) {
    await rewrite(knex, table, ['id'], 'record', (row) => inJson<Record<string, unknown>>(row.record, (r) => d.record(r, table, row.id)));
  }
  await rewrite(knex, 'websites', ['user_id', 'id'], 'record', (row) => inJson<Website>(row.record, (w) => d.website(w, row.user_id)));
  for (const c of Object.values(SEALED_COLUMNS)) {
    await rewrite(knex, c.table, [c.key], c.member, (row) => d.column(c, row[c.key], row[c.member]));
  }
}

async function up(knex: Knex, ctx: MigrationContext): Promise<void> {
  await knex.schema.createTable('store_meta', (t) => {
    t.string('name', 64).primary();
    t.text('value').notNullable();
  });
  await rewriteAll(knex, sealing(ctx.secrets));
  await writeKeyCheck(knex, ctx.secrets);
}

async function down(knex: Knex, ctx: MigrationContext): Promise<void> {
  await rewriteAll(knex, opening(ctx.secrets));
  await knex.schema.dropTableIfExists('store_meta');
}

/** Migration 0006: secrets encrypted at rest. */
export const migration0006SealSecrets = { name: '0006-seal-secrets', up, down } as const;
