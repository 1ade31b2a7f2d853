import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ensureMirror, freePort, mariadbQuery, startMariaDb, startPhpServer, type MariaDbServer, type PhpServer } from '@installgate/testkit';
import { startHarness, type Harness } from './harness';

/**
 * A harness for real installs: a private MariaDB, the application mirror, the server app with that database
 * server configured, and one account whose website is served by `php -S` on a free loopback port.
 */
export interface AppHarness extends Harness {
  mariadb: MariaDbServer;
  php: PhpServer;
  /** http://127.0.0.1:PORT — the website of `owner`. */
  site: string;
  docroot: string;
  owner: string;
  /** Runs SQL as root on the private MariaDB; rows as tab-separated lines. */
  sql(query: string): Promise<string[]>;
  stopAll(): Promise<void>;
}

/** `mirrorDir`: a private application mirror (e.g. with a deliberately broken release); default the shared one. */
export async function startAppHarness(owner = 'alice', opts: { appsDir?: string; mirrorDir?: string; settingsIni?: string } = {}): Promise<AppHarness> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ig-apps-'));
  const mariadb = await startMariaDb({ dir: path.join(dir, 'mariadb') });
  if (!opts.mirrorDir) await ensureMirror();
  const h = await startHarness({ dbUrl: mariadb.url, appsDir: opts.appsDir, mirrorDir: opts.mirrorDir, settingsIni: opts.settingsIni });
  const port = await freePort();
  const site = `http://127.0.0.1:${port}`;
  const home = path.join(h.settings.homes_root, owner);
  const docroot = path.join(home, 'public_html');
  fs.mkdirSync(docroot, { recursive: true });
  await h.engine.users.create({ actor: { kind: 'admin' } }, { id: owner, email: `${owner}@example.test`, websites: [{ path: home, vhosts: { [site]: 'public_html' } }] });
  const php = await startPhpServer({ docroot, port });
  return {
    ...h,
    mariadb,
    php,
    site,
    docroot,
    owner,
    async sql(query) {
      return (await mariadbQuery(mariadb, query)).split('\n').filter((l) => l !== '');
    },
    async stopAll() {
      await php.stop();
      await h.close();
      await mariadb.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
