import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { mariadbQuery, requireMariaDbBinaries, startMariaDb, type MariaDbServer } from '@installgate/testkit';
import { makeInstallRecord } from '../testing/fixtures';
import { createAppDatabase, withAppConnection } from '../runtime/app-database';
import { parseDbUrl, type DbCredentials } from '../runtime/db-server';
import { copyTables } from './copy-tables';
import { fileChanges, tableChanges } from './sync-changes';

jest.setTimeout(60_000);

let tmp: string;
let maria: MariaDbServer;
let src: DbCredentials;
let dst: DbCredentials;

beforeAll(async () => {
  requireMariaDbBinaries();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ig-sync-changes-'));
  maria = await startMariaDb({ dir: path.join(tmp, 'db') });
  const server = parseDbUrl(maria.url);
  src = await createAppDatabase(server, { hint: 'sync_src', prefix: 'st_' });
  dst = await createAppDatabase(server, { hint: 'sync_dst', prefix: 'wp_' });
  await mariadbQuery(maria, `CREATE TABLE st_posts (id INT PRIMARY KEY, title TEXT) DEFAULT CHARSET=utf8mb4;
    CREATE TABLE st_options (name VARCHAR(64) PRIMARY KEY, value LONGTEXT) DEFAULT CHARSET=utf8mb4;
    CREATE TABLE st_extra (id INT PRIMARY KEY);
    INSERT INTO st_posts VALUES (1, 'Hello 😀'), (2, 'Second');
    INSERT INTO st_options VALUES ('home', 'a:1:{s:1:"u";s:4:"http";}');`, { database: src.db_name });
});
afterAll(async () => {
  await maria?.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const install = (id: string, dir: string, db: DbCredentials) => makeInstallRecord({ id, path: dir, db_host: db.db_host, db_name: db.db_name, db_user: db.db_user, db_pass: db.db_pass, db_prefix: db.db_prefix });

test('copyTables streams tables into another database under another prefix; tableChanges compares them by CHECKSUM TABLE', async () => {
  await copyTables(src, ['st_posts', 'st_options'], dst, { from: 'st_', to: 'wp_' });
  const rows = await withAppConnection(dst, async (c) => (await c.query('SELECT title FROM wp_posts ORDER BY id'))[0] as { title: string }[]);
  expect(rows.map((r) => r.title)).toEqual(['Hello 😀', 'Second']);
  const plan = { source: install('s', tmp, src), target: install('t', tmp, dst), sourceDb: src, targetDb: dst };
  const same = await tableChanges({ ...plan, tables: { copy: ['posts', 'options', 'extra'], remove: ['gone'] } });
  expect(same).toEqual({ added: ['extra'], changed: [], removed: ['gone'] });
  await withAppConnection(src, (c) => c.query("UPDATE st_posts SET title = 'Edited' WHERE id = 2"));
  expect((await tableChanges({ ...plan, tables: { copy: ['posts', 'options'], remove: [] } })).changed).toEqual(['posts']);
});

test('copyTables reports the dump tool\'s error (a table that does not exist) and leaves the caller to clean up', async () => {
  await expect(copyTables(src, ['st_missing'], dst, { from: 'st_', to: 'x_' })).rejects.toMatchObject({ errcode: expect.any(String) });
});

test('fileChanges: added, changed (size, or same size with other bytes), removed; same bytes with another mtime is unchanged', async () => {
  const a = path.join(tmp, 'a');
  const b = path.join(tmp, 'b');
  const put = (root: string, rel: string, text: string, mtime = new Date('2021-05-06T07:08:09Z')) => {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
    fs.utimesSync(path.join(root, rel), mtime, mtime);
  };
  put(a, 'wp-content/new.txt', 'new');
  put(a, 'wp-content/same.txt', 'same');
  put(b, 'wp-content/same.txt', 'same');
  put(a, 'wp-content/touched.txt', 'bytes', new Date('2022-01-01T00:00:00Z'));
  put(b, 'wp-content/touched.txt', 'bytes');
  put(a, 'wp-content/edited.txt', 'AAAA', new Date('2022-01-01T00:00:00Z'));
  put(b, 'wp-content/edited.txt', 'BBBB');
  put(a, 'index.php', 'longer text');
  put(b, 'index.php', 'short');
  put(b, 'wp-content/old.txt', 'old');
  put(b, 'only-target.txt', 'x');
  const changes = await fileChanges({ source: makeInstallRecord({ path: a }), target: makeInstallRecord({ path: b }), files: { copy: ['index.php', 'wp-content'], remove: ['only-target.txt'] } });
  expect(changes).toEqual({ added: ['wp-content/new.txt'], changed: ['index.php', 'wp-content/edited.txt'], removed: ['only-target.txt', 'wp-content/old.txt'] });
});
