import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ADMIN_SCOPE } from '../access/actor';
import { createTempApps, sampleManifest, type TempApps } from '../applications/temp-apps';
import { openStore } from '../db/connect';
import { createInstallRepository } from '../installs/install-repository';
import { createSecretBox } from '../secrets/secret-box';
import { makeInstallRecord } from '../testing/fixtures';
import { createTempEngine, type TempEngine } from '../testing/temp-engine';

/**
 * The update workflow on an application without a database (static-installer driver, tiny real archives): the
 * catalog's upgrade rules become the spec's errcodes before anything is touched, and a real update swaps the
 * release's files in and leaves nothing of itself behind. (WordPress and MariaDB: compat-tests wordpress-update*.)
 */
jest.setTimeout(60_000);

let apps: TempApps;
let t: TempEngine;
let dir: string;
let id: string;
const FG = { background: false, dryrun: 'none' } as const;

beforeEach(async () => {
  apps = createTempApps();
  apps.writeManifest(sampleManifest('site', [
    ['2.0.0', { requirements: { php: '99.0-', mysql: '', diskspace: '1M', mysql_table_prefix: '' } }],
    ['1.2.0', { update: 'none' }],
    ['1.1.0', { update: 'manual' }],
    ['1.0.1'],
    ['1.0.0'],
  ], { driver: 'static-installer', db: 'none', default_prefix: '', link_admin: '' }));
  for (const v of ['1.0.0', '1.0.1', '1.1.0', '1.2.0', '2.0.0']) apps.addArchive('site', v);
  t = await createTempEngine({ settings: { appsDir: apps.appsDir, mirrorDir: apps.mirrorDir, homesRoot: path.join(apps.root, 'home') } });
  const home = path.join(apps.root, 'home', 'u1');
  dir = path.join(home, 'public_html', 'site');
  fs.mkdirSync(dir, { recursive: true });
  execFileSync('tar', ['-xzf', path.join(apps.mirrorDir, 'site', 'site-1.0.0.tar.gz'), '--strip-components=1', '-C', dir]);
  fs.writeFileSync(path.join(dir, 'owner-file.txt'), 'mine');
  await t.engine.users.create(ADMIN_SCOPE, { id: 'u1', websites: [{ path: home, vhosts: { 'u1.example': 'public_html' } }] });
  const db = openStore({ client: 'sqlite3', filename: t.filename });
  try {
    const record = makeInstallRecord({
      user: 'u1', application: 'site', version: '1.0.0', url: 'http://u1.example/site', url_domain: 'u1.example', path: dir,
      db_host: '', db_name: '', db_user: '', db_pass: '', db_prefix: '', db_type: '', tables: [], files: ['VERSION', 'index.php', 'owner-file.txt'],
      version_autouped: '0.9.0', version_autouped_attempts: 2,
    });
    id = record.id;
    await createInstallRepository(db, createSecretBox(t.secretKey)).insert(record);
  } finally {
    await db.destroy();
  }
});
afterEach(async () => {
  await t.close();
  apps.close();
});

test.each([
  ['x.y', 'invalid_argument_version'],
  ['9.0.0', 'invalid_argument_version'],
  ['1.0.0', 'invalid_argument_version'],
  ['1.1.0', 'invalid_argument_version_manualupdate'],
  ['1.2.0', 'invalid_argument_version_noupdate'],
  ['2.0.0', 'invalid_argument_version_unmetrequirements'],
  [undefined, 'invalid_argument_version_unmetrequirements'],
])('version %s → %s (errfield version), nothing touched', async (version, errcode) => {
  const before = fs.readdirSync(dir).sort();
  await expect(t.engine.apps.update(ADMIN_SCOPE, id, { version }, FG)).rejects.toMatchObject({ errcode, errfield: 'version' });
  expect(fs.readdirSync(dir).sort()).toEqual(before);
});

test('plugins on an application without any: invalid_argument_plugins', async () => {
  await expect(t.engine.apps.update(ADMIN_SCOPE, id, { version: 'current', plugins: [] }, FG)).rejects.toMatchObject({ errcode: 'invalid_argument_plugins', errfield: 'plugins' });
});

test('dry runs: input passes without the folder, all checks it', async () => {
  fs.renameSync(dir, `${dir}-gone`);
  await expect(t.engine.apps.update(ADMIN_SCOPE, id, { version: '1.0.1' }, { background: false, dryrun: 'input' })).resolves.toEqual({ data: null, dryrun: true });
  await expect(t.engine.apps.update(ADMIN_SCOPE, id, { version: '1.0.1' }, { background: false, dryrun: 'all' })).rejects.toMatchObject({ errcode: 'failed_filesystem_directory' });
});

test('a real update: the release files swap in, the owner\'s files stay, the record follows, nothing left over', async () => {
  const r = await t.engine.apps.update(ADMIN_SCOPE, id, { version: '1.0.1' }, FG);
  expect(r.data).toMatchObject({ version: '1.0.1', version_available: '2.0.0', version_available_minor: '', version_updates_available: 2, incomplete: false });
  // Any successful update resets the failed automatic tries (spec §7.1); only an automatic one moves version_autouped.
  expect(r.data).toMatchObject({ version_autouped: '0.9.0', version_autouped_attempts: 0 });
  expect(fs.readFileSync(path.join(dir, 'VERSION'), 'utf8')).toBe('1.0.1\n');
  expect(fs.readFileSync(path.join(dir, 'index.php'), 'utf8')).toContain('site 1.0.1');
  expect(fs.readFileSync(path.join(dir, 'owner-file.txt'), 'utf8')).toBe('mine');
  expect(fs.readdirSync(dir).sort()).toEqual(['VERSION', 'index.php', 'owner-file.txt']);
  expect(r.task).toMatchObject({ cmd: 'installs/update', status: 'complete' });
});

test('an install whose URL no website of its owner serves any more: failed_website_vhost before the folder, nothing touched', async () => {
  const home = path.join(apps.root, 'home', 'u1');
  const before = fs.readdirSync(dir).sort();
  // The vhosts changed (the domain went to another account); the home and the folder are still there.
  await t.engine.users.edit(ADMIN_SCOPE, 'u1', { websites: [{ path: home, vhosts: { 'other.example': 'public_html' } }] }, { createIfMissing: false });
  for (const dryrun of ['all', 'none'] as const) {
    await expect(t.engine.apps.update(ADMIN_SCOPE, id, { version: '1.0.1' }, { background: false, dryrun })).rejects.toMatchObject({ errcode: 'failed_website_vhost' });
  }
  // Checked first: a folder that is gone as well still answers failed_website_vhost.
  fs.renameSync(dir, `${dir}-gone`);
  await expect(t.engine.apps.update(ADMIN_SCOPE, id, { version: '1.0.1' }, { background: false, dryrun: 'all' })).rejects.toMatchObject({ errcode: 'failed_website_vhost' });
  fs.renameSync(`${dir}-gone`, dir);
  expect(fs.readdirSync(dir).sort()).toEqual(before);
  expect(fs.readFileSync(path.join(dir, 'VERSION'), 'utf8')).toBe('1.0.0\n');
  // The website serves the domain again: the same update goes through.
  await t.engine.users.edit(ADMIN_SCOPE, 'u1', { websites: [{ path: home, vhosts: { 'u1.example': 'public_html' } }] }, { createIfMissing: false });
  await expect(t.engine.apps.update(ADMIN_SCOPE, id, { version: '1.0.1' }, FG)).resolves.toMatchObject({ data: { version: '1.0.1' } });
});
