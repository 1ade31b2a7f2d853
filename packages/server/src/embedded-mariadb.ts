import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import type { Logger } from './logger';

const run = promisify(execFile);

/** The repository root (scripts/ lives there), from this file's place in packages/server/{src,dist}. */
function repoRoot(): string {
  return path.resolve(__dirname, '..', '..', '..');
}

/**
 * The embedded default database server (first run without INSTALLGATE_DB_URL): a private MariaDB under the data
 * directory, started by the project's own script on a free 127.0.0.1 port and stopped again by PID. The URL (with
 * root's random password) is read from the script and never printed.
 */
export async function startEmbeddedMariaDb(home: string, logger: Logger): Promise<{ url: string; stop(): Promise<void> }> {
  const script = path.join(repoRoot(), 'scripts', 'provision', 'mariadb.sh');
  if (!fs.existsSync(script)) throw new Error(`cannot start the embedded MariaDB: ${script} is missing`);
  const dir = path.join(home, 'mariadb');
  try {
    await run('bash', [script, 'start', dir], { timeout: 120_000 });
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(`the embedded MariaDB did not start (${(err.stderr ?? err.message).trim().split('\n').slice(-3).join(' / ')}); run scripts/provision/system-deps.sh as root, or set INSTALLGATE_DB_URL`);
  }
  const { stdout } = await run('bash', [script, 'url', dir], { timeout: 30_000 });
  logger.info('embedded MariaDB started', { dir });
  return {
    url: stdout.trim(),
    async stop() {
      await run('bash', [script, 'stop', dir], { timeout: 60_000 }).catch((e: unknown) => logger.error('embedded MariaDB did not stop', { detail: String(e) }));
    },
  };
}
