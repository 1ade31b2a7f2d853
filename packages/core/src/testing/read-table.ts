import { openStore } from '../db/connect';
import type { TempEngine } from './temp-engine';

/**
 * Every column of every row of a table, read through a second connection to the SQLite file: what an operator
 * with the database in hand would see. Tests use it to prove a secret never reached storage.
 */
export async function readTable(t: TempEngine, table: string): Promise<Array<Record<string, unknown>>> {
  const db = openStore({ client: 'sqlite3', filename: t.filename });
  try {
    return (await db(table).select('*')) as Array<Record<string, unknown>>;
  } finally {
    await db.destroy();
  }
}
