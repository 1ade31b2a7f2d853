import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Install } from '@installgate/contracts';
import { ensureMirror, mariadbQuery, requireMariaDbBinaries, requirePhpBinary, startMariaDb, type MariaDbServer } from '@installgate/testkit';
import { ADMIN_SCOPE } from '../access/actor';
import { makeInstallRecord } from '../testing/fixtures';
import { createTempEngine, TEMP_ENGINE_START, type TempEngine } from '../testing/temp-engine';
import { AUTOUP_HOLD_OFF_SECONDS } from './auto-update';

/**
 * Automatic updates (autoup) of real testapp-db installs on a real MariaDB, under a clock the test moves: the
 * policy picks the target (minor: 1.0.0 → 1.0.1; all: 1.0.0 → 1.1.0; the `manual` 2.0.0 never), a release whose
 * upgrade fails is tried 3 times (a hold-off apart) and then not again with the site byte-identical after every
 * try, and a restore holds automatic updates off until the hold-off has passed.
 */
jest.setTimeout(600_000);

const APPS = path.resolve(__dirname, '..', '..', '..', '..', 'apps');
const HOUR = 3600;
const HOLD = AUTOUP_HOLD_OFF_SECONDS;
const PASS = { retrySeconds: 300 };
const FG = { background: false, dryrun: 'none' } as const;
const scope = { actor: { kind: 'account' as const, id: 'una', type: 'user' as const } };
let tmp: string;
let maria: MariaDbServer;
let good: TempEngine;
let broken: TempEngine;

/** A mirror holding only testapp-db, whose 1.1.0 fails in its database upgrade after creating its posts table. */
function brokenMirror(source: string): string {
  const dir = path.join(tmp, 'broken-mirror');
  fs.mkdirSync(dir);
  execFileSync('cp', ['-a', path.join(source, 'testapp-db'), dir]);
  const archive = path.join(dir, 'testapp-db', 'testapp-db-1.1.0.tar.gz');
  const work = fs.mkdtempSync(path.join(tmp, 'release-'));
  execFileSync('tar', ['-xzf', archive, '-C', work]);
  const sql = path.join(work, 'testapp-db', 'upgrade-from-1.0.1.sql');
  const text = fs.readFileSync(sql, 'utf8');
  fs.writeFileSync(sql, text.replace(/(INSERT INTO \{\{prefix\}\}posts)/, 'INSERT INTO {{prefix}}no_such_table VALUES (1);\n$1'));
  fs.rmSync(archive);
  execFileSync('tar', ['-czf', archive, '-C', work, 'testapp-db']);
  const bytes = fs.readFileSync(archive);
  const file = path.join(dir, 'testapp-db', 'releases.json');
  const releases = JSON.parse(fs.readFileSync(file, 'utf8'));
  Object.assign(releases.releases.find((r: { version: string }) => r.version === '1.1.0'), { sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length });
  fs.writeFileSync(file, JSON.stringify(releases, null, 2));
  return dir;
}

async function engineOn(mirrorDir: string, name: string): Promise<TempEngine> {
  const t = await createTempEngine({ settings: { homesRoot: path.join(tmp, name), appsDir: APPS, mirrorDir, dbUrl: maria.url } });
  await t.engine.users.create(ADMIN_SCOPE, { id: 'una', email: 'una@example.test', websites: [{ vhosts: { 'http://una.test': 'public_html' } }] });
  return t;
}

