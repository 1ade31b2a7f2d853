import * as fs from 'node:fs';
import * as path from 'node:path';
import { startAppHarness, type AppHarness } from './app-harness';
import { fetchPage, holdDatabaseStill, taskById, waitForTask, world, type TaskView } from './install-helpers';

/**
 * Dry runs and background runs of an install in both protocols (spec §1.8, §6), one mutating task per install,
 * and GET /tasks?restart=true.
 *
 * To watch a background task while it is `processing`, the suite holds MariaDB's global read lock for a few
 * seconds (holdDatabaseStill): the task then waits at its database step for real.
 */
let h: AppHarness;
let dbHost: string;
const GIVEN = { db: 'given_tasks', user: 'given_tasks_u', pass: 'Given-Tasks-Pa55' };

beforeAll(async () => {
  h = await startAppHarness('alice');
  dbHost = `127.0.0.1:${h.mariadb.port}`;
  await h.sql(`CREATE DATABASE ${GIVEN.db}; CREATE USER '${GIVEN.user}'@'%' IDENTIFIED BY '${GIVEN.pass}'; CREATE USER '${GIVEN.user}'@'localhost' IDENTIFIED BY '${GIVEN.pass}';
    GRANT ALL PRIVILEGES ON ${GIVEN.db}.* TO '${GIVEN.user}'@'%'; GRANT ALL PRIVILEGES ON ${GIVEN.db}.* TO '${GIVEN.user}'@'localhost';`);
}, 180_000);
afterAll(async () => { await h?.stopAll(); }, 60_000);

const at = (p: string) => `${h.site}/${p}`;
const STARTED = /started in the background/;

/** The task object of a backgrounded answer, v2 names (spec §6). */
function expectV2Task(task: TaskView, url: string, title: string): void {
  expect(task).toEqual(expect.objectContaining({
    id: expect.stringMatching(/^\d+$/), status: expect.stringMatching(/^(queued|processing)$/), cmd: 'browser/install',
    install: expect.stringMatching(/^[a-z0-9]{25}$/), user: 'alice', url, title, label: '_tasks_installing',
    percentMin: expect.any(Number), percentMax: expect.any(Number),
  }));
}

describe('dry runs change nothing', () => {
  test.each([
    ['v2 dryrun=input', 'input'],
    ['v2 dryrun=all', 'all'],
  ])('%s: 200, result true, complete_dryrun, data null; no record, task, database or file', async (_name, dryrun) => {
    const before = await world(h);
    const r = await h.v2('post', '/browser/testapp-db/install').send({ url: at('dry/deep'), user: 'alice', sitetitle: 'Dry', dryrun });
    expect({ http: r.status, ...r.body }).toEqual({ http: 200, result: true, status: 200, errcode: 'complete_dryrun', errfield: null, message: expect.any(String), data: null });
    expect(await world(h)).toEqual(before);
    expect(fs.existsSync(path.join(h.docroot, 'dry'))).toBe(false);
  });

  test.each([
    ['v1 dryrun=1 (input)', '1'],
    ['v1 dryrun=2 (all)', '2'],
  ])('%s: HTTP 200, result true, complete_dryrun; nothing changes', async (_name, dryrun) => {
    const before = await world(h);
    const r = await h.v1({ cmd: 'install', application: 'testapp-db', url: at('dry/deep'), user: 'alice', dryrun });
    expect({ http: r.status, ...r.body }).toEqual({ http: 200, result: true, errcode: 'complete_dryrun', message: expect.any(String), data: null });
    expect(await world(h)).toEqual(before);
  });

  test('a dry run with a given database: input passes a wrong db_pass, all tests the connection and refuses it', async () => {
    const before = await world(h);
    const wrong = { url: at('dry'), user: 'alice', db_host: dbHost, db_name: GIVEN.db, db_user: GIVEN.user, db_pass: 'wrong-password' };
    expect((await h.v2('post', '/browser/testapp-db/install').send({ ...wrong, dryrun: 'input' })).body).toMatchObject({ result: true, status: 200, errcode: 'complete_dryrun' });
    const all = await h.v2('post', '/browser/testapp-db/install').send({ ...wrong, dryrun: 'all' });
    expect({ http: all.status, ...all.body }).toMatchObject({ http: 400, result: false, status: 400, errcode: 'invalid_argument_db_pass', errfield: 'db_pass' });
    expect((await h.v1({ cmd: 'install', application: 'testapp-db', ...wrong, dryrun: '1' })).body).toMatchObject({ result: true, errcode: 'complete_dryrun' });
    expect((await h.v1({ cmd: 'install', application: 'testapp-db', ...wrong, dryrun: '2' })).body).toEqual({ result: false, errcode: 'invalid_argument_db_pass', message: expect.any(String) });
    const right = { ...wrong, db_pass: GIVEN.pass };
    expect((await h.v2('post', '/browser/testapp-db/install').send({ ...right, dryrun: 'all' })).body).toMatchObject({ result: true, errcode: 'complete_dryrun' });
    expect(await world(h)).toEqual(before);
    expect(await h.sql(`SHOW TABLES FROM ${GIVEN.db}`)).toEqual([]);
  });
});

