/**
 * The safety net of an update's database step: before the application's own upgrade touches its tables, every
 * table with the install's prefix is copied (CREATE TABLE … LIKE + INSERT … SELECT) and, in one RENAME TABLE
 * statement (atomic in MariaDB/MySQL), the copies take the live names while the originals move aside untouched.
 * The upgrade then changes the copies. Rolling back renames the originals onto their names again, so the tables
 * are exactly what they were (same rows, same CHECKSUM TABLE, same AUTO_INCREMENT); tables the upgrade created are
 * dropped. Committing drops the originals.
 */
import { randomBytes } from 'node:crypto';
import { EngineError } from '@installgate/contracts';
import { listTables, withAppConnection } from '../runtime/app-database';
import type { DbCredentials } from './ports';

export interface TableSnapshot {
  /** The tables the snapshot holds (the live ones with the prefix when it was taken). */
  readonly tables: readonly string[];
  /** Puts the original tables back and removes what the upgrade created or changed. */
  rollback(): Promise<void>;
  /** Keeps the upgraded tables and drops the originals. */
  commit(): Promise<void>;
}

const MAX_TABLE_NAME = 64;
const q = (t: string) => `\`${t.replace(/`/g, '``')}\``;

/** Takes the snapshot and puts the copies live (see the file comment). Leaves nothing behind when it fails. */
export async function snapshotTables(db: DbCredentials, prefix: string): Promise<TableSnapshot> {
  const tables = await listTables(db, prefix);
  // One tag per snapshot: `<tag>c_` holds the copies before the swap, `<tag>a_` the originals after it.
  const tag = `ig${randomBytes(3).toString('hex')}`;
  const copyOf = (t: string) => `${tag}c_${t}`;
  const asideOf = (t: string) => `${tag}a_${t}`;
  const tooLong = tables.find((t) => copyOf(t).length > MAX_TABLE_NAME);
  if (tooLong) {
    throw new EngineError('internal_error', { message: `The table ${tooLong} has too long a name to be kept aside during the update (at most ${MAX_TABLE_NAME - tag.length - 2} characters).` });
  }
  const made: string[] = [];
  const dropQuietly = async (names: string[]) => {
    if (names.length) await withAppConnection(db, (c) => c.query(`DROP TABLE IF EXISTS ${names.map(q).join(', ')}`)).catch(() => undefined);
  };
  try {
    await withAppConnection(db, async (c) => {
      // Rows are copied as stored: no strict-mode refusal of old zero dates, and id 0 stays 0.
      await c.query("SET SESSION sql_mode = 'NO_AUTO_VALUE_ON_ZERO,NO_ENGINE_SUBSTITUTION'");
      for (const t of tables) {
        await c.query(`CREATE TABLE ${q(copyOf(t))} LIKE ${q(t)}`);
        made.push(copyOf(t));
        await c.query(`INSERT INTO ${q(copyOf(t))} SELECT * FROM ${q(t)}`);
      }
      if (tables.length) {
        await c.query(`RENAME TABLE ${tables.map((t) => `${q(t)} TO ${q(asideOf(t))}, ${q(copyOf(t))} TO ${q(t)}`).join(', ')}`);
      }
    });
  } catch (e) {
    await dropQuietly(made);
    throw e;
  }
  return {
    tables,
    async rollback() {
      const now = new Set(await listTables(db, prefix));
      const created = [...now].filter((t) => !tables.includes(t) && !t.startsWith(tag));
      await withAppConnection(db, async (c) => {
        // The changed copies go back under their copy names (a table the upgrade dropped has nothing to move).
        const moves = tables.flatMap((t) => (now.has(t) ? [`${q(t)} TO ${q(copyOf(t))}`] : []));
        moves.push(...tables.map((t) => `${q(asideOf(t))} TO ${q(t)}`));
        if (moves.length) await c.query(`RENAME TABLE ${moves.join(', ')}`);
        const drop = [...created, ...tables.filter((t) => now.has(t)).map(copyOf)];
        if (drop.length) await c.query(`DROP TABLE IF EXISTS ${drop.map(q).join(', ')}`);
      });
    },
    async commit() {
      if (tables.length) await withAppConnection(db, (c) => c.query(`DROP TABLE IF EXISTS ${tables.map(asideOf).map(q).join(', ')}`));
    },
  };
}
