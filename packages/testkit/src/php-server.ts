import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { freePort } from './free-port';
import { requirePhpBinary } from './php-binary';
import { disownProcess, groupMembers, isAlive, ownProcess, stopProcessGroup } from './stop-process';

export interface PhpServer {
  /** http://127.0.0.1:PORT (no trailing slash). */
  url: string;
  port: number;
  /** PID of the server (the leader of its process group; workers are in that group). */
  pid: number;
  /** PIDs of the server and its workers that are alive now. */
  pids(): number[];
  /** The last 64 KiB of the server's output (one line per request, PHP errors). */
  log(): string;
  /** SIGTERM to the server's process group (by its PID), wait for every exit, SIGKILL after 5 s. Safe to call twice. */
  stop(): Promise<void>;
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
}

const LOG_LIMIT = 64 * 1024;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

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
  // detached: its own process group, so that stop() reaches the workers too.
  const child = spawn(php, args, { cwd: docroot, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });

  let output = '';
  const keep = (b: Buffer) => {
    output += b.toString('utf8');
    if (output.length > LOG_LIMIT) output = output.slice(-LOG_LIMIT);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep); // always drained: a full pipe would block PHP
  const state: { error?: Error; exitedWith?: string } = {};
  child.once('error', (e) => (state.error = e));
  child.once('exit', (code, signal) => (state.exitedWith = signal ?? String(code)));
  const pid = child.pid;
  if (!pid) throw new Error(`startPhpServer: could not spawn ${php}`);
  ownProcess(pid, 'group');

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      await stopProcessGroup(pid, 5_000);
      disownProcess(pid);
    })());

  const timeout = opts.startTimeoutMs ?? 10_000;
  const deadline = Date.now() + timeout;
  for (;;) {
    const why = state.error
      ? `could not start: ${state.error.message}`
      : state.exitedWith !== undefined || !isAlive(pid)
        ? `php -S exited during start (${state.exitedWith ?? 'gone'})`
        : Date.now() >= deadline
          ? `php -S did not answer within ${timeout} ms`
          : undefined;
    if (why) {
      await stop();
      throw new Error(`startPhpServer: ${why} on 127.0.0.1:${port}:\n${output.trim().split('\n').slice(-20).join('\n')}`);
    }
    // PHP prints "Development Server (http://127.0.0.1:PORT) started" once it listens: wait for that line as well as
    // an answer, so that another server already on the port cannot pass for this one.
    if (output.includes(`(http://127.0.0.1:${port}) started`) && (await answers(port)) && isAlive(pid)) break;
    await sleep(50);
  }

  return { url: `http://127.0.0.1:${port}`, port, pid, pids: () => groupMembers(pid), log: () => output, stop };
}
