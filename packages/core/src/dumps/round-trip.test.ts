import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { mariadbQuery, requireMariaDbBinaries, startMariaDb, type MariaDbServer } from '@installgate/testkit';
import type { RowDataPacket } from 'mysql2/promise';
import { createAppDatabase, withAppConnection } from '../runtime/app-database';
import { parseDbUrl, type DbCredentials, type DbServer } from '../runtime/db-server';
import { dumpDatabase } from './dump-database';
import { restoreDatabase } from './restore-database';
import { CountDumpRows } from './count-dump-rows';
import { pipeline } from 'node:stream/promises';

jest.setTimeout(60_000);

let tmp: string;
let maria: MariaDbServer;
let server: DbServer;
let src: DbCredentials;
let dst: DbCredentials;
const blob = Buffer.concat([Buffer.from([0x00, 0x27, 0x5c, 0x22, 0x0a, 0x0d, 0x1a, 0x00, 0x27]), randomBytes(300_000)]);
const EMOJI = "😀🎉 it's \"quoted\"; back\\slash — ünïcødé 𝄞";

/** Collects a dump in memory (tests only). */
function sink(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

async function checksums(creds: DbCredentials, tables: string[]): Promise<Record<string, string>> {
  return withAppConnection(creds, async (c) => {
    const [rows] = await c.query<RowDataPacket[]>(`CHECKSUM TABLE ${tables.map((t) => `\`${t}\``).join(', ')}`);
    const [counts] = await c.query<RowDataPacket[]>(tables.map((t) => `SELECT '${t}' AS t, COUNT(*) AS n FROM \`${t}\``).join(' UNION ALL '));
    const out: Record<string, string> = {};
    rows.forEach((r, i) => (out[tables[i]] = `${String(r.Checksum)}/${String(counts[i].n)}`));
    return out;
  });
}

