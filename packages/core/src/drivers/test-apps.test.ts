import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ensureMirror,
  mariadbQuery,
  requireMariaDbBinaries,
  requirePhpBinary,
  startMariaDb,
  startPhpServer,
  type MariaDbServer,
  type PhpServer,
} from '@installgate/testkit';
import { createAppDatabase, listTables } from '../runtime/app-database';
import { parseDbUrl, type DbCredentials, type DbServer } from '../runtime/db-server';
import { extractRelease } from '../runtime/extract-release';
import { runPhp } from '../runtime/php';
import { driverFor, DRIVER_NAMES } from './index';

jest.setTimeout(60_000);

let tmp: string;
let mirror: string;
let maria: MariaDbServer;
let server: DbServer;

beforeAll(async () => {
  requireMariaDbBinaries(); // both fail loudly with "run scripts/provision/system-deps.sh …"
  requirePhpBinary();
  tmp = mkdtempSync(join(tmpdir(), 'ig-apps-'));
  mirror = await ensureMirror();
  maria = await startMariaDb({ dir: join(tmp, 'db') });
  server = parseDbUrl(maria.url);
});
afterAll(async () => {
  await maria?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

async function unpack(app: string, version: string, name: string): Promise<string> {
  const dir = join(tmp, name);
  mkdirSync(dir);
  await extractRelease(join(mirror, app, `${app}-${version}.tar.gz`), dir, { stripTopFolder: true });
  return dir;
}

async function passwordMatches(db: DbCredentials, login: string, password: string): Promise<boolean> {
  const hash = (await mariadbQuery(maria, `SELECT pass_hash FROM ${db.db_prefix}users WHERE login = '${login}'`, { database: db.db_name })).trim();
  const check = join(tmp, 'verify.php');
  writeFileSync(check, '<?php $i = json_decode(stream_get_contents(STDIN), true); echo password_verify($i[0], $i[1]) ? "yes" : "no";');
  return (await runPhp(check, { cwd: tmp, input: [password, hash] })).stdout === 'yes';
}

describe('the driver registry', () => {
  it('knows the three drivers and refuses others', () => {
    expect(DRIVER_NAMES).toEqual(['wordpress', 'php-installer', 'static-installer']);
    expect(driverFor('wordpress').usesDatabase).toBe(true);
    expect(driverFor('static-installer').usesDatabase).toBe(false);
    expect(() => driverFor('joomla')).toThrow(expect.objectContaining({ errcode: 'internal_error' }));
  });
});

describe('php-installer: testapp-db 1.0.0', () => {
  const app = driverFor('php-installer');
  const title = 'Testapp ✓ <&> 🌍';
  let dir: string;
  let db: DbCredentials;
  let web: PhpServer;

  beforeAll(async () => {
    dir = await unpack('testapp-db', '1.0.0', 'testapp-db');
    db = await createAppDatabase(server, { hint: 'testapp db', prefix: 'ta_' });
    web = await startPhpServer({ docroot: dir });
  });
  afterAll(() => web?.stop());

  it('installs with its installer.php (secrets through the environment) and serves the title', async () => {
    const res = await app.install({ dir, url: web.url, db, fields: { login: 'admin', passwd: 'first-Pass-1', email: 'a@example.com', sitetitle: title, language: 'en' }, content: 'yes' });
    expect(res).toEqual({ version: '1.0.0', tables: ['ta_settings', 'ta_users'], files: ['config.php'] });
    expect(statSync(join(dir, 'config.php')).mode & 0o777).toBe(0o640);
    const html = await (await fetch(`${web.url}/`)).text();
    expect(html).toContain('<title>Testapp ✓ &lt;&amp;&gt; 🌍</title>');
    expect(html).toContain('<meta name="generator" content="testapp-db 1.0.0">');
    expect(await passwordMatches(db, 'admin', 'first-Pass-1')).toBe(true);
  });

  it('detect: version, database settings and fields', async () => {
    expect(await app.detect(dir)).toEqual({ version: '1.0.0', db, fields: { sitetitle: title, login: 'admin', email: 'a@example.com' } });
    expect(await app.version(dir)).toBe('1.0.0');
    expect(await driverFor('static-installer').detect(dir)).toBeNull();
    expect(await driverFor('wordpress').detect(dir)).toBeNull();
  });

  it('setFields: title and admin password', async () => {
    await app.setFields({ dir, url: web.url, db, changes: { sitetitle: 'Renamed ✓', passwd: "n3w'\"\\pass" } });
    expect(await (await fetch(`${web.url}/`)).text()).toContain('<title>Renamed ✓</title>');
    expect(await passwordMatches(db, 'admin', "n3w'\"\\pass")).toBe(true);
  });

  it('setDatabase: the site follows a changed database password', async () => {
    const moved = { ...db, db_pass: 'Changed-Pass-2$\'' };
    await mariadbQuery(maria, `ALTER USER '${db.db_user}'@'%' IDENTIFIED BY 'Changed-Pass-2$\\''; ALTER USER '${db.db_user}'@'localhost' IDENTIFIED BY 'Changed-Pass-2$\\'';`);
    expect((await fetch(`${web.url}/`)).status).toBe(500); // the old password no longer works
    await app.setDatabase({ dir, db: moved });
    expect(await (await fetch(`${web.url}/`)).text()).toContain('<title>Renamed ✓</title>');
    expect((await app.detect(dir))?.db).toEqual(moved);
    db = moved;
  });

  it('no SSO and no add-ons', async () => {
    await expect(app.createLoginUrl({ dir, url: web.url, db, login: 'admin' })).rejects.toMatchObject({ errcode: 'not_implemented' });
    expect(await app.addons({ dir, url: web.url, db })).toEqual({ plugins: [], themes: [] });
  });

  it('an install the app refuses leaves no config and no tables', async () => {
    const other = await unpack('testapp-db', '1.0.0', 'testapp-db-bad');
    const db2 = await createAppDatabase(server, { hint: 'testapp bad', prefix: 'tb_' });
    await expect(
      app.install({ dir: other, url: 'http://x', db: db2, fields: { login: 'bad login!', passwd: 'p-1', email: 'a@example.com', sitetitle: 't', language: 'en' }, content: 'yes' }),
    ).rejects.toMatchObject({ errcode: 'invalid_argument_login' });
    expect(existsSync(join(other, 'config.php'))).toBe(false);
    expect(await listTables(db2, '')).toEqual([]);
  });
});

describe('static-installer: testapp-static 1.1.0', () => {
  const app = driverFor('static-installer');
  let dir: string;
  let web: PhpServer;

  beforeAll(async () => {
    dir = await unpack('testapp-static', '1.1.0', 'testapp-static');
    web = await startPhpServer({ docroot: dir });
  });
  afterAll(() => web?.stop());

  it('installs without a database and serves the title', async () => {
    const res = await app.install({ dir, url: web.url, db: null, fields: { login: '', passwd: '', email: '', sitetitle: 'Static ✓ & co', language: 'en' }, content: 'yes' });
    expect(res).toEqual({ version: '1.1.0', tables: [], files: ['index.html'] });
    expect(await (await fetch(`${web.url}/`)).text()).toContain('<title>Static ✓ &amp; co</title>');
    expect((await fetch(`${web.url}/style.css`)).status).toBe(200);
  });

  it('detect, setFields, and what it does not have', async () => {
    expect(await app.detect(dir)).toEqual({ version: '1.1.0', db: null, fields: { sitetitle: 'Static ✓ & co' } });
    await app.setFields({ dir, url: web.url, db: null, changes: { sitetitle: 'Retitled' } });
    expect(readFileSync(join(dir, 'index.html'), 'utf8')).toContain('<title>Retitled</title>');
    await expect(app.setDatabase({ dir, db: { db_host: 'h', db_name: 'n', db_user: 'u', db_pass: 'p', db_prefix: '' } })).rejects.toMatchObject({ errcode: 'invalid_argument_db_name' });
    await expect(app.createLoginUrl({ dir, url: web.url, db: null, login: 'x' })).rejects.toMatchObject({ errcode: 'not_implemented' });
    expect(await driverFor('php-installer').detect(dir)).toBeNull();
  });
});
