import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mariadbQuery, requireMariaDbBinaries, startMariaDb, type MariaDbServer } from '@installgate/testkit';
import { createAppDatabase, listTables, withAppConnection } from '../runtime/app-database';
import { parseDbUrl } from '../runtime/db-server';
import type { DbCredentials } from './ports';
import { snapshotTables } from './table-snapshot';

jest.setTimeout(60_000);

let tmp: string;
let maria: MariaDbServer;
let db: DbCredentials;

beforeAll(async () => {
  requireMariaDbBinaries();
  tmp = mkdtempSync(join(tmpdir(), 'ig-snapshot-'));
  maria = await startMariaDb({ dir: join(tmp, 'db') });
  db = { ...(await createAppDatabase(parseDbUrl(maria.url), { hint: 'snap' })), db_prefix: 'wp_' };
});
afterAll(async () => {
  await maria?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

const sql = (q: string) => withAppConnection(db, (c) => c.query(q));

/** What "exactly as before" means: rows (CHECKSUM TABLE), definitions with AUTO_INCREMENT, the table list. */
async function state(): Promise<string> {
  const out: string[] = [];
  for (const t of await listTables(db, '')) {
    out.push(await mariadbQuery(maria, `CHECKSUM TABLE \`${db.db_name}\`.\`${t}\` EXTENDED`));
    out.push(await mariadbQuery(maria, `SHOW CREATE TABLE \`${db.db_name}\`.\`${t}\``));
  }
  return out.join('\n');
}

beforeEach(async () => {
  for (const t of await listTables(db, '')) await sql(`DROP TABLE \`${t}\``);
  await sql("CREATE TABLE wp_options (option_id BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY, option_name VARCHAR(191) UNIQUE, option_value LONGTEXT, d DATETIME NOT NULL DEFAULT '0000-00-00 00:00:00') DEFAULT CHARSET=utf8mb4");
  await withAppConnection(db, async (c) => {
    await c.query("SET SESSION sql_mode = 'NO_AUTO_VALUE_ON_ZERO'"); // a row with id 0, as old dumps hold
    await c.query("INSERT INTO wp_options (option_id, option_name, option_value) VALUES (0, 'zero', 'id 0 kept'), (5, 'db_version', '53496'), (9, 'emoji', '🎉 ünïcode')");
  });
  await sql('DELETE FROM wp_options WHERE option_id = 9'); // AUTO_INCREMENT stays past the deleted row
  await sql('CREATE TABLE wp_posts (ID INT PRIMARY KEY, body BLOB)');
  await sql("INSERT INTO wp_posts VALUES (1, 0x00FF10), (2, NULL)");
  await sql('CREATE TABLE other_app (x INT)'); // another prefix: never touched
});

test('rollback puts every table back exactly, drops tables the upgrade created, leaves no copies', async () => {
  const before = await state();
  const snap = await snapshotTables(db, 'wp_');
  expect([...snap.tables].sort()).toEqual(['wp_options', 'wp_posts']);
  // The upgrade's kind of changes: rows, schema, a new table, a dropped table.
  await sql("UPDATE wp_options SET option_value = '55853' WHERE option_name = 'db_version'");
  await sql('ALTER TABLE wp_options ADD COLUMN autoload_new INT');
  await sql('CREATE TABLE wp_new_feature (id INT)');
  await sql('DROP TABLE wp_posts');
  await snap.rollback();
  expect(await state()).toBe(before);
});

test('commit keeps the upgraded tables and drops the originals', async () => {
  const snap = await snapshotTables(db, 'wp_');
  await sql("UPDATE wp_options SET option_value = '55853' WHERE option_name = 'db_version'");
  await snap.commit();
  expect((await listTables(db, '')).sort()).toEqual(['other_app', 'wp_options', 'wp_posts']);
  const [rows] = await withAppConnection(db, (c) => c.query("SELECT option_id, option_value FROM wp_options ORDER BY option_id"));
  expect(rows).toEqual([{ option_id: 0, option_value: 'id 0 kept' }, { option_id: 5, option_value: '55853' }]);
});

test('a table whose copy name would be too long is refused before anything changes', async () => {
  await sql(`CREATE TABLE wp_${'x'.repeat(58)} (id INT)`);
  const before = await state();
  await expect(snapshotTables(db, 'wp_')).rejects.toMatchObject({ errcode: 'internal_error' });
  expect(await state()).toBe(before);
});
