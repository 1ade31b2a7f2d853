import { mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureMirror, requireMariaDbBinaries, requirePhpBinary, startMariaDb, startPhpServer, type MariaDbServer, type PhpServer } from '@installgate/testkit';
import { EngineError } from '@installgate/contracts';
import { LocalSiteFs } from '@installgate/storage';
import type { Logger } from '../engine-context';
import { remotePhpExecutor } from '../remote/remote-php-executor';
import { createAppDatabase } from '../runtime/app-database';
import { parseDbUrl, type DbCredentials } from '../runtime/db-server';
import { extractRelease } from '../runtime/extract-release';
import type { PhpExecutor } from './php-executor';
import { driverFor } from './index';

/**
 * The WordPress driver on a "remote" website: a home folder whose public_html is served by `php -S` and which the
 * engine reaches only through LocalSiteFs and HTTP, so every helper (install, inspect, set-fields, addon-state,
 * relocate, upgrade) runs through the remote runner. The release files are laid out locally (uploading trees is
 * not the runner's job). After every run, successful or not, no helper is left in the docroot, and neither the
 * database password nor the admin password shows in an error or a log line.
 */
jest.setTimeout(180_000);

const wp = driverFor('wordpress');
const PASSWORD = `Adm'n "pa$$\\word ✓`;
const TITLE = 'Remote WP ✓';

let tmp: string;
let home: string;
let docroot: string;
let maria: MariaDbServer;
let web: PhpServer;
let db: DbCredentials;
let remote: PhpExecutor;
const logged: unknown[] = [];
const logger: Logger = { info: (m, meta) => logged.push([m, meta]), warn: (m, meta) => logged.push([m, meta]), error: (m, meta) => logged.push([m, meta]) };

const helpersLeft = () => readdirSync(docroot).filter((n) => n.startsWith('installgate-'));
const frontPage = async () => (await fetch(`${web.url}/`)).text();

beforeAll(async () => {
  requireMariaDbBinaries();
  requirePhpBinary();
  tmp = mkdtempSync(join(tmpdir(), 'ig-wp-remote-'));
  const mirror = await ensureMirror();
  maria = await startMariaDb({ dir: join(tmp, 'db') });
  db = await createAppDatabase(parseDbUrl(maria.url), { hint: 'wp remote', prefix: 'wp_' });
  home = join(tmp, 'home');
  docroot = join(home, 'public_html');
  mkdirSync(docroot, { recursive: true });
  await extractRelease(join(mirror, 'wordpress', 'wordpress-6.1.9.tar.gz'), docroot, { stripTopFolder: true });
  web = await startPhpServer({ docroot });
  remote = remotePhpExecutor({ site: new LocalSiteFs(home), dir: 'public_html', siteUrl: web.url, logger });
});
afterEach(() => {
  expect(helpersLeft()).toEqual([]);
  const log = JSON.stringify(logged);
  expect(log).not.toContain(db.db_pass);
  expect(log).not.toContain(PASSWORD);
});
afterAll(async () => {
  await web?.stop();
  await maria?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

test('installs WordPress with its own installer run on the site, which then serves the title', async () => {
  const res = await wp.install({
    dir: docroot, url: web.url, db, content: 'yes', php: remote,
    fields: { login: 'admin', passwd: PASSWORD, email: 'admin@example.com', sitetitle: TITLE, sitetagline: 'Far away', language: 'en' },
  });
  expect(res.version).toBe('6.1.9');
  expect(res.tables).toEqual(expect.arrayContaining(['wp_options', 'wp_posts', 'wp_users']));
  expect(res.addons?.plugins.map((p) => p.id)).toContain('akismet');
  expect(await frontPage()).toMatch(/<title>[^<]*Remote WP ✓/);
  // It ran over HTTP on the site, not under this server's PHP CLI.
  expect(web.log()).toMatch(/\[200\]: POST \/installgate-[0-9a-f]{24}\.php/);
});

test('reads the site (inspect) at a URL whose host does not resolve, through url_ip', async () => {
  const viaIp = remotePhpExecutor({ site: new LocalSiteFs(home), dir: 'public_html', siteUrl: `http://remote-site.invalid:${web.port}`, urlIp: '127.0.0.1', logger });
  const found = await wp.detect(docroot, { php: viaIp });
  expect(found).toMatchObject({ version: '6.1.9', fields: { sitetitle: TITLE, sitetagline: 'Far away', login: 'admin', email: 'admin@example.com', language: 'en' } });
  const addons = await wp.addons({ dir: docroot, url: web.url, db, php: viaIp });
  expect(addons.themes.find((t) => t.activated)?.id).toBe('twentytwentythree');
});

test('changes fields and add-ons on the site; a refusal comes back as the CLI path gives it, passwords masked', async () => {
  await wp.setFields({ dir: docroot, url: web.url, db, php: remote, changes: { sitetitle: `${TITLE} (renamed)` } });
  expect(await frontPage()).toContain('(renamed)');

  const items = await wp.addonState!({ dir: docroot, url: web.url, php: remote, kind: 'plugins', action: 'edit', slug: 'akismet', activated: true });
  expect(items.find((p) => p.id === 'akismet')).toMatchObject({ activated: true });

  const refused = await wp.setFields({ dir: docroot, url: web.url, db, php: remote, changes: { email: 'not-an-address', passwd: PASSWORD } }).catch((e: unknown) => e);
  expect(refused).toBeInstanceOf(EngineError);
  expect(refused).toMatchObject({ errcode: 'invalid_argument_email', errfield: 'email', message: 'The admin email address is not valid.' });
  expect((refused as EngineError).message).not.toContain(PASSWORD);
});

test('relocates stored URLs on the site', async () => {
  await wp.relocate!({ dir: docroot, php: remote, from: { url: 'http://old.example/blog', path: '/old/path', prefix: 'wp_' }, to: { url: web.url, path: docroot, prefix: 'wp_' } });
  expect(await frontPage()).toContain('(renamed)');
});

test('upgrades the database on the site after a newer release\'s files were laid over (6.1.9 → 6.5.5)', async () => {
  const next = join(tmp, 'next');
  mkdirSync(next);
  await extractRelease(join(await ensureMirror(), 'wordpress', 'wordpress-6.5.5.tar.gz'), next, { stripTopFolder: true });
  // What an update does with the files: the release replaces everything but wp-content and the config.
  for (const name of readdirSync(next)) {
    if (name === 'wp-content') continue;
    rmSync(join(docroot, name), { recursive: true, force: true });
    renameSync(join(next, name), join(docroot, name));
  }
  const r = await wp.update!.upgradeDatabase!({ dir: docroot, url: web.url, php: remote });
  expect(r.version).toBe('6.5.5');
  expect(await frontPage()).toContain('(renamed)');
});
