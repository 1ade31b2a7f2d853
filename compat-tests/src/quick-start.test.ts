import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { ensureMirror, freePort } from '@installgate/testkit';
import { startServerProcess, type ServerProcess } from './server-process';

const run = promisify(execFile);

/** The README's quick-start block, exactly as written. */
function quickStartBlock(): string {
  const readme = fs.readFileSync(path.resolve(__dirname, '..', '..', 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Quick start'));
  const m = /```sh\n([\s\S]*?)```/.exec(section);
  if (!m) throw new Error('README.md has no ```sh block under ## Quick start');
  return m[1]!;
}

/**
 * First run out of the box: the server binary with its embedded defaults (no INSTALLGATE_DB_URL: it starts its own
 * MariaDB under the data directory), then the README's quick start run by bash as a newcomer would, in the folder
 * the server runs in. The site it installs must answer with its title.
 */
describe('README quick start', () => {
  let dir: string;
  let server: ServerProcess | undefined;
  beforeAll(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ig-quickstart-')); });
  afterAll(async () => {
    await server?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  test('runs as written and ends on the installed site\'s title', async () => {
    const mirror = await ensureMirror();
    const [port, sitePort] = [await freePort(), await freePort()];
    const env = { INSTALLGATE_PORT: String(port), SITE_PORT: String(sitePort), INSTALLGATE_MIRROR_DIR: mirror };
    // As the README says: no INSTALLGATE_HOME (./data), no key, no database server.
    server = await startServerProcess({ ...env, INSTALLGATE_HOME: '', INSTALLGATE_DB_URL: '', INSTALLGATE_API_KEY: '' }, 120_000, dir);
    expect(server.output()).toMatch(/private MariaDB under .*data\/mariadb/);
    const { stdout } = await run('bash', ['-e', '-c', quickStartBlock()], { cwd: dir, env: { ...process.env, ...env }, timeout: 180_000 });
    // curl prints the four JSON answers back to back, then grep prints the page title.
    expect(stdout.trim().endsWith('<title>Alice Blog</title>')).toBe(true);
    expect(stdout.match(/\{"result":true,/g)).toHaveLength(4);
    expect(stdout).not.toContain('"result":false');
    const pidFile = path.join(dir, 'data', 'mariadb', 'pid');
    const mariadbPid = Number(fs.readFileSync(pidFile, 'utf8'));
    await server.stop();
    server = undefined;
    // The embedded MariaDB stops with the server (a zombie waiting for init to reap it counts as stopped).
    const state = fs.existsSync(`/proc/${mariadbPid}/stat`) ? fs.readFileSync(`/proc/${mariadbPid}/stat`, 'utf8').split(' ')[2] : 'gone';
    expect(['gone', 'Z', 'X']).toContain(state);
  }, 300_000);
});