beforeAll(async () => {
  requireMariaDbBinaries();
  tmp = mkdtempSync(join(tmpdir(), 'ig-dumps-'));
  maria = await startMariaDb({ dir: join(tmp, 'db') });
  server = parseDbUrl(maria.url);
  src = await createAppDatabase(server, { hint: 'dump_src', prefix: 'wp_' });
  dst = await createAppDatabase(server, { hint: 'dump_dst', prefix: 'wp_' });
  await mariadbQuery(
    maria,
    `CREATE TABLE wp_posts (id INT AUTO_INCREMENT PRIMARY KEY, title TEXT NOT NULL, note VARCHAR(191)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
     CREATE TABLE wp_blobs (id INT PRIMARY KEY, data LONGBLOB) ENGINE=InnoDB;
     CREATE TABLE wp_big (id INT PRIMARY KEY, s VARCHAR(100), parent INT NULL, FOREIGN KEY (parent) REFERENCES wp_big(id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
     CREATE TABLE wp_log (id INT AUTO_INCREMENT PRIMARY KEY, msg TEXT) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
     CREATE TABLE other_table (id INT PRIMARY KEY);
     INSERT INTO wp_big (id, s, parent) SELECT seq, CONCAT('row ', seq, ' 🎉'), IF(seq > 1, seq - 1, NULL) FROM seq_1_to_20000;
     DELIMITER $$
     CREATE TRIGGER wp_posts_ai AFTER INSERT ON wp_posts FOR EACH ROW BEGIN INSERT INTO wp_log (msg) VALUES (CONCAT('new; ', NEW.title)); END$$
     DELIMITER ;`,
    { database: src.db_name },
  );
  await withAppConnection(src, async (c) => {
    await c.query('INSERT INTO wp_posts (title, note) VALUES (?, ?), (?, NULL)', [EMOJI, 'DEFINER=`root`@`x`', 'second 😀']);
    await c.query('INSERT INTO wp_blobs VALUES (1, ?), (2, ?), (3, NULL)', [blob, Buffer.alloc(0)]);
  });
});
afterAll(async () => {
  await maria?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

const TABLES = ['wp_big', 'wp_blobs', 'wp_log', 'wp_posts'];

test('dump → restore into a second database keeps emoji, BLOB bytes, 20k rows and the trigger', async () => {
  const out = sink();
  const before = readdirSync(tmpdir()).filter((n) => n.startsWith('ig-dbcnf-')).length;
  const res = await dumpDatabase(src, TABLES, out.stream);
  expect(readdirSync(tmpdir()).filter((n) => n.startsWith('ig-dbcnf-')).length).toBe(before); // defaults file removed
  const sql = out.text();
  expect(res.bytes).toBe(Buffer.byteLength(sql));
  expect(sql).toContain('wp_posts_ai');
  expect(sql).not.toContain('other_table');
  expect(sql).not.toContain(src.db_pass);

  const counter = new CountDumpRows();
  counter.resume();
  await pipeline(Readable.from([Buffer.from(sql)]), counter);
  // The rows counted in the dump are the rows the restore inserts (wp_log: the 2 rows written by the trigger at the
  // source is dumped as data).
  expect(Object.fromEntries(counter.rows)).toEqual({ wp_big: 20000, wp_blobs: 3, wp_log: 2, wp_posts: 2 });

  const { statements, rows } = await restoreDatabase(dst, Readable.from([Buffer.from(sql)]));
  expect(statements).toBeGreaterThan(10);
  expect(rows).toEqual({ wp_big: 20000, wp_blobs: 3, wp_log: 2, wp_posts: 2 });

  expect(await checksums(dst, TABLES)).toEqual(await checksums(src, TABLES));
  await withAppConnection(dst, async (c) => {
    const [posts] = await c.query<RowDataPacket[]>('SELECT title, note FROM wp_posts ORDER BY id');
    expect(posts[0].title).toBe(EMOJI);
    expect(posts[0].note).toBe('DEFINER=`root`@`x`');
    const [blobs] = await c.query<RowDataPacket[]>('SELECT id, data FROM wp_blobs ORDER BY id');
    expect(Buffer.compare(blobs[0].data as Buffer, blob)).toBe(0);
    expect((blobs[1].data as Buffer).length).toBe(0);
    expect(blobs[2].data).toBeNull();
    const [trg] = await c.query<RowDataPacket[]>('SELECT TRIGGER_NAME, DEFINER FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE()');
    expect(trg.map((r) => r.TRIGGER_NAME)).toEqual(['wp_posts_ai']);
    expect(String(trg[0].DEFINER)).toMatch(new RegExp(`^${dst.db_user}@`)); // DEFINER=root was stripped
    // The trigger works after the restore.
    await c.query("INSERT INTO wp_posts (title) VALUES ('after restore')");
    const [log] = await c.query<RowDataPacket[]>("SELECT COUNT(*) AS n FROM wp_log WHERE msg = 'new; after restore'");
    expect(Number(log[0].n)).toBe(1);
  });
});

test('an empty table list gives a valid dump that creates nothing', async () => {
  const out = sink();
  const res = await dumpDatabase(src, [], out.stream);
  expect(res.bytes).toBeGreaterThan(0);
  expect(out.text()).not.toMatch(/CREATE TABLE/);
  const target = await createAppDatabase(server, { hint: 'dump_empty' });
  await restoreDatabase(target, Readable.from([Buffer.from(out.text())]));
  await withAppConnection(target, async (c) => {
    const [rows] = await c.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()');
    expect(Number(rows[0].n)).toBe(0);
  });
});

test('restore with a table prefix rewrite', async () => {
  const out = sink();
  await dumpDatabase(src, TABLES, out.stream);
  const target = await createAppDatabase(server, { hint: 'dump_prefix' });
  await restoreDatabase(target, Readable.from([Buffer.from(out.text())]), { tablePrefixRewrite: { from: 'wp_', to: 'ab1_' } });
  await withAppConnection(target, async (c) => {
    const [rows] = await c.query<RowDataPacket[]>('SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() ORDER BY 1');
    expect(rows.map((r) => r.t)).toEqual(['ab1_big', 'ab1_blobs', 'ab1_log', 'ab1_posts']);
    const [posts] = await c.query<RowDataPacket[]>('SELECT note FROM ab1_posts WHERE id = 1');
    expect(posts[0].note).toBe('DEFINER=`root`@`x`');
  });
});


test('regression: bytes are sent as the dump holds them (non-ASCII table names and data, SET NAMES inside the dump)', async () => {
  // The restorer sends latin1 strings over a `binary` client encoding; mysql2 switched back to utf8 when the server
  // reported a SET NAMES, and encoded every non-ASCII byte twice.
  const target = await createAppDatabase(server, { hint: 'dump_bytes' });
  const dump = "/*!40101 SET NAMES utf8mb4 */;\nCREATE TABLE `wp_ünï` (v TEXT) DEFAULT CHARSET=utf8mb4;\nSET NAMES utf8mb4;\nINSERT INTO `wp_ünï` VALUES ('😀 ü'),('ß');\n";
  const res = await restoreDatabase(target, Readable.from([Buffer.from(dump)]), { tablePrefixRewrite: { from: 'wp_', to: 'ö_' } });
  expect(res.rows).toEqual({ 'ö_ünï': 2 });
  await withAppConnection(target, async (c) => {
    const [rows] = await c.query<RowDataPacket[]>('SELECT HEX(v) AS h FROM `ö_ünï` ORDER BY v');
    expect(rows.map((r) => r.h)).toEqual([Buffer.from('ß').toString('hex').toUpperCase(), Buffer.from('😀 ü').toString('hex').toUpperCase()]);
  });
});
test('a password with quotes, #, ; and backslash works through the defaults file', async () => {
  const pass = `p#a"ss\\w ord;'x`;
  await mariadbQuery(maria, `CREATE USER 'odd'@'%' IDENTIFIED BY 'p#a"ss\\\\w ord;\\'x'; GRANT ALL ON \`${src.db_name}\`.* TO 'odd'@'%';`);
  const out = sink();
  await dumpDatabase({ ...src, db_user: 'odd', db_pass: pass }, ['wp_posts'], out.stream);
  expect(out.text()).toContain('CREATE TABLE `wp_posts`');
});

test('dump errors map to fields: wrong password, unknown database', async () => {
  const s1 = new PassThrough();
  s1.on('error', () => undefined);
  await expect(dumpDatabase({ ...src, db_pass: 'wrong' }, TABLES, s1)).rejects.toMatchObject({ errcode: 'invalid_argument_db_pass' });
  expect(s1.destroyed).toBe(true);
  const s2 = new PassThrough();
  s2.on('error', () => undefined);
  await expect(dumpDatabase({ ...src, db_name: 'nope_db' }, TABLES, s2)).rejects.toMatchObject({ errcode: 'invalid_argument_db_name' });
  const s3 = new PassThrough();
  s3.on('error', () => undefined);
  await expect(dumpDatabase(src, ['no_such_table'], s3)).rejects.toMatchObject({ errcode: 'internal_error' });
});

test('restore: a statement over max_allowed_packet fails before it is sent; SQL errors name the statement', async () => {
  const target = await createAppDatabase(server, { hint: 'dump_fail' });
  const huge = `CREATE TABLE t (a LONGTEXT);\nINSERT INTO t VALUES ('${'x'.repeat(20 * 1024 * 1024)}');\n`;
  await expect(restoreDatabase(target, Readable.from([Buffer.from(huge)]))).rejects.toThrow(/max_allowed_packet/);
  await expect(restoreDatabase(target, Readable.from(['SELECT 1;\nSELEC nonsense;\n']))).rejects.toThrow(/statement 2: ER_PARSE_ERROR/);
  await expect(restoreDatabase({ ...target, db_pass: 'bad' }, Readable.from(['SELECT 1;']))).rejects.toMatchObject({ errcode: 'invalid_argument_db_pass' });
});
