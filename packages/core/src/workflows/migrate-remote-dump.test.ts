import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mariadbQuery, requireMariaDbBinaries, startMariaDb, startPhpServer, type MariaDbServer, type PhpServer } from '@installgate/testkit';
import type { RowDataPacket } from 'mysql2/promise';
import { EngineError } from '@installgate/contracts';
import { restoreDatabase } from '../dumps';
import { createAppDatabase, withAppConnection } from '../runtime/app-database';
import { parseDbUrl, type DbCredentials } from '../runtime/db-server';
import { renderDumpHelper, requestRemoteDump, type DumpHelper } from './migrate-remote-dump';

/**
 * The migration helper against real PHP (`php -S`) and real MariaDB: it refuses anything but a POST with its
 * secret, and an expired copy of itself; with the secret it streams the prefixed tables (emoji, binary bytes, NULLs,
 * a row with id 0, BIT) as SQL that loads into another database under another prefix with identical checksums.
 */
jest.setTimeout(90_000);

let tmp: string;
let maria: MariaDbServer;
let php: PhpServer;
let src: DbCredentials;
let dst: DbCredentials;
const docroot = () => join(tmp, 'site');

function place(helper: DumpHelper): void {
  writeFileSync(join(docroot(), helper.name), helper.text);
}

async function post(helper: DumpHelper, secret?: string, method = 'POST'): Promise<number> {
  const r = await fetch(`${php.url}/${helper.name}`, { method, headers: secret === undefined ? {} : { 'x-installgate-secret': secret } });
  await r.text();
  return r.status;
}

async function checksum(creds: DbCredentials, table: string): Promise<string> {
  return withAppConnection(creds, async (c) => {
    const [rows] = await c.query<RowDataPacket[]>(`CHECKSUM TABLE \`${table}\``);
    const [n] = await c.query<RowDataPacket[]>(`SELECT COUNT(*) AS n FROM \`${table}\``);
    return `${String(rows[0]!.Checksum)}/${String(n[0]!.n)}`;
  });
}

beforeAll(async () => {
  requireMariaDbBinaries();
  tmp = mkdtempSync(join(tmpdir(), 'ig-migrate-dump-'));
  maria = await startMariaDb({ dir: join(tmp, 'db') });
  const server = parseDbUrl(maria.url);
  src = await createAppDatabase(server, { hint: 'mig_src', prefix: 'wp_' });
  dst = await createAppDatabase(server, { hint: 'mig_dst', prefix: 'wp_' });
  await mariadbQuery(maria, `
    CREATE TABLE wp_posts (id INT AUTO_INCREMENT PRIMARY KEY, title TEXT NOT NULL, note VARCHAR(191)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
    CREATE TABLE wp_blobs (id INT PRIMARY KEY, data LONGBLOB, flag BIT(1), hash BINARY(4)) ENGINE=InnoDB;
    CREATE TABLE other_site (id INT PRIMARY KEY);
    CREATE VIEW wp_view AS SELECT id FROM wp_posts;`, { database: src.db_name });
  await withAppConnection(src, async (c) => {
    await c.query("SET SESSION sql_mode = 'NO_AUTO_VALUE_ON_ZERO'");
    await c.query('INSERT INTO wp_posts (id, title, note) VALUES (0, ?, NULL), (7, ?, ?)', ["zero 😀 it's \"q\" back\\slash", 'line\nbreak ünï', '%_like']);
    await c.query('INSERT INTO wp_blobs VALUES (1, ?, 1, ?), (2, ?, 0, NULL), (3, NULL, NULL, ?)', [Buffer.from([0, 0x27, 0x5c, 0xff, 0x0a]), Buffer.from([0, 1, 2, 3]), Buffer.alloc(0), Buffer.from('abcd')]);
  });
  mkdirSync(docroot());
  php = await startPhpServer({ docroot: docroot() });
});
afterAll(async () => {
  await php?.stop();
  await maria?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

test('refuses a GET, a POST without the secret or with a wrong one, and an expired helper', async () => {
  const helper = renderDumpHelper(src);
  place(helper);
  expect(helper.name).toMatch(/^installgate-migrate-[0-9a-f]{24}\.php$/);
  expect(await post(helper, helper.secret, 'GET')).toBe(405);
  expect(await post(helper)).toBe(403);
  expect(await post(helper, 'not-the-secret')).toBe(403);
  const old = new Date(Date.now() - 2 * 3600 * 1000);
  utimesSync(join(docroot(), helper.name), old, old);
  expect(await post(helper, helper.secret)).toBe(410);
});

test('with the secret: the prefixed base tables load elsewhere under another prefix with the same checksums', async () => {
  const helper = renderDumpHelper(src);
  place(helper);
  const dump = await requestRemoteDump(php.url, '127.0.0.1', helper, []);
  expect(dump.sourcePath).toBe(docroot());
  await restoreDatabase(dst, dump.body, { tablePrefixRewrite: { from: 'wp_', to: 'new_' } });
  expect(dump.complete()).toBe(true);
  const [tables] = await withAppConnection(dst, (c) => c.query<RowDataPacket[]>('SHOW TABLES'));
  expect(tables.map((r) => Object.values(r)[0]).sort()).toEqual(['new_blobs', 'new_posts']);
  expect(await checksum(dst, 'new_posts')).toBe(await checksum(src, 'wp_posts'));
  expect(await checksum(dst, 'new_blobs')).toBe(await checksum(src, 'wp_blobs'));
});

test('a database it cannot open: an invalid_argument_source_url error naming the cause, never the password', async () => {
  const helper = renderDumpHelper({ ...src, db_pass: 'Wr0ng-Secret-Pass' });
  place(helper);
  const err = await requestRemoteDump(php.url, undefined, helper, ['Wr0ng-Secret-Pass']).then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(EngineError);
  expect(err).toMatchObject({ errcode: 'invalid_argument_source_url', errfield: 'source_url' });
  expect((err as Error).message).toContain('HTTP 502');
  expect((err as Error).message).toContain('database');
  expect((err as Error).message).not.toContain('Wr0ng-Secret-Pass');
  expect((err as Error).message).not.toContain(helper.secret);
});

test('a dump cut short (no completion marker) is recognised as incomplete', async () => {
  const helper = renderDumpHelper(src);
  // What a helper stopped by the source's time limit sends: a 200 and the first statements, never the marker.
  writeFileSync(join(docroot(), helper.name), `<?php header('X-Installgate-Path: /x'); echo "CREATE TABLE \`wp_cut\` (id INT);\\nINSERT INTO \`wp_cut\` VALUES (1);\\n";`);
  const dump = await requestRemoteDump(php.url, undefined, helper, []);
  await restoreDatabase(dst, dump.body, { tablePrefixRewrite: { from: 'wp_', to: 'cut_' } });
  expect(dump.complete()).toBe(false);
});