describe('background installs', () => {
  test('v2 background=true: answers at once with the task; GET /tasks and cmd=tasks show it processing, then complete; the site answers', async () => {
    const hold = await holdDatabaseStill(h, 3);
    const started = Date.now();
    const r = await h.v2('post', '/browser/testapp-db/install').send({ url: at('bg-v2'), user: 'alice', sitetitle: 'Background Two', background: true });
    expect(Date.now() - started).toBeLessThan(2500); // answered while the database still held the task up
    expect({ http: r.status, ...r.body }).toEqual({ http: 200, result: true, status: 200, errcode: null, errfield: null, message: expect.stringMatching(STARTED), data: null, task: expect.any(Object) });
    expectV2Task(r.body.task, at('bg-v2'), 'Background Two');
    const id = r.body.task.id as string;

    // While the database holds it: processing, at the database step, with its progress band.
    let processing: TaskView | undefined;
    for (let i = 0; i < 40 && !processing; i++) {
      const t = await taskById(h, id);
      if (t?.status === 'processing' && t.message === '_tasks_shared_creatingdatabase') processing = t;
      else await new Promise((res) => setTimeout(res, 50));
    }
    expect(processing).toMatchObject({ status: 'processing', percentMin: 10, percentMax: 20, cmd: 'browser/install', install: r.body.task.install });
    const v1Tasks = await h.v1({ cmd: 'tasks', user: 'alice' });
    expect(v1Tasks.body.data.find((t: TaskView) => t.id === id)).toMatchObject({ cmd: 'install', status: 'processing', percentMin: 10, percentMax: 20, install: r.body.task.install });
    // The record exists already, flagged incomplete, until the last step.
    expect((await h.v2('get', `/installs/${r.body.task.install}`)).body.data).toMatchObject({ incomplete: true });

    await hold.released;
    const { task } = await waitForTask(h, id);
    expect(task).toMatchObject({ status: 'complete', percentMin: 100, percentMax: 100, errcode: null });
    const install = (await h.v2('get', `/installs/${r.body.task.install}`)).body.data;
    expect(install).toMatchObject({ application: 'testapp-db', url: at('bg-v2'), incomplete: false, title: 'Background Two' });
    expect((await fetchPage(`${at('bg-v2')}/`)).body).toContain('<title>Background Two</title>');
    expect((await h.v1({ cmd: 'tasks', user: 'alice' })).body.data.find((t: TaskView) => t.id === id)).toMatchObject({ cmd: 'install', status: 'complete' });
  }, 30_000);

  test('v1 background=1: the v1 task (cmd install) at once, then complete', async () => {
    const hold = await holdDatabaseStill(h, 2);
    const r = await h.v1({ cmd: 'install', application: 'testapp-db', url: at('bg-v1'), user: 'alice', sitetitle: 'Background One', background: '1' });
    expect({ http: r.status, ...r.body }).toEqual({ http: 200, result: true, errcode: null, message: expect.stringMatching(STARTED), data: null, task: expect.any(Object) });
    expect(r.body.task).toMatchObject({ cmd: 'install', user: 'alice', url: at('bg-v1'), title: 'Background One', label: '_tasks_installing', status: expect.stringMatching(/^(queued|processing)$/) });
    await hold.released;
    const { task, seen } = await waitForTask(h, r.body.task.id);
    expect(seen.some((t) => t.status === 'processing')).toBe(true);
    expect(task.status).toBe('complete');
    expect((await fetchPage(`${at('bg-v1')}/`)).body).toContain('<title>Background One</title>');
  }, 30_000);

  test.each([
    ['v2', (url: string, extra: Record<string, string>) => h.v2('post', '/browser/testapp-static/install').send({ url, user: 'alice', background: 'quick', ...extra })],
    ['v1', (url: string, extra: Record<string, string>) => h.v1({ cmd: 'install', application: 'testapp-static', url, user: 'alice', background: 'quick', ...extra })],
  ])('%s background=quick: answers with the task, which completes', async (proto, call) => {
    const url = at(`quick-${proto}`);
    const r = await call(url, { sitetitle: `Quick ${proto}` });
    expect(r.body).toMatchObject({ result: true, errcode: null, data: null, message: expect.stringMatching(STARTED) });
    expect(r.body.task).toMatchObject({ cmd: proto === 'v2' ? 'browser/install' : 'install', url });
    const { task } = await waitForTask(h, r.body.task.id);
    expect(task.status).toBe('complete');
    expect((await fetchPage(`${url}/`)).body).toContain(`<title>Quick ${proto}</title>`);
  }, 30_000);

  test('background=quick skips the preliminary checks: a wrong db_pass fails inside the task and leaves nothing; background=true refuses it at once', async () => {
    const before = await world(h);
    const wrong = { url: at('quick-wrong'), user: 'alice', db_host: dbHost, db_name: GIVEN.db, db_user: GIVEN.user, db_pass: 'wrong-password' };
    const now = await h.v2('post', '/browser/testapp-db/install').send({ ...wrong, background: true });
    expect(now.body).toMatchObject({ result: false, status: 400, errcode: 'invalid_argument_db_pass' });
    expect(await world(h)).toEqual(before);

    const quick = await h.v2('post', '/browser/testapp-db/install').send({ ...wrong, background: 'quick' });
    expect(quick.body).toMatchObject({ result: true, errcode: null });
    const { task } = await waitForTask(h, quick.body.task.id);
    expect(task).toMatchObject({ status: 'failed', errcode: 'invalid_argument_db_pass' });
    const after = await world(h);
    expect({ ...after, tasks: [] }).toEqual({ ...before, tasks: [] });
    expect(after.tasks).toEqual([`${task.id} failed`, ...before.tasks]);
  }, 30_000);
});

