import * as fs from 'node:fs';
import * as path from 'node:path';
import { freePort } from '@installgate/testkit';
import { ADMIN } from './harness';
import { startAppHarness, type AppHarness } from './app-harness';
import { tablesOf, tempAppsDir, tree, versionOf, world, type TaskView, type World } from './install-helpers';

/**
 * Every error of POST /browser/{id}/install (v1 cmd=install), with its exact errcode, errfield and HTTP status in
 * both protocols, and the promise behind each: a refused install leaves nothing behind (no record, no task, no
 * database, no database account, not a file changed in any user's home).
 *
 * Requirements are made unmet for real with a temp apps dir (the release archives stay the real ones):
 *   testapp-db 1.1.0 needs PHP 99-, testapp-db 1.0.0 needs MySQL 99-, testapp-static 1.0.0 needs 999999G of disk.
 */
let h: AppHarness;
let apps: { dir: string; remove(): void };
let bobPort: number;
let closedPort: number;
let dbHost: string;
let homes: string;

const GIVEN = { db: 'given_errors', user: 'given_errors_u', pass: 'Given-Errors-Pa55' };
const RO = { db: 'readonly_db', user: 'readonly_u', pass: 'Read-Only-Pa55' };

beforeAll(async () => {
  apps = tempAppsDir({
    'testapp-db': (m) => {
      versionOf(m, '1.1.0').requirements.php = '99-';
      versionOf(m, '1.0.0').requirements.mysql = '99-';
    },
    'testapp-static': (m) => {
      versionOf(m, '1.0.0').requirements.diskspace = '999999G';
    },
  });
  h = await startAppHarness('alice', { appsDir: apps.dir });
  homes = h.settings.homes_root;
  dbHost = `127.0.0.1:${h.mariadb.port}`;
  bobPort = await freePort();
  closedPort = await freePort(); // nobody listens there
  // bob: a website on the same host as alice's but another port, and one on a name of its own.
  await h.engine.users.create(ADMIN, {
    id: 'bob', email: 'bob@example.test',
    websites: [{ path: path.join(homes, 'bob'), vhosts: { [`http://127.0.0.1:${bobPort}`]: 'public_html', 'http://bob.example': 'public_html' } }],
  });
  fs.mkdirSync(path.join(homes, 'bob', 'public_html'), { recursive: true });
  fs.writeFileSync(path.join(homes, 'bob', 'public_html', 'index.html'), '<p>bob</p>');
  // A folder that is not empty.
  fs.mkdirSync(path.join(h.docroot, 'full'));
  fs.writeFileSync(path.join(h.docroot, 'full', 'readme.txt'), 'mine');
  // A database the caller brings, with its own user.
  await h.sql(`CREATE DATABASE ${GIVEN.db}; CREATE USER '${GIVEN.user}'@'%' IDENTIFIED BY '${GIVEN.pass}'; CREATE USER '${GIVEN.user}'@'localhost' IDENTIFIED BY '${GIVEN.pass}';
    GRANT ALL PRIVILEGES ON ${GIVEN.db}.* TO '${GIVEN.user}'@'%'; GRANT ALL PRIVILEGES ON ${GIVEN.db}.* TO '${GIVEN.user}'@'localhost';
    CREATE TABLE ${GIVEN.db}.clash_users (id INT);`);
}, 180_000);
afterAll(async () => {
  await h?.stopAll();
  apps?.remove();
}, 60_000);

/** The world with every user's home (not only alice's website). */
async function everything(): Promise<World> {
  return { ...(await world(h)), files: tree(homes) };
}

type Params = Record<string, string>;

interface ErrorCase {
  name: string;
  app: string;
  params: () => Params;
  status: number;
  errcode: string;
  errfield: string | null;
  /** When v1 reads the same request differently (documented per case). */
  v1?: { status: number; errcode: string; errfield: string | null };
}

const at = (p: string) => `${h.site}/${p}`;
const alice = (extra: Params = {}): Params => ({ url: at('app'), user: 'alice', ...extra });
const given = (extra: Params = {}): Params => alice({ db_host: dbHost, db_name: GIVEN.db, db_user: GIVEN.user, db_pass: GIVEN.pass, ...extra });

