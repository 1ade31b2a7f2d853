import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
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
import type { DriverInstallResult } from './app-driver';
import { driverFor } from './index';
import { isDashboard, TestBrowser } from './test-browser';
import { LOGIN_FILE_RE } from './wordpress-sso';

jest.setTimeout(90_000);

const wp = driverFor('wordpress');
// Quotes, a backslash, a dollar and a space inside: WordPress stores the slashed form; logins must still work.
const PASSWORD = `Adm'n "pa$$\\word ✓`;
const NEW_PASSWORD = `N3w'"\\pass-${Date.now()}`;

let tmp: string;
let mirror: string;
let maria: MariaDbServer;
let server: DbServer;

beforeAll(async () => {
  requireMariaDbBinaries(); // both fail loudly with "run scripts/provision/system-deps.sh …"
  requirePhpBinary();
  tmp = mkdtempSync(join(tmpdir(), 'ig-wp-'));
  mirror = await ensureMirror();
  maria = await startMariaDb({ dir: join(tmp, 'db') });
  server = parseDbUrl(maria.url);
});
afterAll(async () => {
  await maria?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

async function unpack(version: string, name: string): Promise<string> {
  const dir = join(tmp, name);
  mkdirSync(dir);
  await extractRelease(join(mirror, 'wordpress', `wordpress-${version}.tar.gz`), dir, { stripTopFolder: true });
  return dir;
}

describe.each([
  // 6.1.9: Debian's tree, sample content, DB reached over TCP.
  { version: '6.1.9', content: 'yes' as const, socket: false, theme: 'twentytwentythree', plugin: 'akismet' },
  // 6.5.5: Playground's build, blank site, DB_HOST on the unix socket while the install itself goes over TCP.
  { version: '6.5.5', content: 'no' as const, socket: true, theme: 'twentytwentyfour', plugin: 'hello' },
])('WordPress $version on real PHP and MariaDB', ({ version, content, socket, theme, plugin }) => {
  const title = `Installgate WP ${version} ✓`;
  let dir: string;
  let web: PhpServer;
  let db: DbCredentials;
  let installed: DriverInstallResult;

  beforeAll(async () => {
    dir = await unpack(version, `site-${version}`);
    const created = await createAppDatabase(server, { hint: `wp ${version}`, prefix: 'wp_' });
    db = socket ? { ...created, db_host: `localhost:${maria.socket}` } : created;
    web = await startPhpServer({ docroot: dir });
  });
  afterAll(async () => {
    await web?.stop();
  });

  it('installs with WordPress\'s own installer', async () => {
    const res = await wp.install({
      dir,
      url: web.url,
      db,
      fields: { login: 'admin', passwd: PASSWORD, email: 'admin@example.com', sitetitle: title, sitetagline: 'Tagline ✓', language: 'en' },
      content,
      ...(socket ? { dbHostForInstall: `127.0.0.1:${maria.port}` } : {}),
    });
    expect(res.version).toBe(version);
    expect(res.files).toEqual(['wp-config.php']);
    expect(res.tables).toEqual(expect.arrayContaining(['wp_options', 'wp_posts', 'wp_users', 'wp_usermeta', 'wp_comments', 'wp_terms']));
    expect(res.tables.every((t) => t.startsWith('wp_'))).toBe(true);
    installed = res;

    const config = readFileSync(join(dir, 'wp-config.php'), 'utf8');
    expect(statSync(join(dir, 'wp-config.php')).mode & 0o777).toBe(0o640);
    expect(config).toContain(`define( 'DB_HOST', '${db.db_host}' );`); // the socket, not the install-time host
    expect(config).toContain("define( 'WP_AUTO_UPDATE_CORE', false );");
    expect(config).not.toContain(PASSWORD);
    expect(config).not.toContain('put your unique phrase here');
  });

  it('serves the front page with the title and the sample content asked for', async () => {
    const html = await (await fetch(`${web.url}/`)).text();
    expect(html).toMatch(new RegExp(`<title>[^<]*${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    if (content === 'yes') expect(html).toContain('Hello world!');
    else expect(html).not.toContain('Hello world!');
    expect(web.log()).not.toMatch(/PHP (Fatal|Parse) error/);
    const options = await mariadbQuery(maria, "SELECT option_name, option_value FROM wp_options WHERE option_name IN ('siteurl', 'home', 'blog_public') ORDER BY option_name", { database: db.db_name });
    expect(options).toBe(`blog_public\t1\nhome\t${web.url}\nsiteurl\t${web.url}\n`);
    const guids = await mariadbQuery(maria, "SELECT guid FROM wp_posts WHERE post_type IN ('post', 'page')", { database: db.db_name });
    for (const guid of guids.trim().split('\n').filter(Boolean)) expect(guid.startsWith(`${web.url}/`)).toBe(true);
  });

  it('logs in through wp-login.php with the chosen password, and not with another', async () => {
    const b = new TestBrowser();
    expect(isDashboard(await b.wpLogin(web.url, 'admin', PASSWORD))).toBe(true);
    const wrong = new TestBrowser();
    const page = await wrong.wpLogin(web.url, 'admin', 'not-the-password');
    expect(isDashboard(page)).toBe(false);
    expect(wrong.loggedIn()).toBe(false);
  });

  it('createLoginUrl: a one-time link that lands on the dashboard, once', async () => {
    const url = await wp.createLoginUrl({ dir, url: web.url, db, login: 'admin' });
    const name = /\/(installgate-sso-[0-9a-f]{32}\.php)\?token=[0-9a-f]{64}$/.exec(url)?.[1];
    expect(name).toMatch(LOGIN_FILE_RE);
    const fileText = readFileSync(join(dir, name!), 'utf8');
    expect(fileText).not.toContain(new URL(url).searchParams.get('token')!);

    const b = new TestBrowser();
    expect(isDashboard(await b.go(url))).toBe(true);
    expect(existsSync(join(dir, name!))).toBe(false);

    const again = new TestBrowser();
    const second = await again.go(url);
    expect(second.status).toBe(404); // the file is gone
    expect(again.loggedIn()).toBe(false);
    expect(isDashboard(second)).toBe(false);
  });

  it('createLoginUrl: redirect lands where asked', async () => {
    const url = await wp.createLoginUrl({ dir, url: web.url, db, login: 'admin', redirect: 'wp-admin/options-general.php' });
    const page = await new TestBrowser().go(url);
    expect(page.status).toBe(200);
    expect(new URL(page.url).pathname).toBe('/wp-admin/options-general.php');
    expect(page.body).toContain('General Settings');
  });

  it('createLoginUrl: a wrong token is refused (403) and an expired link deletes itself', async () => {
    const url = await wp.createLoginUrl({ dir, url: web.url, db, login: 'admin', ttlSeconds: 1, redirect: 'wp-admin/options-general.php' });
    const name = new URL(url).pathname.slice(1);
    const bad = await new TestBrowser().go(url.replace(/token=.*/, `token=${'0'.repeat(64)}`));
    expect(bad.status).toBe(403);
    expect(existsSync(join(dir, name))).toBe(true);
    await new Promise((r) => setTimeout(r, 2_200));
    const b = new TestBrowser();
    expect((await b.go(url)).status).toBe(403);
    expect(b.loggedIn()).toBe(false);
    expect(existsSync(join(dir, name))).toBe(false);
    expect(readdirSync(dir).filter((n) => LOGIN_FILE_RE.test(n))).toEqual([]);
  });

  it('setFields: a new password works, the old one no longer does', async () => {
    await wp.setFields({ dir, url: web.url, db, changes: { passwd: NEW_PASSWORD, sitetitle: `${title} (renamed)` } });
    expect(isDashboard(await new TestBrowser().wpLogin(web.url, 'admin', NEW_PASSWORD))).toBe(true);
    expect(isDashboard(await new TestBrowser().wpLogin(web.url, 'admin', PASSWORD))).toBe(false);
    expect(await (await fetch(`${web.url}/`)).text()).toContain('(renamed)');
  });

  it('detect: version and database settings from the files, fields from the site', async () => {
    expect(await wp.detect(dir)).toEqual({
      version,
      db,
      fields: { sitetitle: `${title} (renamed)`, sitetagline: 'Tagline ✓', email: 'admin@example.com', login: 'admin', language: 'en' },
    });
    expect(await wp.version(dir)).toBe(version);
  });

  it('addons: the default theme (active) and the bundled plugins', async () => {
    const { plugins, themes } = await wp.addons({ dir, url: web.url, db });
    expect(themes).toContainEqual({ id: theme, version: expect.stringMatching(/^\d/), activated: true, autoup: 'none' });
    expect(plugins).toContainEqual({ id: plugin, version: expect.stringMatching(/^\d/), activated: false, autoup: 'none' });
    // install() read them on the way (no second PHP run); they are what a later look finds.
    expect(installed.addons).toEqual({ plugins, themes });
  });

  it('setFields: a new admin login and email, applied to the named administrator', async () => {
    await wp.setFields({ dir, url: web.url, db, login: 'admin', changes: { login: 'chief', email: 'chief@example.com' } });
    expect(isDashboard(await new TestBrowser().wpLogin(web.url, 'chief', NEW_PASSWORD))).toBe(true);
    expect((await wp.detect(dir))?.fields).toMatchObject({ login: 'chief', email: 'chief@example.com' });
    await expect(wp.setFields({ dir, url: web.url, db, changes: { email: 'not-an-email' } })).rejects.toMatchObject({ errcode: 'invalid_argument_email' });
  });
});

describe('WordPress install refusals leave nothing behind', () => {
  let dir: string;
  let db: DbCredentials;
  const fields = { login: 'admin', passwd: 'secret-Pass-1', email: 'admin@example.com', sitetitle: 'X', language: 'en' };
  beforeAll(async () => {
    dir = await unpack('6.5.5', 'refusals');
    db = await createAppDatabase(server, { hint: 'wp refusals', prefix: 'wp_' });
  });

  it('a login WordPress refuses → invalid_argument_login, no wp-config.php, no tables', async () => {
    await expect(wp.install({ dir, url: 'http://127.0.0.1:9', db, fields: { ...fields, login: 'bad<login>' }, content: 'yes' })).rejects.toMatchObject({
      errcode: 'invalid_argument_login',
      errfield: 'login',
    });
    expect(existsSync(join(dir, 'wp-config.php'))).toBe(false);
    expect(await listTables(db, '')).toEqual([]);
  });

  it('a wrong database password → invalid_argument_db_pass, before anything is written', async () => {
    await expect(wp.install({ dir, url: 'http://127.0.0.1:9', db: { ...db, db_pass: 'wrong' }, fields, content: 'yes' })).rejects.toMatchObject({ errcode: 'invalid_argument_db_pass' });
    expect(existsSync(join(dir, 'wp-config.php'))).toBe(false);
  });

  it('a language the release does not ship → invalid_argument_language', async () => {
    await expect(wp.install({ dir, url: 'http://127.0.0.1:9', db, fields: { ...fields, language: 'de' }, content: 'yes' })).rejects.toMatchObject({ errcode: 'invalid_argument_language' });
  });

  it('a password with surrounding whitespace → invalid_argument_passwd (WordPress trims at login)', async () => {
    await expect(wp.install({ dir, url: 'http://127.0.0.1:9', db, fields: { ...fields, passwd: ' x ' }, content: 'yes' })).rejects.toMatchObject({ errcode: 'invalid_argument_passwd' });
  });

  it('tables with the prefix already there → invalid_argument_db_prefix', async () => {
    const other = await unpack('6.5.5', 'refusals-2');
    await wp.install({ dir: other, url: 'http://127.0.0.1:9', db, fields, content: 'no' });
    await expect(wp.install({ dir, url: 'http://127.0.0.1:9', db, fields, content: 'yes' })).rejects.toMatchObject({ errcode: 'invalid_argument_db_prefix' });
    expect(existsSync(join(dir, 'wp-config.php'))).toBe(false);
  });

  it('detect of a folder without WordPress is null; createLoginUrl there writes nothing', async () => {
    const empty = join(tmp, 'empty');
    mkdirSync(empty);
    expect(await wp.detect(empty)).toBeNull();
    await expect(wp.createLoginUrl({ dir: empty, url: 'http://x', db: null, login: 'admin' })).rejects.toMatchObject({ errcode: 'failed_filesystem_directory' });
    expect(readdirSync(empty)).toEqual([]);
  });
});
