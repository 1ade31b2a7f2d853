import * as fs from 'node:fs';
import * as path from 'node:path';
import { startAppHarness, type AppHarness } from './app-harness';
import { fetchPage, tablesOf, tree, world } from './install-helpers';

/**
 * The engine's generic paths without WordPress, in both protocols: install (testapp-db with a database,
 * testapp-static without), import of an install that exists on disk but is not registered, and uninstall: what the
 * engine created goes, what the caller brought (a database, a folder) stays.
 */
let h: AppHarness;
let dbHost: string;
const GIVEN = { db: 'given_generic', user: 'given_generic_u', pass: 'Given-Generic-Pa55' };

beforeAll(async () => {
  h = await startAppHarness('alice');
  dbHost = `127.0.0.1:${h.mariadb.port}`;
  await h.sql(`CREATE DATABASE ${GIVEN.db}; CREATE TABLE ${GIVEN.db}.keep_me (id INT); INSERT INTO ${GIVEN.db}.keep_me VALUES (42);
    CREATE USER '${GIVEN.user}'@'%' IDENTIFIED BY '${GIVEN.pass}'; CREATE USER '${GIVEN.user}'@'localhost' IDENTIFIED BY '${GIVEN.pass}';
    GRANT ALL PRIVILEGES ON ${GIVEN.db}.* TO '${GIVEN.user}'@'%'; GRANT ALL PRIVILEGES ON ${GIVEN.db}.* TO '${GIVEN.user}'@'localhost';`);
}, 180_000);
afterAll(async () => { await h?.stopAll(); }, 60_000);

const at = (p: string) => `${h.site}/${p}`;

interface Rec {
  id: string;
  application: string;
  version: string;
  path: string;
  url: string;
  files: string[];
  tables: string[];
  db_host: string;
  db_name: string;
  db_user: string;
  db_pass: string;
  db_prefix: string;
  db_type: string;
  login: string;
  email: string;
  sitetitle: string;
  incomplete: boolean;
}

async function record(id: string): Promise<Rec> {
  return (await h.v2('get', `/installs/${id}`).expect(200)).body.data;
}

async function dbExists(name: string): Promise<boolean> {
  return (await h.sql(`SHOW DATABASES LIKE '${name}'`)).length === 1;
}

async function dbUserExists(name: string): Promise<boolean> {
  return (await h.sql(`SELECT User FROM mysql.user WHERE User = '${name}'`)).length > 0;
}

/** Everything an engine-created install leaves must be gone: files, folder, tables, database, database user. */
async function expectAllGone(r: Rec): Promise<void> {
  expect(fs.existsSync(r.path)).toBe(false);
  expect(await dbExists(r.db_name)).toBe(false);
  expect(await dbUserExists(r.db_user)).toBe(false);
  expect((await h.v2('get', `/installs/${r.id}`)).status).toBe(404);
}

