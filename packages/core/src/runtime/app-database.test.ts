import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, mariadbQuery, requireMariaDbBinaries, startMariaDb, type MariaDbServer } from '@installgate/testkit';
import {
  checkCredentials,
  createAppDatabase,
  databaseExists,
  dropAppDatabase,
  dropTables,
  listTables,
  MAX_DB_USER,
  sanitizeDbName,
  serverVersion,
  userExists,
} from './app-database';
import { parseDbUrl, type DbCredentials, type DbServer } from './db-server';

jest.setTimeout(60_000);

let tmp: string;
let maria: MariaDbServer;
let server: DbServer;

beforeAll(async () => {
  requireMariaDbBinaries(); // fails loudly: "run scripts/provision/system-deps.sh …"
  tmp = mkdtempSync(join(tmpdir(), 'ig-appdb-'));
  maria = await startMariaDb({ dir: join(tmp, 'db') });
  server = parseDbUrl(maria.url);
});
afterAll(async () => {
  await maria?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

describe('sanitizeDbName', () => {
  it.each([
    ['wp_example.com/blog', 64, 'wp_example_com_blog'],
    ['  Ünïcode Site!! ', 64, 'n_code_site'],
    ['---', 64, 'app'],
    ['12345', 64, 'db_12345'],
    ['a'.repeat(40), MAX_DB_USER, 'a'.repeat(32)],
    ['abc_def_ghi', 8, 'abc_def'],
  ])('%j (max %i) → %s', (hint, max, expected) => {
    expect(sanitizeDbName(hint, max)).toBe(expected);
  });
});

describe('application databases on a real MariaDB', () => {
  it('reports the server version', async () => {
    expect(await serverVersion(server)).toMatch(/^\d+\.\d+\.\d+-MariaDB/);
  });

  it('creates a utf8mb4 database and a user that can use it over TCP and the socket; drops both', async () => {
    const creds = await createAppDatabase(server, { hint: 'wp example.com', prefix: 'wp_' });
    expect(creds).toMatchObject({ db_host: `127.0.0.1:${maria.port}`, db_name: 'wp_example_com', db_user: 'wp_example_com', db_prefix: 'wp_' });
    expect(creds.db_pass).toMatch(/^[A-Za-z0-9_-]{28}$/);
    expect(await databaseExists(server, creds.db_name)).toBe(true);
    expect(await userExists(server, creds.db_user)).toBe(true);
    expect((await mariadbQuery(maria, `SELECT DEFAULT_CHARACTER_SET_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = '${creds.db_name}'`)).trim()).toBe('utf8mb4');
    expect((await mariadbQuery(maria, `SELECT Host FROM mysql.user WHERE User = '${creds.db_user}' ORDER BY Host`)).trim().split('\n')).toEqual(['%', 'localhost']);

    await checkCredentials(creds);
    expect(await serverVersion(creds)).toMatch(/MariaDB/);
    await checkCredentials({ ...creds, db_host: `localhost:${maria.socket}` }); // the 'localhost' account, by socket

    await dropAppDatabase(server, creds);
    expect(await databaseExists(server, creds.db_name)).toBe(false);
    expect(await userExists(server, creds.db_user)).toBe(false);
    await dropAppDatabase(server, creds); // idempotent
  });

  it('gives a taken name a random suffix, for the database and the user alike', async () => {
    const a = await createAppDatabase(server, { hint: 'same' });
    const b = await createAppDatabase(server, { hint: 'same' });
    expect(a.db_name).toBe('same');
    expect(b.db_name).toMatch(/^same_[0-9a-f]{4}$/);
    expect(b.db_user).toMatch(/^same_[0-9a-f]{4}$/);
    expect(a.db_prefix).toMatch(/^[a-z][a-z0-9]{3}_$/);
    const long = await createAppDatabase(server, { hint: 'x'.repeat(100) });
    const long2 = await createAppDatabase(server, { hint: 'x'.repeat(100) });
    expect(long.db_name.length).toBeLessThanOrEqual(64);
    expect(long2.db_user.length).toBeLessThanOrEqual(32);
    expect(long2.db_user).not.toBe(long.db_user);
    for (const c of [a, b, long, long2]) await dropAppDatabase(server, c);
    expect(await userExists(server, b.db_user)).toBe(false);
  });

  it('concurrent creates with one hint never share a database or a user', async () => {
    const all = await Promise.all(Array.from({ length: 6 }, () => createAppDatabase(server, { hint: 'race' })));
    expect(new Set(all.map((c) => c.db_name)).size).toBe(6);
    expect(new Set(all.map((c) => c.db_user)).size).toBe(6);
    await Promise.all(all.map((c) => dropAppDatabase(server, c)));
  });

  describe('checkCredentials maps failures to the field at fault', () => {
    let creds: DbCredentials;
    beforeAll(async () => {
      creds = await createAppDatabase(server, { hint: 'check' });
    });
    afterAll(() => dropAppDatabase(server, creds));

    it('wrong password → invalid_argument_db_pass', async () => {
      await expect(checkCredentials({ ...creds, db_pass: 'wrong' })).rejects.toMatchObject({ errcode: 'invalid_argument_db_pass', errfield: 'db_pass' });
    });
    it('unknown user → invalid_argument_db_pass (the server does not say which of the two)', async () => {
      await expect(checkCredentials({ ...creds, db_user: 'nobody' })).rejects.toMatchObject({ errcode: 'invalid_argument_db_pass' });
    });
    it('database the user may not use → invalid_argument_db_name', async () => {
      await expect(checkCredentials({ ...creds, db_name: 'mysql' })).rejects.toMatchObject({ errcode: 'invalid_argument_db_name', errfield: 'db_name' });
    });
    it('unknown database → invalid_argument_db_name', async () => {
      await expect(checkCredentials({ ...server, ...creds, db_user: 'root', db_pass: server.password, db_name: 'no_such_db' })).rejects.toMatchObject({ errcode: 'invalid_argument_db_name' });
    });
    it('nothing listening → invalid_argument_db_host', async () => {
      await expect(checkCredentials({ ...creds, db_host: `127.0.0.1:${await freePort()}` })).rejects.toMatchObject({ errcode: 'invalid_argument_db_host', errfield: 'db_host' });
    });
    it('messages never carry the password', async () => {
      const e = await checkCredentials({ ...creds, db_pass: 'Sup3r-Secret' }).catch((err: Error) => err);
      expect(JSON.stringify({ m: (e as Error).message, d: (e as { details?: unknown }).details })).not.toContain('Sup3r-Secret');
    });
  });

  it('lists tables by literal prefix (_ is no wildcard) and drops them, views and foreign keys included', async () => {
    const creds = await createAppDatabase(server, { hint: 'tables', prefix: 'a_' });
    await mariadbQuery(
      maria,
      `CREATE TABLE a_parent (id INT PRIMARY KEY) ENGINE=InnoDB;
       CREATE TABLE a_child (id INT PRIMARY KEY, p INT, FOREIGN KEY (p) REFERENCES a_parent(id)) ENGINE=InnoDB;
       CREATE VIEW a_view AS SELECT id FROM a_parent;
       CREATE TABLE ab_other (id INT);
       CREATE TABLE b_other (id INT);`,
      { database: creds.db_name },
    );
    expect(await listTables(creds, 'a_')).toEqual(['a_child', 'a_parent', 'a_view']);
    expect(await listTables(creds, '')).toHaveLength(5);
    await dropTables(creds, ['a_parent', 'a_view', 'a_child', 'a_missing']);
    expect(await listTables(creds, '')).toEqual(['ab_other', 'b_other']);
    await expect(dropTables(creds, ['x`; DROP DATABASE mysql; --'])).rejects.toMatchObject({ errcode: 'invalid_argument_tables' });
    await dropAppDatabase(server, creds);
  });

  it('refuses names that are not plain identifiers', async () => {
    await expect(dropAppDatabase(server, { db_name: 'x`; DROP DATABASE mysql; --' })).rejects.toMatchObject({ errcode: 'invalid_argument_db_name' });
    await expect(dropAppDatabase(server, { db_user: "u'@'%" })).rejects.toMatchObject({ errcode: 'invalid_argument_db_user' });
  });

  it('an unreachable server is service_unavailable without the root password in the message', async () => {
    const e = await serverVersion({ ...server, port: await freePort() }).catch((err: Error) => err);
    expect(e).toMatchObject({ errcode: 'service_unavailable' });
    expect((e as Error).message).not.toContain(server.password);
  });
});
