import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ensureMirror } from '@installgate/testkit';
import { ADMIN_SCOPE } from '../access/actor';
import { createTempEngine, TEMP_ENGINE_START, type TempEngine } from '../testing/temp-engine';
import { readTable } from '../testing/read-table';
import { openStore } from '../db/connect';

/**
 * Automatic backups (autobk) under a clock the test moves: GFS counts are kept exactly, schedules give the counts,
 * a failing location is tried once per pass (not in a loop), and manual backups are never touched.
 */
jest.setTimeout(300_000);

const APPS = path.resolve(__dirname, '..', '..', '..', '..', 'apps');
const HOUR = 3600;
const DAY = 86_400;
const PASS = { retrySeconds: 300 };
let t: TempEngine;
let homes: string;
const scope = { actor: { kind: 'account' as const, id: 'gus', type: 'user' as const } };

beforeAll(async () => {
  homes = fs.mkdtempSync(path.join(os.tmpdir(), 'ig-autobk-'));
  t = await createTempEngine({ settings: { homesRoot: homes, appsDir: APPS, mirrorDir: await ensureMirror() } });
  await t.engine.users.create(ADMIN_SCOPE, { id: 'gus', email: 'gus@example.test', websites: [{ vhosts: { 'http://gus.test': 'public_html' } }] });
});
afterAll(async () => {
  await t?.close();
  fs.rmSync(homes, { recursive: true, force: true });
});

async function install(dir: string, extra: Record<string, unknown>): Promise<string> {
  const r = await t.engine.apps.install(scope, { application: 'testapp-static', url: `http://gus.test/${dir}`, sitetitle: dir, ...extra }, { background: false, dryrun: 'none' });
  return r.data!.id;
}

async function backupsOf(installId: string) {
  return (await t.engine.backups.list(scope, { offset: 0, limit: 500, pid: installId })).items;
}

async function kindsOf(installId: string) {
  const rows = (await readTable(t, 'auto_backups')).filter((r) => r.install_id === installId);
  const count = (k: string) => rows.filter((r) => Boolean(r[k])).length;
  return { rows: rows.length, daily: count('daily'), weekly: count('weekly'), monthly: count('monthly') };
}

/** Runs a pass every `step` seconds from `from` to `until` (inclusive) and answers this install's reports. */
async function passes(installId: string, from: number, until: number, step: number) {
  const reports = [];
  for (let now = from; now <= until; now += step) {
    t.setNow(now);
    reports.push(...(await t.engine.apps.runScheduledJobs(PASS)).filter((r) => r.kind === 'autobk' && r.target === installId));
  }
  return reports;
}

test('custom 2 daily / 1 weekly / 1 monthly over 40 days keeps exactly those, and manual backups stay', async () => {
  const start = TEMP_ENGINE_START;
  t.setNow(start);
  const id = await install('gfs', { autobk: 'custom', autobk_daily: 2, autobk_weekly: 1, autobk_monthly: 1 });
  const manualBefore = (await t.engine.apps.backup(scope, id, { backup_note: 'mine' }, { background: false, dryrun: 'none' })).data!;

  const firstWeek = await passes(id, start, start + 7 * DAY - 6 * HOUR, 6 * HOUR);
  const done = firstWeek.filter((r) => r.outcome === 'done');
  // One backup a day: the first counts as all three kinds, the others as daily only.
  expect(done).toHaveLength(7);
  expect(done[0]!.detail).toMatchObject({ kinds: ['daily', 'weekly', 'monthly'] });
  expect(done.slice(1).every((r) => JSON.stringify(r.detail!.kinds) === '["daily"]')).toBe(true);
  expect(firstWeek.filter((r) => r.outcome === 'failed')).toEqual([]);

  t.setNow(start + 20 * DAY + 1);
  const manualMiddle = (await t.engine.apps.backup(scope, id, {}, { background: false, dryrun: 'none' })).data!;
  await passes(id, start + 7 * DAY, start + 40 * DAY, 6 * HOUR);

  expect(await kindsOf(id)).toMatchObject({ daily: 2, weekly: 1, monthly: 1 });
  const auto = (await readTable(t, 'auto_backups')).filter((r) => r.install_id === id);
  const backups = await backupsOf(id);
  // Exactly the automatic backups some kind keeps, plus both manual ones; every archive on disk is one of them.
  expect(backups.map((b) => b.id).sort()).toEqual([...auto.map((r) => String(r.backup_id)), manualBefore.id, manualMiddle.id].sort());
  const folder = path.join(homes, 'gus', 'application_backups');
  expect(fs.readdirSync(folder).sort()).toEqual(backups.map((b) => b.backup_filename).sort());
  // The two dailies are the two newest backups; the monthly is day 30's, the weekly day 35's.
  const byTime = (k: string) => auto.filter((r) => Boolean(r[k])).map((r) => Number(r.backup_time) - start).sort((a, b) => a - b);
  expect(byTime('daily')).toEqual([39 * DAY, 40 * DAY]);
  expect(byTime('weekly')).toEqual([35 * DAY]);
  expect(byTime('monthly')).toEqual([30 * DAY]);
  // Retention deleted through the delete-backup workflow: each deletion is in the activity log.
  const logs = (await t.engine.logs.list(ADMIN_SCOPE, { offset: 0, limit: 500, install: id, time_from: 0 })).items;
  expect(logs.filter((l) => l.message.startsWith('Deleted backup')).length).toBe(41 - auto.length);
});