describe('testapp-db', () => {
  let v2: Rec;
  let v1: Rec;

  test('v2 without version installs the newest installable version of the catalog; page, database, tables, record', async () => {
    const catalog = (await h.v2('get', '/browser/testapp-db').expect(200)).body.data as { version: string; install: boolean }[];
    const newest = catalog.find((v) => v.install)!.version;
    const r = await h.v2('post', '/browser/testapp-db/install').send({ url: at('db-v2'), user: 'alice', sitetitle: 'Generic Two', login: 'gen_admin', passwd: 'Gen-Admin-Pa55', email: 'gen@example.test' });
    expect({ http: r.status, result: r.body.result, errcode: r.body.errcode }).toEqual({ http: 200, result: true, errcode: null });
    v2 = r.body.data;
    expect(v2).toMatchObject({ application: 'testapp-db', version: newest, url: at('db-v2'), path: path.join(h.docroot, 'db-v2'), incomplete: false,
      db_type: 'mysql', db_prefix: 'ta_', db_host: dbHost, login: 'gen_admin', email: 'gen@example.test', sitetitle: 'Generic Two', title: 'Generic Two', user: 'alice' });
    expect(newest).toBe('2.0.0');
    expect(await dbExists(v2.db_name)).toBe(true);
    expect(await dbUserExists(v2.db_user)).toBe(true);
    expect(v2.tables).toEqual(await tablesOf(h, v2.db_name));
    expect(v2.tables).toEqual(['ta_options', 'ta_posts', 'ta_users']);
    expect(v2.files).toEqual([...fs.readdirSync(v2.path)].sort());
    expect(v2.files).toEqual(expect.arrayContaining(['config.php', 'index.php', 'installer.php', 'VERSION']));
    const page = await fetchPage(`${at('db-v2')}/`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>Generic Two</title>');
    expect(page.body).toContain('<meta name="generator" content="testapp-db 2.0.0">');
    expect(JSON.stringify(r.body)).not.toContain('Gen-Admin-Pa55');
  }, 30_000);

  test('v1 with version=1.0.0 installs that version (v1 names in data)', async () => {
    const r = await h.v1({ cmd: 'install', application: 'testapp-db', version: '1.0.0', url: at('db-v1'), user: 'alice', sitetitle: 'Generic One' });
    expect({ http: r.status, result: r.body.result, errcode: r.body.errcode }).toEqual({ http: 200, result: true, errcode: null });
    expect(r.body.data).toMatchObject({ installer: 'testapp-db', version: '1.0.0', owner: 'alice', 'db-prefix': 'ta_', 'list-tables': ['ta_settings', 'ta_users'], 'cf-sitetitle': 'Generic One' });
    v1 = await record(r.body.data.id);
    expect(await tablesOf(h, v1.db_name)).toEqual(['ta_settings', 'ta_users']);
    const page = await fetchPage(`${at('db-v1')}/`);
    expect(page.body).toContain('<title>Generic One</title>');
    expect(page.body).toContain('<meta name="generator" content="testapp-db 1.0.0">');
  }, 30_000);

  test('uninstall (v2 DELETE, v1 cmd=uninstall): files, folder, tables, the database and its user are gone', async () => {
    expect((await h.v2('delete', `/installs/${v2.id}`)).body).toMatchObject({ result: true, status: 200, errcode: null });
    await expectAllGone(v2);
    expect((await h.v1({ cmd: 'uninstall', id: v1.id })).body).toMatchObject({ result: true, errcode: null });
    await expectAllGone(v1);
  }, 30_000);
});

describe('testapp-static: no database', () => {
  test('install in both protocols: db_* empty, no tables, no database or database user created; uninstall removes it', async () => {
    const dbsBefore = await h.sql('SHOW DATABASES');
    const usersBefore = await h.sql("SELECT CONCAT(User, '@', Host) FROM mysql.user ORDER BY 1");
    const r2 = await h.v2('post', '/browser/testapp-static/install').send({ url: at('static-v2'), user: 'alice', sitetitle: 'Static Two' });
    expect(r2.body).toMatchObject({ result: true, status: 200, data: { application: 'testapp-static', version: '1.1.0', db_host: '', db_name: '', db_user: '', db_pass: '', db_prefix: '', db_type: '', tables: [] } });
    const r1 = await h.v1({ cmd: 'install', application: 'testapp-static', version: '1.0.0', url: at('static-v1'), user: 'alice', sitetitle: 'Static One' });
    expect(r1.body).toMatchObject({ result: true, data: { installer: 'testapp-static', version: '1.0.0', 'db-name': '', 'db-user': '', 'list-tables': [] } });
    expect(await h.sql('SHOW DATABASES')).toEqual(dbsBefore);
    expect(await h.sql("SELECT CONCAT(User, '@', Host) FROM mysql.user ORDER BY 1")).toEqual(usersBefore);
    expect((await fetchPage(`${at('static-v2')}/`)).body).toContain('<title>Static Two</title>');
    expect((await fetchPage(`${at('static-v1')}/`)).body).toContain('<title>Static One</title>');

    expect((await h.v1({ cmd: 'uninstall', id: r2.body.data.id })).body.result).toBe(true);
    expect((await h.v2('delete', `/installs/${r1.body.data.id}`)).body.result).toBe(true);
    expect(fs.existsSync(path.join(h.docroot, 'static-v2'))).toBe(false);
    expect(fs.existsSync(path.join(h.docroot, 'static-v1'))).toBe(false);
  }, 30_000);
});

describe('what the caller brought stays', () => {
  test('a given database keeps everything but the app\'s tables; a folder the caller made stays', async () => {
    fs.mkdirSync(path.join(h.docroot, 'mine'));
    const r = await h.v2('post', '/browser/testapp-db/install').send({
      url: at('mine'), user: 'alice', sitetitle: 'Brought', db_host: dbHost, db_name: GIVEN.db, db_user: GIVEN.user, db_pass: GIVEN.pass, db_prefix: 'gx_',
    });
    expect(r.body).toMatchObject({ result: true, data: { db_name: GIVEN.db, db_user: GIVEN.user, db_prefix: 'gx_', tables: ['gx_options', 'gx_posts', 'gx_users'] } });
    expect(await tablesOf(h, GIVEN.db)).toEqual(['gx_options', 'gx_posts', 'gx_users', 'keep_me']);
    expect((await fetchPage(`${at('mine')}/`)).body).toContain('<title>Brought</title>');
    expect(JSON.stringify((await h.v2('get', '/logs?limit=1000')).body)).not.toContain(GIVEN.pass);

    expect((await h.v2('delete', `/installs/${r.body.data.id}`)).body.result).toBe(true);
    expect(await tablesOf(h, GIVEN.db)).toEqual(['keep_me']);
    expect(await h.sql(`SELECT id FROM ${GIVEN.db}.keep_me`)).toEqual(['42']);
    expect(await dbUserExists(GIVEN.user)).toBe(true);
    expect(fs.existsSync(path.join(h.docroot, 'mine'))).toBe(true);
    expect(fs.readdirSync(path.join(h.docroot, 'mine'))).toEqual([]);
  }, 30_000);

  test('a file the caller added to an install folder keeps the folder (only the install\'s own entries go)', async () => {
    const r = await h.v2('post', '/browser/testapp-static/install').send({ url: at('added/site'), user: 'alice', sitetitle: 'Added' });
    expect(r.body.result).toBe(true);
    fs.writeFileSync(path.join(h.docroot, 'added', 'site', 'notes.txt'), 'the customer wrote this');
    expect((await h.v2('delete', `/installs/${r.body.data.id}`)).body.result).toBe(true);
    expect(tree(path.join(h.docroot, 'added'))).toEqual(['site/', `site/notes.txt ${'the customer wrote this'.length}`]);
    fs.rmSync(path.join(h.docroot, 'added'), { recursive: true });
  }, 30_000);
});

describe('import of an install that is on disk but not registered', () => {
  let original: Rec;
  let imported: Rec;

  beforeAll(async () => {
    const r = await h.v2('post', '/browser/testapp-db/install').send({ url: at('imp'), user: 'alice', sitetitle: 'Imported Site', login: 'imp_admin', email: 'imp@example.test', version: '1.1.0' });
    expect(r.body.result).toBe(true);
    original = r.body.data;
    const d = await h.v2('post', `/installs/${original.id}/detach`);
    expect(d.body).toMatchObject({ result: true });
    expect((await h.v2('get', `/installs/${original.id}`)).status).toBe(404);
  }, 30_000);

  test('detach left files and tables in place', async () => {
    expect(fs.readdirSync(original.path).sort()).toEqual(original.files);
    expect(await tablesOf(h, original.db_name)).toEqual(original.tables);
  });

  test('v2 POST /browser/testapp-db/import: version, database settings, fields and tables read from the install', async () => {
    const before = tree(h.docroot);
    const r = await h.v2('post', '/browser/testapp-db/import').send({ url: at('imp'), user: 'alice' });
    expect({ http: r.status, result: r.body.result, errcode: r.body.errcode }).toEqual({ http: 200, result: true, errcode: null });
    imported = r.body.data;
    expect(imported.id).not.toBe(original.id);
    expect(imported).toMatchObject({
      application: 'testapp-db', version: '1.1.0', url: at('imp'), path: original.path, user: 'alice', incomplete: false,
      db_host: original.db_host, db_name: original.db_name, db_user: original.db_user, db_pass: original.db_pass, db_prefix: 'ta_', db_type: 'mysql',
      tables: original.tables, files: original.files, login: 'imp_admin', email: 'imp@example.test', sitetitle: 'Imported Site',
    });
    expect(tree(h.docroot)).toEqual(before); // nothing on disk changed
    expect((await h.v2('get', `/installs/${imported.id}`)).body.data.id).toBe(imported.id);
  }, 30_000);

  test('importing an already managed URL is refused in both protocols', async () => {
    const r2 = await h.v2('post', '/browser/testapp-db/import').send({ url: at('imp'), user: 'alice' });
    expect({ http: r2.status, errcode: r2.body.errcode, errfield: r2.body.errfield }).toEqual({ http: 400, errcode: 'invalid_argument_url', errfield: 'url' });
    const r1 = await h.v1({ cmd: 'import', application: 'testapp-db', url: at('imp'), user: 'alice' });
    expect(r1.body).toEqual({ result: false, errcode: 'invalid_argument_url', message: expect.any(String) });
  });

  test('importing where nothing is installed is invalid_argument_url in both protocols (missing folder, folder of other files)', async () => {
    fs.mkdirSync(path.join(h.docroot, 'just-files'));
    fs.writeFileSync(path.join(h.docroot, 'just-files', 'index.html'), '<p>hand made</p>');
    const before = await world(h);
    for (const url of [at('nothing-here'), at('just-files')]) {
      const r2 = await h.v2('post', '/browser/testapp-db/import').send({ url, user: 'alice' });
      expect({ http: r2.status, errcode: r2.body.errcode, errfield: r2.body.errfield }).toEqual({ http: 400, errcode: 'invalid_argument_url', errfield: 'url' });
      const r1 = await h.v1({ cmd: 'import', application: 'testapp-db', url, user: 'alice' });
      expect(r1.body).toEqual({ result: false, errcode: 'invalid_argument_url', message: expect.any(String) });
    }
    // testapp-static files are not a testapp-db install.
    const wrongApp = await h.v2('post', '/browser/testapp-static/import').send({ url: at('imp'), user: 'alice' });
    expect(wrongApp.body).toMatchObject({ status: 400, errcode: 'invalid_argument_url' });
    const unknownApp = await h.v2('post', '/browser/nosuchapp/import').send({ url: at('imp'), user: 'alice' });
    expect(unknownApp.body).toMatchObject({ status: 404, errcode: 'application_not_found' });
    expect(await world(h)).toEqual(before);
  });

  test('v1 cmd=import after cmd=detach; a version that contradicts the files is refused; dry runs change nothing', async () => {
    expect((await h.v1({ cmd: 'detach', id: imported.id })).body).toMatchObject({ result: true });
    const before = await world(h);
    const wrong = await h.v1({ cmd: 'import', application: 'testapp-db', url: at('imp'), user: 'alice', version: '2.0.0' });
    expect(wrong.body).toEqual({ result: false, errcode: 'invalid_argument_version', message: expect.any(String) });
    const dry = await h.v1({ cmd: 'import', application: 'testapp-db', url: at('imp'), user: 'alice', dryrun: '2' });
    expect(dry.body).toMatchObject({ result: true, errcode: 'complete_dryrun' });
    expect(await world(h)).toEqual(before);
    const r = await h.v1({ cmd: 'import', application: 'testapp-db', url: at('imp'), user: 'alice' });
    expect(r.body).toMatchObject({ result: true, errcode: null, data: { installer: 'testapp-db', version: '1.1.0', owner: 'alice', 'db-name': original.db_name, 'list-tables': original.tables, 'cf-sitetitle': 'Imported Site' } });
    imported = await record(r.body.data.id);
  }, 30_000);

  test('uninstall of the imported install removes its files and tables; the database it did not create stays', async () => {
    expect((await h.v2('delete', `/installs/${imported.id}`)).body.result).toBe(true);
    expect(fs.existsSync(original.path) ? fs.readdirSync(original.path) : []).toEqual([]);
    expect(await tablesOf(h, original.db_name)).toEqual([]);
    // Imported means "brought by the caller": the engine knows of no database or folder it created for it.
    expect(await dbExists(original.db_name)).toBe(true);
    expect(await dbUserExists(original.db_user)).toBe(true);
    await h.sql(`DROP DATABASE ${original.db_name}; DROP USER '${original.db_user}'@'%'; DROP USER '${original.db_user}'@'localhost';`);
  }, 30_000);
});
