import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { descendants, disownProcess, isAlive, ownProcess, stopProcessTree } from './stop-process';
import type { TestAccount } from './test-account';

/** A server process started by {@link startDaemon}: stopped, with every process it forked, by PID. */
export interface Daemon {
  pid: number;
  /** The server and the processes it forked (one per connection for sshd and vsftpd) that are alive now. */
  pids(): number[];
  /** The last 64 KiB of the server's stdout and stderr. */
  log(): string;
  /** SIGTERM to the server and its descendants, wait for every exit, SIGKILL after 5 s. Safe to call twice. */
  stop(): Promise<void>;
}

export interface StartDaemonOptions {
  /** For messages: "startSshd: sshd". */
  name: string;
  /** For messages: "127.0.0.1:PORT". */
  where?: string;
  command: string;
  args: string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Run as this user and group (needs root; supplementary groups are dropped). */
  uid?: number;
  gid?: number;
  /** True once the server serves (checked every 25 ms with the output so far). */
  ready(output: string): boolean | Promise<boolean>;
  startTimeoutMs: number;
}

const LOG_LIMIT = 64 * 1024;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Runs a server in the foreground (its own process group, output drained and kept), waits until `ready`, and stops it
 * (and anything left) if it exits or times out first: the error then carries the end of its output.
 */
export async function startDaemon(opts: StartDaemonOptions): Promise<Daemon> {
  const child = spawn(opts.command, opts.args, {
    cwd: opts.cwd,
    env: opts.env,
    uid: opts.uid,
    gid: opts.gid,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (b: Buffer) => {
    output += b.toString('utf8');
    if (output.length > LOG_LIMIT) output = output.slice(-LOG_LIMIT);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep); // always drained: a full pipe would block the server
  const state: { error?: Error; exitedWith?: string } = {};
  child.once('error', (e) => (state.error = e));
  child.once('exit', (code, signal) => (state.exitedWith = signal ?? String(code)));
  const pid = child.pid;
  if (!pid) throw new Error(`${opts.name}: could not spawn ${opts.command}`);
  ownProcess(pid, 'group'); // if this process exits first: SIGTERM to the group (workers, connections)

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      await stopProcessTree(pid, 5_000);
      disownProcess(pid);
    })());

  const deadline = Date.now() + opts.startTimeoutMs;
  for (;;) {
    const why = state.error
      ? `could not start: ${state.error.message}`
      : state.exitedWith !== undefined || !isAlive(pid)
        ? `exited during start (${state.exitedWith ?? 'gone'})`
        : Date.now() >= deadline
          ? `not ready within ${opts.startTimeoutMs} ms`
          : undefined;
    if (why) {
      await stop();
      throw new Error(`${opts.name} ${why}${opts.where ? ` on ${opts.where}` : ''}:\n${output.trim().split('\n').slice(-20).join('\n')}`);
    }
    if ((await opts.ready(output)) && isAlive(pid)) break;
    await sleep(25);
  }
  return { pid, pids: () => (isAlive(pid) ? [pid, ...descendants(pid)] : []), log: () => output, stop };
}

/** Runs `start(port)` with fresh ports until it does not fail on a port taken meanwhile (3 tries). */
export async function withFreshPort<T>(pickPort: () => Promise<number>, start: (port: number) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start(await pickPort());
    } catch (e) {
      if (attempt >= 3 || !/Address already in use|could not bind/i.test((e as Error).message)) throw e;
    }
  }
}

/** A login server of the test account on 127.0.0.1 (startSshd, startVsftpd). */
export interface LoginServer {
  host: '127.0.0.1';
  port: number;
  username: string;
  password: string;
  pid: number;
  /** The server and its per-connection processes alive now. */
  pids(): number[];
  log(): string;
  /** Stops the server and every connection process by PID, then removes its folder (unless `dir` was given). */
  stop(): Promise<void>;
}

export interface LoginServerOptions {
  /** Default: the shared test account ({@link ensureTestAccount}). */
  account?: TestAccount;
  /** Where the server's config, keys and log go. Default: a new temp folder, removed by stop(). */
  dir?: string;
  /** Default 10 s. */
  startTimeoutMs?: number;
}

/**
 * Runs `start` with the server's folder (`opts.dir`, or a new temp folder PREFIXxxxxxx), made 0755 so that the test
 * account can read what the server reads as that user. A folder made here is removed when `start` fails or when the
 * returned stop() has stopped the daemon.
 */
export async function startInFolder<T extends { daemon: Daemon }>(
  opts: { dir?: string },
  prefix: string,
  start: (dir: string) => Promise<T>,
): Promise<T & { stop(): Promise<void> }> {
  const dir = resolve(opts.dir ?? mkdtempSync(join(tmpdir(), prefix)));
  const remove = () => {
    if (!opts.dir) rmSync(dir, { recursive: true, force: true });
  };
  try {
    mkdirSync(dir, { recursive: true });
    chmodSync(dir, 0o755);
    const started = await start(dir);
    let stopping: Promise<void> | undefined;
    return { ...started, stop: () => (stopping ??= started.daemon.stop().then(remove)) };
  } catch (e) {
    remove();
    throw e;
  }
}

/** The {@link LoginServer} fields of a server that {@link startInFolder} started for `account`. */
export function loginServer(account: TestAccount, started: { port: number; daemon: Daemon; stop(): Promise<void> }): LoginServer {
  const { daemon } = started;
  return {
    host: '127.0.0.1',
    port: started.port,
    username: account.username,
    password: account.password,
    pid: daemon.pid,
    pids: daemon.pids,
    log: daemon.log,
    stop: started.stop,
  };
}
