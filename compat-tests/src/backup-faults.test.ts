import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startSftpServer, startWebdavServer, closedPort, type SftpTestServer, type WebdavTestServer } from '@installgate/storage/dist/test-servers';
import { ensureMirror, freePort, startMariaDb, type MariaDbServer } from '@installgate/testkit';
import { openStore } from '@installgate/core';
import { startAppHarness, type AppHarness } from './app-harness';
import { startServerProcess, type ServerProcess } from './server-process';

/**
 * Backups that go wrong: a location that refuses the login, one that does not answer, one that is full, and a
 * server killed in the middle of a backup. Each time: the spec's errcode, no backup listed, and no archive under
 * its final name at the location (an upload in progress only ever has a `.partial-` name).
 */
jest.setTimeout(120_000);

const enc = encodeURIComponent;

/** Every file under `dir`, relative (a plain walk: files may come and go while it runs). */
function filesUnder(dir: string, rel = ''): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(path.join(dir, rel), { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((e) => (e.isDirectory() ? filesUnder(dir, path.join(rel, e.name)) : [path.join(rel, e.name)]));
}

describe('locations that fail', () => {
  let h: AppHarness;
  let root: string;
  let sftp: SftpTestServer;
  let full: WebdavTestServer;
  let siteId: string;

  beforeAll(async () => {
    h = await startAppHarness('dave');
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'ig-faults-'));
    fs.mkdirSync(path.join(root, 'sftp'));
    fs.mkdirSync(path.join(root, 'full'));
    sftp = await startSftpServer({ root: path.join(root, 'sftp') });
    // Room for a few KiB: the archive of the test app does not fit.
    full = await startWebdavServer({ root: path.join(root, 'full'), storageLimitBytes: 4096 });
    const r = await h.v2('post', '/browser/testapp-db/install').send({ url: `${h.site}/faults`, user: 'dave', sitetitle: 'Fault Lines' });
    expect(r.body.result).toBe(true);
    siteId = r.body.data.id;
    // Some incompressible bytes so the archive is larger than the full location's room.
    fs.writeFileSync(path.join(r.body.data.path, 'noise.bin'), randomBytes(256 * 1024));
    await h.v2('post', `/installs/${siteId}`).send({ user: 'dave' });
  }, 180_000);

  afterAll(async () => {
    await sftp?.stop();
    await full?.stop();
    await h?.stopAll();
    fs.rmSync(root, { recursive: true, force: true });
  }, 60_000);

  const cases: [string, () => Promise<string>, string][] = [
    ['a refused login', async () => `sftp://${sftp.username}:${enc('wrong-password')}@127.0.0.1:${sftp.port}/backups`, 'failed_filesystem_login'],
    ['a host that does not answer', async () => `sftp://${sftp.username}:${enc(sftp.password)}@127.0.0.1:${await closedPort()}/backups`, 'failed_filesystem_host'],
    ['a full location', async () => `webdav://${full.username}:${enc(full.password)}@127.0.0.1:${full.port}/backups`, 'failed_filesystem_quota'],
  ];

  test.each(cases)('%s: the spec errcode in v2 and v1, nothing listed, no archive left', async (_what, bkloc, errcode) => {
    const uri = await bkloc();
    const v2 = await h.v2('post', `/installs/${siteId}/backup`).send({ user: 'dave', bkloc: uri });
    expect({ status: v2.status, result: v2.body.result, errcode: v2.body.errcode }).toEqual({ status: 500, result: false, errcode });
    const v1 = await h.v1({ cmd: 'backup', id: siteId, user: 'dave', bkloc: uri });
    expect({ status: v1.status, result: v1.body.result, errcode: v1.body.errcode }).toEqual({ status: 200, result: false, errcode });
    expect(JSON.stringify([v2.body, v1.body])).not.toContain(sftp.password);
    expect(JSON.stringify([v2.body, v1.body])).not.toContain(full.password);
    expect((await h.v2('get', `/backups?user=dave&pid=${siteId}`)).body.data).toEqual([]);
    expect([...filesUnder(path.join(root, 'sftp')), ...filesUnder(path.join(root, 'full'))].filter((f) => f.endsWith('.tar.gz') && !path.basename(f).startsWith('.partial-'))).toEqual([]);
    // A dry run with all checks finds the same problem before any work.
    const dry = await h.v2('post', `/installs/${siteId}/backup`).send({ user: 'dave', bkloc: uri, dryrun: 'all' });
    if (errcode !== 'failed_filesystem_quota') expect(dry.body.errcode).toBe(errcode);
  });
});