/** The pinned table (also in the report): case → v2 status / errcode / errfield; v1 the same errcode unless `v1`. */
const CASES: ErrorCase[] = [
  // application and URL
  { name: 'unknown application', app: 'nosuchapp', params: () => alice(), status: 404, errcode: 'application_not_found', errfield: 'id' },
  { name: 'missing url', app: 'testapp-db', params: () => ({ user: 'alice' }), status: 400, errcode: 'empty_argument_url', errfield: 'url' },
  { name: 'empty url', app: 'testapp-db', params: () => ({ url: '', user: 'alice' }), status: 400, errcode: 'empty_argument_url', errfield: 'url' },
  { name: 'regression: empty url without user (admin scope) is empty_argument_url, not "no website"', app: 'testapp-db', params: () => ({ url: '' }), status: 400, errcode: 'empty_argument_url', errfield: 'url' },
  { name: 'malformed url: ftp scheme', app: 'testapp-db', params: () => alice({ url: 'ftp://127.0.0.1/app' }), status: 400, errcode: 'invalid_argument_url', errfield: 'url' },
  { name: 'malformed url: bad host', app: 'testapp-db', params: () => alice({ url: 'http://a b/app' }), status: 400, errcode: 'invalid_argument_url', errfield: 'url' },
  { name: 'malformed url: dot-dot segment', app: 'testapp-db', params: () => alice({ url: `${h.site}/a/../../bob` }), status: 400, errcode: 'invalid_argument_url', errfield: 'url' },
  { name: 'malformed url: query string', app: 'testapp-db', params: () => alice({ url: `${h.site}/app?x=1` }), status: 400, errcode: 'invalid_argument_url', errfield: 'url' },
  { name: 'url served by no website of the user', app: 'testapp-db', params: () => alice({ url: 'http://nowhere.example/app' }), status: 400, errcode: 'invalid_argument_url', errfield: 'url' },
  { name: 'url served by no website of anybody (admin scope)', app: 'testapp-db', params: () => ({ url: 'http://nowhere.example/app' }), status: 400, errcode: 'invalid_argument_url', errfield: 'url' },
  { name: "url of another user's website (user=alice, bob's domain)", app: 'testapp-db', params: () => alice({ url: 'http://bob.example/app' }), status: 400, errcode: 'invalid_argument_url', errfield: 'url' },
  { name: "url of another user's website (user=alice, bob's port on the same host)", app: 'testapp-db', params: () => alice({ url: `http://127.0.0.1:${bobPort}/app` }), status: 400, errcode: 'invalid_argument_url', errfield: 'url' },
  { name: "regression: url of alice's website scoped user=bob, whose site is another port of the same host", app: 'testapp-db', params: () => ({ url: at('app'), user: 'bob' }), status: 400, errcode: 'invalid_argument_url', errfield: 'url' },
  { name: 'folder not empty', app: 'testapp-db', params: () => alice({ url: at('full') }), status: 400, errcode: 'invalid_argument_url_notempty', errfield: 'url' },
  { name: 'unknown user', app: 'testapp-db', params: () => alice({ user: 'nobody' }), status: 404, errcode: 'user_not_found', errfield: 'user' },
  // version
  { name: 'version unknown', app: 'testapp-db', params: () => alice({ version: '9.9.9' }), status: 400, errcode: 'invalid_argument_version', errfield: 'version' },
  { name: 'version malformed', app: 'testapp-db', params: () => alice({ version: 'latest!' }), status: 400, errcode: 'invalid_argument_version', errfield: 'version' },
  { name: 'version not installable (testapp-db 1.0.1, install=false)', app: 'testapp-db', params: () => alice({ version: '1.0.1' }), status: 400, errcode: 'invalid_argument_version', errfield: 'version' },
  // requirements (temp apps dir)
  { name: 'requirements: PHP 99- (testapp-db 1.1.0)', app: 'testapp-db', params: () => alice({ version: '1.1.0' }), status: 400, errcode: 'invalid_argument_version_unmetrequirements', errfield: 'version' },
  { name: 'requirements: MySQL 99- (testapp-db 1.0.0)', app: 'testapp-db', params: () => alice({ version: '1.0.0' }), status: 400, errcode: 'invalid_argument_version_unmetrequirements', errfield: 'version' },
  { name: 'requirements: MySQL 99- against a given database too', app: 'testapp-db', params: () => given({ version: '1.0.0' }), status: 400, errcode: 'invalid_argument_version_unmetrequirements', errfield: 'version' },
  { name: 'requirements: 999999G of disk space (testapp-static 1.0.0)', app: 'testapp-static', params: () => alice({ version: '1.0.0' }), status: 500, errcode: 'failed_filesystem_quota', errfield: null },
  // given database
  { name: 'db: wrong password', app: 'testapp-db', params: () => given({ db_pass: 'not-the-password' }), status: 400, errcode: 'invalid_argument_db_pass', errfield: 'db_pass' },
  { name: 'db: unknown user', app: 'testapp-db', params: () => given({ db_user: 'nosuchuser' }), status: 400, errcode: 'invalid_argument_db_pass', errfield: 'db_pass' },
  { name: 'db: unknown database', app: 'testapp-db', params: () => given({ db_name: 'nosuchdb' }), status: 400, errcode: 'invalid_argument_db_name', errfield: 'db_name' },
  { name: 'db: unreachable host (closed port)', app: 'testapp-db', params: () => given({ db_host: `127.0.0.1:${closedPort}` }), status: 400, errcode: 'invalid_argument_db_host', errfield: 'db_host' },
  { name: 'db: malformed host', app: 'testapp-db', params: () => given({ db_host: 'host name with spaces' }), status: 400, errcode: 'invalid_argument_db_host', errfield: 'db_host' },
  { name: 'db: the given database has tables with that prefix already', app: 'testapp-db', params: () => given({ db_prefix: 'clash_' }), status: 400, errcode: 'invalid_argument_db_prefix', errfield: 'db_prefix' },
  { name: 'db: only host and name given', app: 'testapp-db', params: () => alice({ db_host: dbHost, db_name: GIVEN.db }), status: 400, errcode: 'empty_argument_db_user', errfield: 'db_user' },
  { name: 'db: host missing', app: 'testapp-db', params: () => alice({ db_name: GIVEN.db, db_user: GIVEN.user, db_pass: GIVEN.pass }), status: 400, errcode: 'empty_argument_db_host', errfield: 'db_host' },
  { name: 'db: name missing', app: 'testapp-db', params: () => alice({ db_host: dbHost, db_user: GIVEN.user, db_pass: GIVEN.pass }), status: 400, errcode: 'empty_argument_db_name', errfield: 'db_name' },
  { name: 'db: password missing', app: 'testapp-db', params: () => alice({ db_host: dbHost, db_name: GIVEN.db, db_user: GIVEN.user }), status: 400, errcode: 'empty_argument_db_pass', errfield: 'db_pass' },
  // fields
  { name: 'email malformed', app: 'testapp-db', params: () => alice({ email: 'not-an-email' }), status: 400, errcode: 'invalid_argument_email', errfield: 'email' },
  { name: 'login malformed', app: 'testapp-db', params: () => alice({ login: 'bad login!' }), status: 400, errcode: 'invalid_argument_login', errfield: 'login' },
  { name: 'passwd too short', app: 'testapp-db', params: () => alice({ passwd: 'abc' }), status: 400, errcode: 'invalid_argument_passwd', errfield: 'passwd' },
  { name: 'sitetitle too long', app: 'testapp-db', params: () => alice({ sitetitle: 'x'.repeat(201) }), status: 400, errcode: 'invalid_argument_sitetitle', errfield: 'sitetitle' },
  { name: 'language the app does not have', app: 'testapp-db', params: () => alice({ language: 'de' }), status: 400, errcode: 'invalid_argument_language', errfield: 'language' },
  { name: 'db_prefix malformed', app: 'testapp-db', params: () => alice({ db_prefix: '1-bad' }), status: 400, errcode: 'invalid_argument_db_prefix', errfield: 'db_prefix' },
  { name: 'notification: unknown type', app: 'testapp-db', params: () => alice({ notification: 'update,nonsense' }), status: 400, errcode: 'invalid_argument_notification', errfield: 'notification' },
  { name: 'autoup: unknown value', app: 'testapp-db', params: () => alice({ autoup: 'weekly' }), status: 400, errcode: 'invalid_argument_autoup', errfield: 'autoup' },
  { name: 'autoup_plugins: unknown value', app: 'testapp-db', params: () => alice({ autoup_plugins: 'some' }), status: 400, errcode: 'invalid_argument_autoup_plugins', errfield: 'autoup_plugins' },
  { name: 'bkloc unknown', app: 'testapp-db', params: () => alice({ bkloc: 'nosuchlocation' }), status: 400, errcode: 'invalid_argument_bkloc', errfield: 'bkloc' },
  {
    // v1 `autobk` holds a schedule id (spec §4.5), so v1 reads autobk=schedule as "the schedule named schedule".
    name: 'autobk=schedule without autobk_schedule', app: 'testapp-db', params: () => alice({ autobk: 'schedule' }),
    status: 400, errcode: 'empty_argument_autobk_schedule', errfield: 'autobk_schedule',
    v1: { status: 404, errcode: 'schedule_not_found', errfield: 'autobk_schedule' },
  },
  { name: 'autobk=schedule with an unknown schedule', app: 'testapp-db', params: () => alice({ autobk: 'schedule', autobk_schedule: 'nosuchschedule' }), status: 404, errcode: 'schedule_not_found', errfield: 'autobk_schedule' },
  { name: 'autobk=<unknown schedule id> (v1 form)', app: 'testapp-db', params: () => alice({ autobk: 'nosuchschedule' }), status: 404, errcode: 'schedule_not_found', errfield: 'autobk_schedule' },
  { name: 'regression: content=<unknown template> names content as errfield', app: 'testapp-db', params: () => alice({ content: 'nosuchtemplate' }), status: 404, errcode: 'template_not_found', errfield: 'content' },
];

