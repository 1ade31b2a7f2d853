import { EngineError } from '@installgate/contracts';
import { ADMIN_SCOPE } from '../access/actor';
import { openStore } from '../db/connect';
import { readTable } from '../testing/read-table';
import { createTempEngine, type TempEngine } from '../testing/temp-engine';
import { errcodeOf, seedAccounts } from '../testing/test-accounts';
import { createTaskIdGenerator } from './task-ids';
import { INTERRUPTED_MESSAGE } from './task-repository';

describe('tasks', () => {
  let t: TempEngine;
  let s: Awaited<ReturnType<typeof seedAccounts>>;
  beforeEach(async () => {
    t = await createTempEngine();
    s = await seedAccounts(t.engine);
  });
  afterEach(() => t.close());

  it('runs the happy path: create → claim → progress → finish', async () => {
    const { tasks } = t.engine;
    const created = await tasks.create({ cmd: 'installs/backup', user: 'u1', installId: 'i1', wsLabel: 'u1.example', url: 'http://u1.example/blog', title: 'Blog', label: '_tasks_backuping', payload: { db_pass: 'x' } });
    expect(created).toMatchObject({ status: 'queued', attempts: 0, percentMin: 0, percentMax: 0, payload: { db_pass: 'x' }, createdAt: t.now() });
    expect(created.id).toMatch(/^\d{16,19}$/);

    t.setNow(t.now() + 5);
    const claimed = await tasks.claim(created.id, 'node-a');
    expect(claimed).toMatchObject({ status: 'processing', lockedBy: 'node-a', lockedAt: t.now(), startedAt: t.now(), attempts: 1 });
    expect(await tasks.claim(created.id, 'node-b')).toBeNull();

    t.setNow(t.now() + 5);
    await tasks.progress(created.id, { percentMin: 50, percentMax: 40, message: '_tasks_shared_copyingfiles', rate: 10150.4 });
    const mid = await tasks.get(created.id);
    expect(mid).toMatchObject({ percentMin: 50, percentMax: 50, message: '_tasks_shared_copyingfiles', rate: 10150, lockedAt: t.now() });

    const done = await tasks.finish(created.id);
    expect(done).toMatchObject({ status: 'complete', percentMin: 100, percentMax: 100, finishedAt: t.now() });
    expect(tasks.toTask(done)).toEqual({
      id: created.id, user: 'u1', ws_label: 'u1.example', url: 'http://u1.example/blog', title: 'Blog', label: '_tasks_backuping',
      status: 'complete', rate: 10150, percentMin: 100, percentMax: 100, message: '_tasks_shared_copyingfiles', cmd: 'installs/backup',
      install: 'i1', time: created.createdAt + 5, errcode: null, time_finished: t.now(),
    });
  });

  it('refuses illegal moves', async () => {
    const { tasks } = t.engine;
    const task = await tasks.create({ cmd: 'installs/update', user: 'u1' });
    expect(await errcodeOf(tasks.finish(task.id))).toBe('internal_error');
    expect(await errcodeOf(tasks.progress(task.id, { percentMin: 1 }))).toBe('internal_error');
    await tasks.claim(task.id, 'n');
    await tasks.finish(task.id);
    expect(await errcodeOf(tasks.claim(task.id, 'n'))).toBe('internal_error');
    expect(await errcodeOf(tasks.fail(task.id, 'internal_error', new Error('late')))).toBe('internal_error');
    expect(await errcodeOf(tasks.claim('404', 'n'))).toBe('task_not_found');
  });

  it('fails a task with its errcode and keeps the redacted cause internal', async () => {
    const { tasks } = t.engine;
    const task = await tasks.create({ cmd: 'installs/update', user: 'u1', installId: 'i1' });
    await tasks.claim(task.id, 'n');
    const cause = new Error('login to ftp://bob:FtpPw123@ftp.example failed; db password TopSecret1');
    const failed = await tasks.fail(task.id, 'failed_filesystem_login', cause, ['TopSecret1']);
    expect(failed).toMatchObject({ status: 'failed', errcode: 'failed_filesystem_login', message: 'The server rejected the login.' });
    expect(failed.lastError).toContain('ftp://bob:*****@ftp.example');
    expect(JSON.stringify(await readTable(t, 'tasks'))).not.toMatch(/FtpPw123|TopSecret1/);
    const queued = await tasks.create({ cmd: 'installs/update', user: 'u1' });
    const own = await tasks.fail(queued.id, 'invalid_argument_version', new EngineError('invalid_argument_version', { message: 'no such version 9' }));
    expect(own).toMatchObject({ status: 'failed', message: 'no such version 9' });
  });

  it('recovers processing tasks of other (dead) nodes, but not its own', async () => {
    const { tasks, logs } = t.engine;
    const mine = await tasks.create({ cmd: 'installs/backup', user: 'u1', installId: 'i1' });
    const theirs = await tasks.create({ cmd: 'backups/restore', user: 'u2', installId: 'i2' });
    const waiting = await tasks.create({ cmd: 'installs/update', user: 'u2', installId: 'i3' });
    await tasks.claim(mine.id, 'node-new');
    await tasks.claim(theirs.id, 'node-old');
    await tasks.acquireInstallLock('i2', theirs.id);

    const recovered = await tasks.recoverInterrupted('node-new');
    expect(recovered.map((r) => r.id)).toEqual([theirs.id]);
    expect(await tasks.get(theirs.id)).toMatchObject({ status: 'failed', errcode: 'internal_error', message: INTERRUPTED_MESSAGE });
    expect((await tasks.get(mine.id)).status).toBe('processing');
    expect((await tasks.get(waiting.id)).status).toBe('queued');
    expect(await tasks.installLockHolder('i2')).toBeUndefined();
    const entry = (await logs.list(ADMIN_SCOPE, { offset: 0, limit: 10, install: 'i2' })).items[0];
    expect(entry).toMatchObject({ severity: 'error', user: 'u2', cmd: 'backups/restore' });
    expect(await tasks.recoverInterrupted('node-new')).toEqual([]);
  });

  it('with a lease, leaves other nodes\' live tasks alone', async () => {
    const { tasks } = t.engine;
    const live = await tasks.create({ cmd: 'installs/backup', user: 'u1' });
    const stale = await tasks.create({ cmd: 'installs/backup', user: 'u1' });
    await tasks.claim(stale.id, 'node-b');
    t.setNow(t.now() + 600);
    await tasks.claim(live.id, 'node-b');
    expect((await tasks.recoverInterrupted('node-a', { leaseSeconds: 300 })).map((r) => r.id)).toEqual([stale.id]);
    expect((await tasks.get(live.id)).status).toBe('processing');
  });

  it('enforces one mutating task per install in the database', async () => {
    const { tasks } = t.engine;
    const a = await tasks.create({ cmd: 'installs/update', user: 'u1', installId: 'i1' });
    const b = await tasks.create({ cmd: 'installs/backup', user: 'u1', installId: 'i1' });
    await tasks.acquireInstallLock('i1', a.id);
    await tasks.acquireInstallLock('i1', a.id); // idempotent for the holder
    const err = await tasks.acquireInstallLock('i1', b.id).catch((e: EngineError) => e);
    expect(err).toMatchObject({ errcode: 'install_busy', details: { task: a.id } });
    await tasks.acquireInstallLock('i2', b.id); // another install is free
    expect(await tasks.releaseInstallLock('i1', b.id)).toBe(false);
    expect(await tasks.releaseInstallLock('i1', a.id)).toBe(true);
    await tasks.acquireInstallLock('i1', b.id);
    expect(await tasks.installLockHolder('i1')).toBe(b.id);
    expect(await errcodeOf(tasks.acquireInstallLock('i9', '12345'))).toBe('task_not_found');
  });

  it('lets a new task take over a lock whose holder has ended, and releases locks when a task ends', async () => {
    const { tasks } = t.engine;
    const a = await tasks.create({ cmd: 'installs/update', user: 'u1', installId: 'i1' });
    await tasks.acquireInstallLock('i1', a.id);
    await tasks.claim(a.id, 'n');
    await tasks.finish(a.id);
    expect(await readTable(t, 'install_locks')).toEqual([]);

    // A lock left behind by a final task (e.g. written by an older node) is stale and is taken over.
    const b = await tasks.create({ cmd: 'installs/update', user: 'u1', installId: 'i1' });
    await tasks.fail(b.id, 'internal_error', 'x');
    const db = openStore({ client: 'sqlite3', filename: t.filename });
    await db('install_locks').insert({ install_id: 'i1', task_id: b.id, locked_at: 1 });
    await db.destroy();
    const c = await tasks.create({ cmd: 'installs/update', user: 'u1', installId: 'i1' });
    await tasks.acquireInstallLock('i1', c.id);
    expect(await tasks.installLockHolder('i1')).toBe(c.id);
  });

  it('lists tasks newest first in the scope\'s view, with pagination', async () => {
    const { tasks } = t.engine;
    const made: string[] = [];
    for (const [i, user] of ['u1', 'u2', 'u3', 'u1', 'r2'].entries()) {
      t.setNow(t.now() + i);
      made.push((await tasks.create({ cmd: 'installs/backup', user })).id);
    }
    const all = await tasks.list(ADMIN_SCOPE, { offset: 0, limit: 50 });
    expect(all.items.map((x) => x.id)).toEqual([...made].reverse());
    const p = await tasks.list(ADMIN_SCOPE, { offset: 1, limit: 2 });
    expect([p.items.map((x) => x.id), p.total_count, p.has_more]).toEqual([[made[3], made[2]], 5, true]);
    expect((await tasks.list(s.r1, { offset: 0, limit: 50 })).items.map((x) => x.user)).toEqual(['r2', 'u1', 'u2', 'u1']);
    expect((await tasks.list(s.u1, { offset: 0, limit: 50 })).total_count).toBe(2);
    expect((await tasks.list(ADMIN_SCOPE, { offset: 0, limit: 50, user: 'r2' })).items.map((x) => x.user)).toEqual(['r2', 'u2']);
    expect(await errcodeOf(tasks.list(s.u1, { offset: 0, limit: 50, user: 'u2' }))).toBe('invalid_argument_user');
  });

  it('restartQueued resets queued tasks in the scope only and logs it', async () => {
    const { tasks, logs } = t.engine;
    const q1 = await tasks.create({ cmd: 'installs/backup', user: 'u1' });
    const q3 = await tasks.create({ cmd: 'installs/backup', user: 'u3' });
    const running = await tasks.create({ cmd: 'installs/backup', user: 'u1' });
    await tasks.claim(running.id, 'n');
    const db = openStore({ client: 'sqlite3', filename: t.filename });
    await db('tasks').update({ attempts: 3, last_error: 'boom' }).whereIn('id', [q1.id, q3.id]);
    await db.destroy();
    expect(await tasks.restartQueued(s.r1)).toBe(1);
    expect(await tasks.get(q1.id)).toMatchObject({ attempts: 0, lastError: null, status: 'queued' });
    expect((await tasks.get(q3.id)).attempts).toBe(3);
    expect((await tasks.get(running.id)).status).toBe('processing');
    expect(await tasks.restartQueued(ADMIN_SCOPE)).toBe(2);
    const entry = (await logs.list(ADMIN_SCOPE, { offset: 0, limit: 1 })).items[0];
    expect(entry).toMatchObject({ cmd: 'tasks/restart', user: 'admin', message: 'Restarted 2 queued tasks.' });
  });

  it('task ids are unique, numeric and increasing even within one millisecond', () => {
    let ms = 1_700_000_000_000;
    const next = createTaskIdGenerator(() => ms);
    const ids = Array.from({ length: 2500 }, () => next());
    expect(new Set(ids).size).toBe(2500);
    for (let i = 1; i < ids.length; i++) expect(BigInt(ids[i]) > BigInt(ids[i - 1])).toBe(true);
    ms -= 5; // the clock going back must not produce smaller ids
    expect(BigInt(next()) > BigInt(ids[ids.length - 1])).toBe(true);
  });
});