describe('regression: a server killed between publishing an archive and writing its record', () => {
  let h: AppHarness;
  let shelf: string;
  beforeAll(async () => {
    h = await startAppHarness('fay');
    shelf = fs.mkdtempSync(path.join(os.tmpdir(), 'ig-orphans-'));
  }, 180_000);
  afterAll(async () => {
    await h?.stopAll();
    fs.rmSync(shelf, { recursive: true, force: true });
  }, 60_000);

  test('the next start removes the unlisted archive unless its task still runs; other files stay', async () => {
    const db = openStore({ client: 'sqlite3', filename: h.settings.state_db });
    try {
      const uri = `file://localhost${shelf}`;
      for (const name of ['cut.tar.gz', 'running.tar.gz', 'customer.tar.gz']) fs.writeFileSync(path.join(shelf, name), 'x');
      // Two real tasks: one over (as after a restart), one still running (another node's upload in progress).
      const taskOf = async (p: string) => (await h.v2('post', '/browser/testapp-static/install').send({ url: `${h.site}/${p}`, user: 'fay', background: true })).body.task.id as string;
      const over = await taskOf('a');
      const running = await taskOf('b');
      await h.engine.apps.drain();
      await db('tasks').where({ id: running }).update({ status: 'processing' });
      const row = { location_ref: uri, local_root: '', size: 1, sha256: '' };
      await db('backup_objects').insert([
        { ...row, backup_id: 'orphan-1', object_key: 'cut.tar.gz', task_id: over },
        { ...row, backup_id: 'orphan-2', object_key: 'running.tar.gz', task_id: running },
      ]);
      expect(await h.engine.apps.cleanOrphanArchives()).toBe(1);
      expect(fs.readdirSync(shelf).sort()).toEqual(['customer.tar.gz', 'running.tar.gz']);
      expect((await db('backup_objects').select('backup_id')).map((r: { backup_id: string }) => r.backup_id)).toEqual(['orphan-2']);
    } finally {
      await db.destroy();
    }
  });
});

describe('a server killed in the middle of a backup', () => {
  let dir: string;
  let mariadb: MariaDbServer;
  let sftp: SftpTestServer;
  let server: ServerProcess | undefined;
  let env: Record<string, string>;
  const KEY = 'backup-kill-key-0123456789';

  async function api(method: string, url: string, body?: unknown): Promise<{ status: number; body: any }> {
    const res = await fetch(`${server!.url}${url}`, { method, headers: { 'X-API-KEY': KEY, 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(60_000) });
    return { status: res.status, body: await res.json() };
  }

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ig-backup-kill-'));
    mariadb = await startMariaDb({ dir: path.join(dir, 'mariadb') });
    fs.mkdirSync(path.join(dir, 'sftp'));
    sftp = await startSftpServer({ root: path.join(dir, 'sftp') });
    env = { INSTALLGATE_HOME: path.join(dir, 'home'), INSTALLGATE_PORT: String(await freePort()), INSTALLGATE_API_KEY: KEY, INSTALLGATE_DB_URL: mariadb.url, INSTALLGATE_MIRROR_DIR: await ensureMirror() };
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    await sftp?.stop();
    await mariadb?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  test('leaves no listed backup, no final-named archive, and a failed task', async () => {
    server = await startServerProcess(env);
    const site = `http://127.0.0.1:${await freePort()}`;
    expect((await api('POST', '/users', { id: 'erin', websites: [{ vhosts: { [site]: 'public_html' } }] })).body.result).toBe(true);
    const inst = await api('POST', '/browser/wordpress/install', { user: 'erin', url: `${site}/big`, sitetitle: 'Heavy' });
    expect(inst.body.result).toBe(true);
    // 160 MiB that gzip cannot shrink, among the site's uploads: the backup takes seconds, long enough to be cut.
    fs.mkdirSync(path.join(inst.body.data.path, 'wp-content', 'uploads'), { recursive: true });
    const fd = fs.openSync(path.join(inst.body.data.path, 'wp-content', 'uploads', 'payload.bin'), 'w');
    for (let i = 0; i < 160; i++) fs.writeSync(fd, randomBytes(1 << 20));
    fs.closeSync(fd);
    const bkloc = `sftp://${sftp.username}:${enc(sftp.password)}@127.0.0.1:${sftp.port}/backups`;
    const started = await api('POST', `/installs/${inst.body.data.id}/backup`, { user: 'erin', bkloc, background: true });
    expect(started.body).toMatchObject({ result: true, task: { cmd: 'installs/backup' } });

    // Kill as soon as the upload is under way (a partial object exists at the location).
    const deadline = Date.now() + 60_000;
    while (!filesUnder(path.join(dir, 'sftp')).some((f) => path.basename(f).startsWith('.partial-'))) {
      if (Date.now() > deadline) {
        const t = (await api('GET', '/tasks?user=erin')).body.data;
        throw new Error(`the upload never started: ${JSON.stringify(t)} ${JSON.stringify(filesUnder(path.join(dir, 'sftp')))}`);
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    await server.kill();
    server = await startServerProcess(env);

    expect((await api('GET', '/backups?user=erin')).body.data).toEqual([]);
    expect(filesUnder(path.join(dir, 'sftp')).filter((f) => !path.basename(f).startsWith('.partial-'))).toEqual([]);
    const task = (await api('GET', '/tasks?user=erin')).body.data.find((t: { id: string }) => t.id === started.body.task.id);
    expect(task).toMatchObject({ status: 'failed' });
  });
});