describe.each(CASES)('install error: $name', (c) => {
  test(`v2 ${c.status} ${c.errcode}; v1 result false; v1 api_version=2.0 the v2 status; nothing left behind`, async () => {
    const before = await everything();
    const v1 = c.v1 ?? { status: c.status, errcode: c.errcode, errfield: c.errfield };

    const r2 = await h.v2('post', `/browser/${c.app}/install`).send(c.params());
    expect({ http: r2.status, ...r2.body }).toEqual({ http: c.status, result: false, status: c.status, errcode: c.errcode, errfield: c.errfield, message: expect.any(String) });
    expect(r2.body.message.length).toBeGreaterThan(0);
    expect(await everything()).toEqual(before);

    const r1 = await h.v1({ cmd: 'install', application: c.app, ...c.params() });
    expect({ http: r1.status, ...r1.body }).toEqual({ http: 200, result: false, errcode: v1.errcode, message: expect.any(String) });
    expect(await everything()).toEqual(before);

    const r12 = await h.v1({ cmd: 'install', application: c.app, api_version: '2.0', ...c.params() });
    expect({ http: r12.status, ...r12.body }).toEqual({ http: v1.status, result: false, status: v1.status, errcode: v1.errcode, errfield: v1.errfield, message: expect.any(String) });
    expect(await everything()).toEqual(before);
  }, 20_000);
});