beforeAll(async () => {
  requireMariaDbBinaries();
  requirePhpBinary();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ig-autoup-'));
  const mirror = await ensureMirror();
  maria = await startMariaDb({ dir: path.join(tmp, 'db') });
  good = await engineOn(mirror, 'good');
  broken = await engineOn(brokenMirror(mirror), 'broken');
});
afterAll(async () => {
  await good?.close();
  await broken?.close();
  await maria?.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function install(t: TempEngine, dir: string, extra: Record<string, unknown>): Promise<Install> {
  const r = await t.engine.apps.install(scope, { application: 'testapp-db', version: '1.0.0', url: `http://una.test/${dir}`, sitetitle: `Site ${dir}`, email: 'una@example.test', ...extra }, FG);
  return r.data!;
}

const record = (t: TempEngine, id: string) => t.engine.installs.get(ADMIN_SCOPE, id);

/** One pass at `now`; this install's reports. */
async function pass(t: TempEngine, id: string, now: number) {
  t.setNow(now);
  return (await t.engine.apps.runScheduledJobs(PASS)).filter((r) => r.target === id && r.kind === 'autoup');
}

async function updateTasks(t: TempEngine, id: string) {
  return (await t.engine.tasks.list(scope, { offset: 0, limit: 500 })).items.filter((k) => k.install === id && k.cmd === 'installs/update');
}

/** Every file with its content hash, and every table's checksum and definition: "byte-identical" made checkable. */
async function siteState(site: Install): Promise<string[]> {
  const out: string[] = [];
  const walk = (d: string, rel: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(d, e.name);
      const mode = (fs.lstatSync(full).mode & 0o7777).toString(8);
      if (e.isDirectory()) {
        out.push(`${rel}${e.name}/ ${mode}`);
        walk(full, `${rel}${e.name}/`);
      } else out.push(`${rel}${e.name} ${mode} ${createHash('sha256').update(fs.readFileSync(full)).digest('hex')}`);
    }
  };
  walk(site.path, '');
  const tables = (await mariadbQuery(maria, 'SHOW TABLES', { database: site.db_name })).trim().split('\n').filter(Boolean).sort();
  for (const table of tables) {
    out.push((await mariadbQuery(maria, `CHECKSUM TABLE \`${table}\` EXTENDED`, { database: site.db_name })).trim());
    out.push((await mariadbQuery(maria, `SHOW CREATE TABLE \`${table}\``, { database: site.db_name })).trim());
  }
  return out;
}

test('minor stays in its line, all takes the newest automatic release, manual releases and none are never taken', async () => {
  const start = TEMP_ENGINE_START;
  good.setNow(start);
  const minor = await install(good, 'minor', { autoup: 'minor', autoup_backup: 'none' });
  const all = await install(good, 'all', { autoup: 'all', autoup_backup: 'all' });
  const none = await install(good, 'none', { autoup: 'none' });
  expect(minor.version_available_minor).toBe('1.0.1');

  // One pass updates both (each by its own policy) and leaves `none` alone.
  good.setNow(start + HOUR);
  const reports = (await good.engine.apps.runScheduledJobs(PASS)).filter((r) => r.kind === 'autoup');
  expect(reports.filter((r) => r.target === minor.id)).toMatchObject([{ outcome: 'done', detail: { from: '1.0.0', to: '1.0.1', backup: false } }]);
  expect(reports.filter((r) => r.target === all.id)).toMatchObject([{ outcome: 'done', detail: { from: '1.0.0', to: '1.1.0', backup: true } }]);
  // Still looked at (its autoup_plugins/themes default to all; testapp-db has none of either), never updated.
  expect(reports.filter((r) => r.target === none.id)).toEqual([{ kind: 'autoup', target: none.id, outcome: 'idle' }]);
  expect(await record(good, minor.id)).toMatchObject({ version: '1.0.1', version_autouped: '1.0.1', version_autouped_attempts: 0, incomplete: false });
  expect(fs.readFileSync(path.join(minor.path, 'VERSION'), 'utf8').trim()).toBe('1.0.1');
  expect((await good.engine.backups.list(scope, { offset: 0, limit: 50, pid: minor.id })).items).toEqual([]);
  expect(await record(good, all.id)).toMatchObject({ version: '1.1.0', version_autouped: '1.1.0', version_available: '2.0.0' });
  expect((await mariadbQuery(maria, 'SELECT title FROM ta_posts', { database: all.db_name })).trim()).toBe('Hello world 🌍');
  // autoup_backup=all: a backup of the site at 1.0.0 was taken first, and kept.
  const backups = (await good.engine.backups.list(scope, { offset: 0, limit: 50, pid: all.id })).items;
  expect(backups).toMatchObject([{ version: '1.0.0', backup_note: 'Before updating Test App (database) 1.0.0 to 1.1.0' }]);
  // The task is the owner's installs/update.
  expect(await updateTasks(good, all.id)).toMatchObject([{ cmd: 'installs/update', status: 'complete', user: 'una' }]);

  // Now: minor at 1.0.1 has no newer 1.0.x, all at 1.1.0 only the manual 2.0.0, none stays at 1.0.0.
  expect(await pass(good, minor.id, start + 3 * HOUR)).toMatchObject([{ outcome: 'idle' }]);
  expect(await pass(good, all.id, start + 4 * HOUR)).toMatchObject([{ outcome: 'idle' }]);
  expect(await record(good, minor.id)).toMatchObject({ version: '1.0.1' });
  expect(await record(good, all.id)).toMatchObject({ version: '1.1.0' });
  expect(await record(good, none.id)).toMatchObject({ version: '1.0.0', version_autouped: '' });
});

test('a release whose upgrade fails: 3 tries a hold-off apart, the site byte-identical after each, then none until an autoup edit', async () => {
  const start = TEMP_ENGINE_START + 1000 * HOUR;
  broken.setNow(start);
  const site = await install(broken, 'fails', { autoup: 'all', autoup_backup: 'all' });
  const before = await siteState(site);
  const failedTries = async () => (await updateTasks(broken, site.id)).filter((k) => k.status === 'failed').length;

  let now = start + HOUR;
  for (let attempt = 1; attempt <= 3; attempt++) {
    expect(await pass(broken, site.id, now)).toMatchObject([{ outcome: 'failed', errcode: 'internal_error' }]);
    expect(await siteState(site)).toEqual(before);
    expect(await record(broken, site.id)).toMatchObject({ version: '1.0.0', version_autouped: '', version_autouped_attempts: attempt, incomplete: false });
    expect(await failedTries()).toBe(attempt);
    // Within the hold-off the next passes leave it alone.
    expect(await pass(broken, site.id, now + HOUR)).toMatchObject([{ outcome: 'idle' }]);
    expect(await pass(broken, site.id, now + HOLD - 1)).toMatchObject([{ outcome: 'idle' }]);
    now += HOLD;
  }
  // Every try backed the site up first (autoup_backup=all); the backups stay.
  expect((await broken.engine.backups.list(scope, { offset: 0, limit: 50, pid: site.id })).items).toHaveLength(3);
  // After the third failure: no more tries, however long it waits.
  expect(await pass(broken, site.id, now)).toMatchObject([{ outcome: 'idle' }]);
  expect(await pass(broken, site.id, now + 10 * HOLD)).toMatchObject([{ outcome: 'idle' }]);
  expect(await failedTries()).toBe(3);
  expect(await siteState(site)).toEqual(before);
  // It failed where it was meant to: in the release's own database upgrade, after changing tables.
  const [failed] = (await updateTasks(broken, site.id)).filter((k) => k.status === 'failed');
  expect(failed!.message).toMatch(/failed at step upgrade-database; the site was put back as it was.*no_such_table/s);

  // The owner edits the automatic-update settings: the count starts over and the next pass tries again.
  broken.setNow(now + 10 * HOLD + HOUR);
  expect(await broken.engine.installs.edit(scope, site.id, { autoup: 'all' })).toMatchObject({ version_autouped_attempts: 0 });
  expect(await pass(broken, site.id, now + 10 * HOLD + 2 * HOUR)).toMatchObject([{ outcome: 'failed' }]);
  expect(await record(broken, site.id)).toMatchObject({ version_autouped_attempts: 1 });
  expect(await siteState(site)).toEqual(before);
});

test('a restore in place holds automatic updates off until the hold-off has passed', async () => {
  const start = TEMP_ENGINE_START + 5000 * HOUR;
  good.setNow(start);
  const site = await install(good, 'restored', { autoup: 'minor', autoup_backup: 'none' });
  const backup = (await good.engine.apps.backup(scope, site.id, { backup_note: 'at 1.0.0' }, FG)).data!;
  expect(await pass(good, site.id, start + HOUR)).toMatchObject([{ outcome: 'done', detail: { to: '1.0.1' } }]);

  const restoredAt = start + 2 * HOUR;
  good.setNow(restoredAt);
  await good.engine.apps.restore(scope, backup.id, {}, FG, 'restore');
  expect(await record(good, site.id)).toMatchObject({ version: '1.0.0' });
  expect(await pass(good, site.id, restoredAt + HOUR)).toMatchObject([{ outcome: 'idle' }]);
  expect(await pass(good, site.id, restoredAt + HOLD - 1)).toMatchObject([{ outcome: 'idle' }]);
  expect(await record(good, site.id)).toMatchObject({ version: '1.0.0' });
  expect(await pass(good, site.id, restoredAt + HOLD)).toMatchObject([{ outcome: 'done', detail: { from: '1.0.0', to: '1.0.1' } }]);
  expect(await record(good, site.id)).toMatchObject({ version: '1.0.1', version_autouped: '1.0.1' });
});

test('an install the catalog cannot place (application gone, unknown version) is left alone, not failed every pass', async () => {
  const start = TEMP_ENGINE_START + 9000 * HOUR;
  const gone = makeInstallRecord({ user: 'una', application: 'no-such-app', version: '1.0.0', autoup: 'all' });
  const odd = makeInstallRecord({ user: 'una', application: 'testapp-db', version: 'not-a-version', autoup: 'all' });
  await good.engine.installs.insert(gone);
  await good.engine.installs.insert(odd);
  expect(await pass(good, gone.id, start)).toMatchObject([{ outcome: 'idle' }]);
  expect(await pass(good, odd.id, start + HOUR)).toMatchObject([{ outcome: 'idle' }]);
  expect(await updateTasks(good, gone.id)).toEqual([]);
});