describe('one mutating task per install', () => {
  let id: string;
  let holder: string;

  beforeAll(async () => {
    const r = await h.v2('post', '/browser/testapp-static/install').send({ url: at('busy'), user: 'alice', sitetitle: 'Busy' });
    expect(r.body.result).toBe(true);
    id = r.body.data.id;
    // A real task of another node, processing, that holds the install.
    const t = await h.engine.tasks.create({ cmd: 'installs/backup', user: 'alice', installId: id, url: at('busy'), label: '_tasks_backuping' });
    await h.engine.tasks.claim(t.id, 'another-node');
    await h.engine.tasks.acquireInstallLock(id, t.id);
    holder = t.id;
  });

  test('DELETE /installs/{id}, cmd=uninstall (also backgrounded), edits and detach get install_busy (409) and change nothing', async () => {
    const before = await world(h);
    const record = (await h.v2('get', `/installs/${id}`)).body.data;
    const v2 = await h.v2('delete', `/installs/${id}`);
    expect({ http: v2.status, ...v2.body }).toEqual({ http: 409, result: false, status: 409, errcode: 'install_busy', errfield: 'id', message: expect.any(String) });
    const v2bg = await h.v2('delete', `/installs/${id}?background=true`);
    expect(v2bg.status).toBe(409);
    const v1 = await h.v1({ cmd: 'uninstall', id });
    expect({ http: v1.status, ...v1.body }).toEqual({ http: 200, result: false, errcode: 'install_busy', message: expect.any(String) });
    const v1q = await h.v1({ cmd: 'uninstall', id, background: 'quick', api_version: '2.0' });
    expect({ http: v1q.status, errcode: v1q.body.errcode }).toEqual({ http: 409, errcode: 'install_busy' });
    const edit = await h.v2('post', `/installs/${id}`).send({ sitetitle: 'Renamed while busy' });
    expect({ http: edit.status, errcode: edit.body.errcode }).toEqual({ http: 409, errcode: 'install_busy' });
    // regression: a record-only edit went through while a task held the install (the task's end overwrote it).
    const recordEdit = await h.v2('post', `/installs/${id}`).send({ autoup: 'none' });
    expect({ http: recordEdit.status, errcode: recordEdit.body.errcode }).toEqual({ http: 409, errcode: 'install_busy' });
    expect((await h.v1({ cmd: 'edit', id, autoup: '0' })).body).toMatchObject({ result: false, errcode: 'install_busy' });
    const detach = await h.v2('post', `/installs/${id}/detach`);
    expect({ http: detach.status, errcode: detach.body.errcode }).toEqual({ http: 409, errcode: 'install_busy' });
    const after = await world(h);
    // The refused calls may leave failed tasks of their own; nothing else changes.
    expect({ ...after, tasks: [] }).toEqual({ ...before, tasks: [] });
    expect((await h.v2('get', `/installs/${id}`)).body.data).toEqual(record);
    expect((await taskById(h, holder))?.status).toBe('processing');
    expect((await fetchPage(`${at('busy')}/`)).body).toContain('<title>Busy</title>');
  });

  test('once the holder is done, the uninstall goes through', async () => {
    await h.engine.tasks.finish(holder);
    const r = await h.v1({ cmd: 'uninstall', id });
    expect(r.body).toMatchObject({ result: true, errcode: null });
    expect(fs.existsSync(path.join(h.docroot, 'busy'))).toBe(false);
    expect((await h.v2('get', `/installs/${id}`)).status).toBe(404);
  });
});