describe('what the errors do not leak', () => {
  test('no database password in any error answer', async () => {
    const r = await h.v2('post', '/browser/testapp-db/install').send(given({ db_host: `127.0.0.1:${closedPort}` }));
    expect(JSON.stringify(r.body)).not.toContain(GIVEN.pass);
    const wrong = await h.v2('post', '/browser/testapp-db/install').send(given({ db_pass: 'Wrong-Secret-Pa55' }));
    expect(JSON.stringify(wrong.body)).not.toContain('Wrong-Secret-Pa55');
  });
});

describe('regression: a website on another port of the same host is another website', () => {
  test('the admin (no user) reaches alice for her port and bob for his, without "several users" ambiguity', async () => {
    const before = await everything();
    const toAlice = await h.v2('post', '/browser/testapp-db/install').send({ url: at('app'), dryrun: 'input' });
    expect(toAlice.body).toMatchObject({ result: true, status: 200, errcode: 'complete_dryrun' });
    const toBob = await h.v1({ cmd: 'install', application: 'testapp-db', url: `http://127.0.0.1:${bobPort}/app`, dryrun: '1' });
    expect(toBob.body).toMatchObject({ result: true, errcode: 'complete_dryrun' });
    expect(await everything()).toEqual(before);
  });
});

/** The newest task of alice (GET /tasks is newest first). */
async function newestTask(): Promise<TaskView> {
  return (await h.v2('get', '/tasks?user=alice&limit=1').expect(200)).body.data[0];
}

