import * as fs from 'node:fs';
import * as path from 'node:path';
import { openStore } from '@installgate/core';
import { startAppHarness, type AppHarness } from './app-harness';
import { fetchPage } from './install-helpers';
import { startPassProcess } from './scheduler-pass-process';

/**
 * Two engines in two processes on one state database (SQLite file) and one MariaDB run a scheduler pass at the
 * same simulated moment: an install that is due gets exactly one automatic backup, and a second pair of passes at
 * that moment takes none. A day later the next one comes, and retention (1 daily) deletes the first. The same for
 * an automatic update: one install whose policy allows a newer release is updated exactly once.
 */
jest.setTimeout(240_000);

let h: AppHarness;
let installId: string;
let tables: string[];
const DAY = 86_400;
const T0 = 1_800_000_000;

beforeAll(async () => {
  h = await startAppHarness('zed');
  const r = await h.v2('post', '/browser/testapp-db/install').send({ url: `${h.site}/twice`, user: 'zed', sitetitle: 'Backed Up Once', autobk: 'custom', autobk_daily: 1 });
  expect(r.body).toMatchObject({ result: true, data: { autobk: 'custom', autobk_daily: 1 } });
  installId = r.body.data.id;
  tables = r.body.data.tables;
  expect(tables.length).toBeGreaterThan(0);
}, 180_000);
afterAll(async () => { await h?.stopAll(); }, 60_000);

/** Two pass processes at `now`, both released together once both engines are open; the reports on `target`. */
async function twoPasses(now: number, round: string, target = installId) {
  const go = path.join(h.home, `go-${round}`);
  const env = { INSTALLGATE_HOME: h.home, PASS_NOW: String(now), PASS_GO: go, PASS_DB_URL: h.mariadb.url };
  const a = startPassProcess(env);
  const b = startPassProcess(env);
  await Promise.all([a.ready, b.ready]);
  fs.writeFileSync(go, '');
  const reports = (await Promise.all([a.done, b.done])).flat().filter((r) => r.target === target);
  return reports;
}

async function autoRows() {
  const db = openStore({ client: 'sqlite3', filename: h.settings.state_db });
  try {
    return (await db('auto_backups').where({ install_id: installId }).select('*')) as Array<{ backup_id: string; backup_time: number }>;
  } finally {
    await db.destroy();
  }
}

test('one due install, two processes at the same moment: exactly one backup', async () => {
  const first = await twoPasses(T0, 'a');
  expect(first.filter((r) => r.outcome === 'done')).toHaveLength(1);
  expect(first.filter((r) => r.outcome === 'failed')).toEqual([]);
  const backups = (await h.v2('get', `/backups?user=zed&pid=${installId}`).expect(200)).body.data;
  expect(backups).toHaveLength(1);
  expect(backups[0]).toMatchObject({ backup_time: T0, backup_note: 'Automatic backup (daily)', tables });
  const folder = path.join(h.settings.homes_root, 'zed', 'application_backups');
  expect(fs.readdirSync(folder)).toEqual([backups[0].backup_filename]);

  const again = await twoPasses(T0, 'b');
  expect(again.filter((r) => r.outcome === 'done')).toEqual([]);
  expect((await h.v2('get', `/backups?user=zed&pid=${installId}`).expect(200)).body.data).toHaveLength(1);

  const nextDay = await twoPasses(T0 + DAY, 'c');
  expect(nextDay.filter((r) => r.outcome === 'done')).toHaveLength(1);
  const after = (await h.v2('get', `/backups?user=zed&pid=${installId}`).expect(200)).body.data;
  expect(after.map((b: { backup_time: number }) => b.backup_time)).toEqual([T0 + DAY]);
  expect((await autoRows()).map((r) => Number(r.backup_time))).toEqual([T0 + DAY]);
  expect(fs.readdirSync(folder)).toEqual([after[0].backup_filename]);
});

test('one install due for an automatic update, two processes at the same moment: exactly one update', async () => {
  const r = await h.v2('post', '/browser/testapp-db/install').send({ url: `${h.site}/autoup`, user: 'zed', version: '1.0.0', sitetitle: 'Updated Once', autoup: 'minor', autoup_backup: 'all' });
  expect(r.body).toMatchObject({ result: true, data: { version: '1.0.0', autoup: 'minor', version_available_minor: '1.0.1' } });
  const id: string = r.body.data.id;
  const now = T0 + 10 * DAY;
  const first = await twoPasses(now, 'up-a', id);
  expect(first.filter((x) => x.kind === 'autoup')).toMatchObject([{ outcome: 'done', detail: { from: '1.0.0', to: '1.0.1', backup: true } }]);
  const again = await twoPasses(now, 'up-b', id);
  expect(again.filter((x) => x.outcome !== 'idle')).toEqual([]);
  const after = (await h.v2('get', `/installs/${id}`).expect(200)).body.data;
  expect(after).toMatchObject({ version: '1.0.1', version_autouped: '1.0.1', version_autouped_attempts: 0, incomplete: false });
  const tasks = (await h.v2('get', '/tasks?user=zed').expect(200)).body.data.filter((k: { install: string; cmd: string }) => k.install === id && k.cmd === 'installs/update');
  expect(tasks).toMatchObject([{ status: 'complete' }]);
  // One backup before the update (autoup_backup=all), not one per process.
  expect((await h.v2('get', `/backups?user=zed&pid=${id}`).expect(200)).body.data).toMatchObject([{ version: '1.0.0' }]);
  const page = await fetchPage(`${h.site}/autoup/`);
  expect(page.status).toBe(200);
  expect(page.body).toContain('<meta name="generator" content="testapp-db 1.0.1">');
  expect(page.body).toContain('<title>Updated Once</title>');
});