test('a schedule gives the counts (built-in and stored); a disabled schedule takes nothing', async () => {
  const start = TEMP_ENGINE_START + 100 * DAY;
  t.setNow(start);
  const weekly = await install('sched-wm', { autobk: 'schedule', autobk_schedule: 'weeklymonthly' });
  const stored = await t.engine.schedules.insert({ name: 'Three dailies', daily: 3, location: 'local' });
  const daily3 = await install('sched-d3', { autobk: 'schedule', autobk_schedule: stored.id });
  const off = await t.engine.schedules.insert({ name: 'Off', daily: 1, enabled: false });
  const disabled = await install('sched-off', { autobk: 'schedule', autobk_schedule: off.id });

  await passes('', start, start + 20 * DAY, 12 * HOUR);
  expect(await kindsOf(weekly)).toEqual({ rows: 2, daily: 0, weekly: 1, monthly: 1 });
  expect((await backupsOf(weekly)).map((b) => b.backup_time - start).sort((a, b) => a - b)).toEqual([0, 14 * DAY]);
  expect(await kindsOf(daily3)).toEqual({ rows: 3, daily: 3, weekly: 0, monthly: 0 });
  expect((await backupsOf(daily3)).map((b) => b.backup_time - start).sort((a, b) => a - b)).toEqual([18 * DAY, 19 * DAY, 20 * DAY]);
  expect(await backupsOf(disabled)).toEqual([]);
});

test('a failing location is tried at the next pass, then less and less often; each try is a failed task and a log entry', async () => {
  const start = TEMP_ENGINE_START + 200 * DAY;
  t.setNow(start);
  const blocker = path.join(homes, 'not-a-folder');
  fs.writeFileSync(blocker, 'a file where the location wants a folder');
  const loc = await t.engine.locations.insert({ id: 'broken', name: 'Broken', uri: `file://${blocker}/backups`, scope: 'user' });
  const id = await install('broken-loc', { autobk: 'custom', autobk_daily: 1, bkloc: loc.id });
  const failedTasks = async () => (await t.engine.tasks.list(scope, { offset: 0, limit: 500 })).items
    .filter((k) => k.install === id && k.cmd === 'installs/backup' && k.status === 'failed').length;
  const run = async (now: number) => {
    t.setNow(now);
    return (await t.engine.apps.runScheduledJobs(PASS)).filter((r) => r.kind === 'autobk' && r.target === id);
  };

  expect(await run(start)).toMatchObject([{ outcome: 'failed' }]);
  expect(await failedTasks()).toBe(1);
  // Another pass at once (a second process, a restart) does not try again …
  expect(await run(start)).toEqual([]);
  expect(await run(start + 60)).toEqual([]);
  expect(await failedTasks()).toBe(1);
  // … the next regular pass does.
  expect(await run(start + 300)).toMatchObject([{ outcome: 'failed' }]);
  expect(await failedTasks()).toBe(2);
  // Failing again and again: the wait doubles (300 s after the 2nd failure, 600 s after the 3rd).
  expect(await run(start + 600)).toMatchObject([{ outcome: 'failed' }]);
  expect(await run(start + 900)).toEqual([]);
  expect(await run(start + 1200)).toMatchObject([{ outcome: 'failed' }]);
  expect(await failedTasks()).toBe(4);
  const logged = (await t.engine.logs.list(ADMIN_SCOPE, { offset: 0, limit: 100, install: id, time_from: 0 })).items;
  expect(logged.filter((e) => e.severity === 'error' && e.message.startsWith('Backing up broken-loc failed'))).toHaveLength(4);
  expect(await backupsOf(id)).toEqual([]);

  // The location works again: the next try after the wait succeeds and the count starts over.
  fs.rmSync(blocker);
  expect(await run(start + 2400)).toMatchObject([{ outcome: 'done' }]);
  expect(await backupsOf(id)).toHaveLength(1);
  const [job] = (await readTable(t, 'scheduler_jobs')).filter((r) => r.kind === 'autobk' && r.target === id);
  expect(job).toMatchObject({ failures: 0, retry_after: 0, lease_owner: '' });
});

test('a lease left by a process that died blocks the job until it runs out, then the backup is taken', async () => {
  const start = TEMP_ENGINE_START + 300 * DAY;
  t.setNow(start);
  const id = await install('dead-holder', { autobk: 'custom', autobk_daily: 1 });
  const db = openStore({ client: 'sqlite3', filename: t.filename });
  try {
    await db('scheduler_jobs').insert({ kind: 'autobk', target: id, lease_owner: 'dead@0', lease_until: start + 600, retry_after: 0, last_run: 0 });
  } finally {
    await db.destroy();
  }
  expect(await passes(id, start, start + 599, 299)).toEqual([]);
  expect(await backupsOf(id)).toEqual([]);
  expect(await passes(id, start + 600, start + 600, 1)).toMatchObject([{ outcome: 'done', detail: { kinds: ['daily'] } }]);
  expect(await backupsOf(id)).toHaveLength(1);
});
