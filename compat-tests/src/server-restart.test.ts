import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ensureMirror, freePort, mariadbQuery, startMariaDb, type MariaDbServer } from '@installgate/testkit';
import { startServerProcess, type ServerProcess } from './server-process';

const KEY = 'restart-test-key-0123456789';

async function api(base: string, method: string, url: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${base}${url}`, {
    method,
    headers: { 'X-API-KEY': KEY, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(60_000),
  });
  return { status: res.status, body: await res.json() };
}

/**
 * A server killed (SIGKILL) in the middle of a background install: after the restart the task is `failed`, never
 * left `processing`, and what the install had made so far is flagged `incomplete`; uninstalling that record removes
 * it all — no half-installed site is left behind.
 */
describe('a server killed during a background install', () => {
  let dir: string;
  let mariadb: MariaDbServer;
  let server: ServerProcess | undefined;
  let env: Record<string, string>;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ig-restart-'));
    mariadb = await startMariaDb({ dir: path.join(dir, 'mariadb') });
    env = {
      INSTALLGATE_HOME: path.join(dir, 'home'), INSTALLGATE_PORT: String(await freePort()), INSTALLGATE_API_KEY: KEY,
      INSTALLGATE_DB_URL: mariadb.url, INSTALLGATE_MIRROR_DIR: await ensureMirror(),
    };
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    await mariadb?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  test('leaves a failed task and an incomplete record that uninstalls cleanly', async () => {
    server = await startServerProcess(env);
    const site = `http://127.0.0.1:${await freePort()}`;
    expect((await api(server.url, 'POST', '/users', { id: 'alice', websites: [{ vhosts: { [site]: 'public_html' } }] })).body.result).toBe(true);
    const started = await api(server.url, 'POST', '/browser/wordpress/install', { user: 'alice', url: `${site}/blog`, sitetitle: 'Cut Short', background: true });
    expect(started.body).toMatchObject({ result: true, task: { status: expect.stringMatching(/queued|processing/), cmd: 'browser/install' } });
    const taskId: string = started.body.task.id;
    const installId: string = started.body.task.install;

    // Kill the server while the install is copying files: its database exists and the folder is half written.
    const deadline = Date.now() + 60_000;
    for (;;) {
      const t = (await api(server.url, 'GET', '/tasks')).body.data.find((x: { id: string }) => x.id === taskId);
      if (t?.message === '_tasks_shared_copyingfiles') break;
      if (t?.status === 'complete' || t?.status === 'failed' || Date.now() > deadline) throw new Error(`the install was not caught copying files: ${JSON.stringify(t)}`);
      await new Promise((r) => setTimeout(r, 10));
    }
    await new Promise((r) => setTimeout(r, 150));
    await server.kill();
    expect((await mariadbQuery(mariadb, 'SHOW DATABASES')).split('\n').filter((d) => d.startsWith('alice_'))).toHaveLength(1);

    server = await startServerProcess(env);
    const tasks = await api(server.url, 'GET', '/tasks');
    const task = tasks.body.data.find((t: { id: string }) => t.id === taskId);
    expect(task).toMatchObject({ status: 'failed', errcode: 'internal_error', message: 'interrupted by a server restart' });
    expect(tasks.body.data.some((t: { status: string }) => t.status === 'processing')).toBe(false);

    const record = await api(server.url, 'GET', `/installs/${installId}`);
    expect(record.body.data).toMatchObject({ id: installId, incomplete: true });
    const folder: string = record.body.data.path;

    const removed = await api(server.url, 'DELETE', `/installs/${installId}?force=true`);
    expect(removed.body.result).toBe(true);
    expect(fs.existsSync(folder) ? fs.readdirSync(folder) : []).toEqual([]);
    const dbs = (await mariadbQuery(mariadb, 'SHOW DATABASES')).split('\n').filter((d) => d.startsWith('alice_'));
    const users = (await mariadbQuery(mariadb, "SELECT User FROM mysql.user WHERE User LIKE 'alice\\_%'")).split('\n').filter(Boolean);
    expect(dbs).toEqual([]);
    expect(users).toEqual([]);
    expect((await api(server.url, 'GET', '/installs?user=alice')).body.data).toEqual([]);
  }, 240_000);
});