describe('a failure inside the task (after the preflight passed) undoes every step', () => {
  beforeAll(async () => {
    // A database the caller brings whose user may read but not create tables: every check before the task passes
    // (it connects, lists tables, reads the server version); the application's installer fails on CREATE TABLE.
    await h.sql(`CREATE DATABASE ${RO.db}; CREATE TABLE ${RO.db}.keep_me (id INT); INSERT INTO ${RO.db}.keep_me VALUES (7);
      CREATE USER '${RO.user}'@'%' IDENTIFIED BY '${RO.pass}'; CREATE USER '${RO.user}'@'localhost' IDENTIFIED BY '${RO.pass}';
      GRANT SELECT ON ${RO.db}.* TO '${RO.user}'@'%'; GRANT SELECT ON ${RO.db}.* TO '${RO.user}'@'localhost';`);
  });
  const readOnly = (): Params => alice({ url: at('readonly/site'), db_host: dbHost, db_name: RO.db, db_user: RO.user, db_pass: RO.pass, passwd: 'Admin-Pa55-ro' });

  test('the preflight cannot see it: dryrun=all passes', async () => {
    const r = await h.v2('post', '/browser/testapp-db/install').send({ ...readOnly(), dryrun: 'all' });
    expect(r.body).toMatchObject({ result: true, status: 200, errcode: 'complete_dryrun' });
  });

  test('v2: 400 invalid_argument_db_user; the task failed at run-installer; no record, files, folder or tables remain', async () => {
    const before = await everything();
    const r = await h.v2('post', '/browser/testapp-db/install').send(readOnly());
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ result: false, status: 400, errcode: 'invalid_argument_db_user', errfield: 'db_user' });
    expect(r.body.message).toMatch(/may not create tables/);
    const task = await newestTask();
    expect(task).toMatchObject({ cmd: 'browser/install', status: 'failed', errcode: 'invalid_argument_db_user', user: 'alice', url: at('readonly/site') });
    expect(task.message).toMatch(/failed at step run-installer/);
    const after = await everything();
    expect({ ...after, tasks: [] }).toEqual({ ...before, tasks: [] });
    expect(after.tasks).toEqual([`${task.id} failed`, ...before.tasks]);
    expect(fs.existsSync(path.join(h.docroot, 'readonly'))).toBe(false); // the folders it created are gone too
    expect(await tablesOf(h, RO.db)).toEqual(['keep_me']);
    expect(await h.sql(`SELECT id FROM ${RO.db}.keep_me`)).toEqual(['7']);
    const all = JSON.stringify((await h.v2('get', '/tasks?limit=1000')).body) + JSON.stringify((await h.v2('get', '/logs?limit=1000')).body);
    expect(all).not.toContain(RO.pass);
    expect(all).not.toContain('Admin-Pa55-ro');
  }, 30_000);

  test('v1: result false with the same errcode; cmd=tasks shows the failed install task', async () => {
    const before = await everything();
    const r = await h.v1({ cmd: 'install', application: 'testapp-db', ...readOnly() });
    expect({ http: r.status, ...r.body }).toEqual({ http: 200, result: false, errcode: 'invalid_argument_db_user', message: expect.stringMatching(/may not create tables/) });
    const tasks = await h.v1({ cmd: 'tasks', user: 'alice' });
    expect(tasks.body.data[0]).toMatchObject({ cmd: 'install', status: 'failed', errcode: 'invalid_argument_db_user', message: expect.stringMatching(/failed at step run-installer/) });
    const after = await everything();
    expect({ ...after, tasks: [] }).toEqual({ ...before, tasks: [] });
    expect(await tablesOf(h, RO.db)).toEqual(['keep_me']);
  }, 30_000);

  test('with a database the engine created: the installer refuses the email, and the new database and its user are dropped again', async () => {
    // The engine's email check admits a..b@example.com; PHP's FILTER_VALIDATE_EMAIL (the app's own) does not.
    const before = await everything();
    const r = await h.v2('post', '/browser/testapp-db/install').send(alice({ url: at('bademail'), email: 'a..b@example.com' }));
    expect(r.body).toMatchObject({ result: false, status: 400, errcode: 'invalid_argument_email', errfield: 'email' });
    const task = await newestTask();
    expect(task).toMatchObject({ status: 'failed', errcode: 'invalid_argument_email' });
    expect(task.message).toMatch(/failed at step run-installer/);
    const after = await everything();
    expect({ ...after, tasks: [] }).toEqual({ ...before, tasks: [] }); // same databases and database accounts as before
  }, 30_000);
});
