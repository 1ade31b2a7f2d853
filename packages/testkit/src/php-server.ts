import { request } from 'node:http';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { freePort } from './free-port';
import { requirePhpBinary } from './php-binary';
import { startDaemon, type Daemon } from './daemon';

/** pids(): the server and its workers; log(): one line per request, PHP errors; stop(): workers included. */
export interface PhpServer extends Daemon {
  /** http://127.0.0.1:PORT (no trailing slash). */
  url: string;
  port: number;
}

export interface StartPhpServerOptions {
  docroot: string;
  /** Default: a free port. */
  port?: number;
  /** A router script for `php -S` (optional). */
  router?: string;
  /** Extra environment for PHP. */
  env?: NodeJS.ProcessEnv;
  /**
   * php.ini settings passed as `-d NAME=VALUE`. By default OPcache is off: under `php -S` it is on and revalidates
   * files only every 2 s, so code replaced by an update would keep running for a while.
   */
  ini?: Record<string, string>;
  /**
   * Worker processes (PHP_CLI_SERVER_WORKERS). Default 4: with a single process, a page that requests its own site
   * (WordPress's cron spawn, HTTPS detection, site health) waits for itself until the request times out.
   */
  workers?: number;
  /** How long to wait for the first answer. Default 10 s. */
  startTimeoutMs?: number;
  /**
   * Run PHP as this user and group (needs root), e.g. the test account of a remote website, so that files PHP writes
   * belong to the same user as files uploaded over SFTP/FTP. Supplementary groups are dropped.
   */
  uid?: number;
  gid?: number;
}

/** True when anything at all answers HTTP on 127.0.0.1:port (any status counts). */
function answers(port: number): Promise<boolean> {
  return new Promise((resolveAnswer) => {
    const req = request({ host: '127.0.0.1', port, path: '/', method: 'HEAD', timeout: 1_000 }, (res) => {
      res.resume();
      resolveAnswer(true);
    });
    req.once('timeout', () => req.destroy());
    req.once('error', () => resolveAnswer(false));
    req.end();
  });
}

/**
 * Runs PHP's built-in web server, `php -d opcache.enable=0 -S 127.0.0.1:PORT -t DOCROOT [ROUTER]`, and waits until it
 * answers.
 */
export async function startPhpServer(opts: StartPhpServerOptions): Promise<PhpServer> {
  const php = requirePhpBinary();
  const docroot = resolve(opts.docroot);
  if (!existsSync(docroot)) throw new Error(`startPhpServer: docroot ${docroot} does not exist`);
  const port = opts.port ?? (await freePort());
  const ini = { 'opcache.enable': '0', ...opts.ini };
  const args = [
    ...Object.entries(ini).flatMap(([name, value]) => ['-d', `${name}=${value}`]),
    '-S',
    `127.0.0.1:${port}`,
    '-t',
    docroot,
    ...(opts.router ? [resolve(opts.router)] : []),
  ];
  const workers = opts.workers ?? 4;
  const env = { ...process.env, ...(workers > 1 ? { PHP_CLI_SERVER_WORKERS: String(workers) } : {}), ...opts.env };
  const daemon = await startDaemon({
    name: 'startPhpServer: php -S',
    where: `127.0.0.1:${port}`,
    command: php,
    args,
    cwd: docroot,
    env,
    uid: opts.uid,
    gid: opts.gid,
    // PHP prints "Development Server (http://127.0.0.1:PORT) started" once it listens: wait for that line as well as
    // an answer, so that another server already on the port cannot pass for this one.
    ready: async (output) => output.includes(`(http://127.0.0.1:${port}) started`) && (await answers(port)),
    startTimeoutMs: opts.startTimeoutMs ?? 10_000,
  });
  return { url: `http://127.0.0.1:${port}`, port, ...daemon };
}