describe('regression: two installs to one URL at the same time', () => {
  test('the second is refused with install_busy (409, errfield url) while the first runs; the first completes intact', async () => {
    const url = at('race');
    const hold = await holdDatabaseStill(h, 2);
    const first = await h.v2('post', '/browser/testapp-db/install').send({ url, user: 'alice', sitetitle: 'First', background: true });
    expect(first.body).toMatchObject({ result: true });
    // The first task waits at its database step; its folder exists and is still empty, so the second's preflight
    // passes — the folder's lock must stop it.
    const second = await h.v2('post', '/browser/testapp-db/install').send({ url, user: 'alice', sitetitle: 'Second' });
    expect({ http: second.status, errcode: second.body.errcode, errfield: second.body.errfield }).toEqual({ http: 409, errcode: 'install_busy', errfield: 'url' });
    const secondV1 = await h.v1({ cmd: 'install', application: 'testapp-db', url, user: 'alice', sitetitle: 'Second', background: '1' });
    expect(secondV1.body).toMatchObject({ result: false, errcode: 'install_busy' });
    await hold.released;
    const { task } = await waitForTask(h, first.body.task.id);
    expect(task.status).toBe('complete');
    const installs = (await h.v2('get', '/installs?user=alice&limit=1000')).body.data.filter((i: { url: string }) => i.url === url);
    expect(installs).toHaveLength(1);
    expect(installs[0]).toMatchObject({ title: 'First', incomplete: false });
    expect((await fetchPage(`${url}/`)).body).toContain('<title>First</title>');
    // Afterwards the folder is simply not empty.
    const third = await h.v2('post', '/browser/testapp-db/install').send({ url, user: 'alice' });
    expect({ http: third.status, errcode: third.body.errcode }).toEqual({ http: 400, errcode: 'invalid_argument_url_notempty' });
  }, 30_000);
});

describe('GET /tasks?restart=true', () => {
  test('answers in both protocols and counts the queued tasks it reset', async () => {
    await h.engine.tasks.create({ cmd: 'installs/backup', user: 'alice', label: '_tasks_backuping' });
    const r = await h.v2('get', '/tasks?restart=true');
    expect({ http: r.status, result: r.body.result, errcode: r.body.errcode }).toEqual({ http: 200, result: true, errcode: null });
    expect(r.body.message).toMatch(/^1 queued task\(s\) restarted/);
    expect(Array.isArray(r.body.data)).toBe(true);
    expect(typeof r.body.total_count).toBe('number');
    const v1 = await h.v1({ cmd: 'tasks', restart: '1' });
    expect({ http: v1.status, result: v1.body.result }).toEqual({ http: 200, result: true });
    expect(v1.body.message).toMatch(/queued task\(s\) restarted/);
    // v1 names the commands of its tasks in v1 words.
    expect(v1.body.data.map((t: { cmd: string }) => t.cmd)).toEqual(expect.arrayContaining(['install', 'backup']));
  });
});
