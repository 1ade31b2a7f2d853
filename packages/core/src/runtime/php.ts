/**
 * Running PHP CLI scripts: applications' own installers and Installgate's helper scripts (packages/core/php/).
 *
 * Secrets travel in the JSON written to the script's stdin (or, for apps that read them so, in `env`), never in
 * argv: argv is world-readable in /proc. The child gets a minimal environment, not Installgate's own (which holds
 * INSTALLGATE_DB_URL and API keys), because it runs application code (plugins, themes).
 */
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { EngineError } from '@installgate/contracts';

export interface RunPhpOptions {
  /** Working directory of the script (an application's folder). */
  cwd: string;
  /** Sent as JSON on stdin (nothing is sent when undefined; stdin is closed either way). */
  input?: unknown;
  /** Extra environment on top of a minimal one (PATH, LANG, TZ, HOME, TMPDIR). */
  env?: Record<string, string>;
  /** Hard limit; the whole process group is killed with SIGKILL when it is reached. Default 120 s. */
  timeoutMs?: number;
  /** Extra `-d name=value` php.ini settings. */
  ini?: Record<string, string>;
}

export interface RunPhpResult {
  stdout: string;
  stderr: string;
  /** Exit code; 128 + signal number when PHP died of a signal. */
  code: number;
  /** True when stdout or stderr was longer than the cap (stdout keeps its head, stderr its tail). */
  truncated: boolean;
}

/** Output caps: helper results are small; an app that prints megabytes is not worth keeping in memory. */
export const PHP_STDOUT_CAP = 4 * 1024 * 1024;
export const PHP_STDERR_CAP = 256 * 1024;
export const PHP_DEFAULT_TIMEOUT_MS = 120_000;

/** php.ini settings every run gets. OPcache off: an update replaces files that a cached copy would keep running. */
const BASE_INI: Record<string, string> = {
  'opcache.enable_cli': '0',
  // Warnings and notices on stderr, so that they never corrupt a helper's JSON on stdout.
  display_errors: 'stderr',
  log_errors: '0',
  memory_limit: '512M',
};

const PHP_DIRS = ['/usr/bin', '/usr/local/bin'];
let cachedBinary: string | undefined;

/**
 * The PHP CLI binary: `INSTALLGATE_PHP` when set, else `php` on PATH or in /usr/bin, /usr/local/bin.
 * Throws service_unavailable when there is none.
 */
export function phpBinary(): string {
  const override = process.env.INSTALLGATE_PHP;
  if (override) return override;
  if (cachedBinary) return cachedBinary;
  for (const dir of [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), ...PHP_DIRS]) {
    const file = join(dir, 'php');
    try {
      accessSync(file, constants.X_OK);
      return (cachedBinary = file);
    } catch {
      // not here
    }
  }
  throw new EngineError('service_unavailable', { message: 'PHP CLI (php) is not installed: run scripts/provision/system-deps.sh.' });
}

/** Folder of Installgate's PHP helper scripts (packages/core/php), from src/runtime or dist/runtime alike. */
export const PHP_HELPERS_DIR = resolve(__dirname, '..', '..', 'php');

/** Path of a helper script, e.g. phpHelper('wordpress', 'install.php'). */
export function phpHelper(...parts: string[]): string {
  return join(PHP_HELPERS_DIR, ...parts);
}

function baseEnv(): Record<string, string> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin', LANG: 'C.UTF-8', TZ: 'UTC' };
  for (const name of ['HOME', 'TMPDIR'] as const) {
    const v = process.env[name];
    if (v) env[name] = v;
  }
  return env;
}

/** Process groups of PHP runs in progress: killed if Installgate exits first, so no installer runs on alone. */
const running = new Set<number>();
process.once('exit', () => {
  for (const pgid of running) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // gone
    }
  }
});

const SIGNALS: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGABRT: 6, SIGKILL: 9, SIGSEGV: 11, SIGPIPE: 13, SIGTERM: 15 };

/**
 * Runs `php -d … scriptPath` in its own process group. Resolves with the output and exit code for any exit
 * (a failing script is the caller's to interpret). Rejects with EngineError `service_unavailable` when PHP cannot
 * be started, and `internal_error` (details.timeoutMs) when the time limit killed it; those messages never contain
 * the output (which may hold secrets).
 */
export function runPhp(scriptPath: string, opts: RunPhpOptions): Promise<RunPhpResult> {
  const php = phpBinary();
  const ini = { ...BASE_INI, ...opts.ini };
  const args = [...Object.entries(ini).flatMap(([k, v]) => ['-d', `${k}=${v}`]), '-f', scriptPath, '--'];
  const timeoutMs = opts.timeoutMs ?? PHP_DEFAULT_TIMEOUT_MS;
  return new Promise((resolvePromise, reject) => {
    // detached: a process group of its own, so that the timeout also reaches anything PHP started (proc_open).
    const child = spawn(php, args, { cwd: opts.cwd, env: { ...baseEnv(), ...opts.env }, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
    // Chunks, not repeated concatenation: a chatty script must not cost quadratic time.
    const out: Buffer[] = [];
    let outBytes = 0;
    let err: Buffer[] = [];
    let errBytes = 0;
    let truncated = false;
    let timedOut = false;
    child.stdout.on('data', (b: Buffer) => {
      const room = PHP_STDOUT_CAP - outBytes;
      if (b.length > room) truncated = true;
      if (room <= 0) return;
      const keep = b.length > room ? b.subarray(0, room) : b;
      out.push(keep);
      outBytes += keep.length;
    });
    child.stderr.on('data', (b: Buffer) => {
      err.push(b);
      errBytes += b.length;
      if (errBytes > 2 * PHP_STDERR_CAP) {
        // Keep the tail: the end of an error output says what went wrong.
        const tail = Buffer.concat(err).subarray(-PHP_STDERR_CAP);
        err = [tail];
        errBytes = tail.length;
        truncated = true;
      }
    });
    const killGroup = () => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, timeoutMs);
    if (child.pid) running.add(child.pid);
    child.once('error', (e) => {
      clearTimeout(timer);
      if (child.pid) running.delete(child.pid);
      reject(new EngineError('service_unavailable', { message: `PHP could not be started (${(e as NodeJS.ErrnoException).code ?? e.message}).` }));
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (child.pid) running.delete(child.pid);
      // The group may still hold children of the script that outlived it.
      killGroup();
      if (timedOut) {
        reject(new EngineError('internal_error', { message: `PHP script ${scriptPath} did not finish within ${timeoutMs} ms and was killed.`, details: { timeoutMs } }));
        return;
      }
      const errAll = Buffer.concat(err);
      if (errAll.length > PHP_STDERR_CAP) truncated = true;
      resolvePromise({
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: errAll.subarray(-PHP_STDERR_CAP).toString('utf8'),
        code: code ?? 128 + (SIGNALS[signal ?? ''] ?? 0),
        truncated,
      });
    });
    child.stdin.on('error', () => undefined); // the script may exit without reading its input
    child.stdin.end(opts.input === undefined ? '' : JSON.stringify(opts.input), 'utf8');
  });
}

let cachedVersion: Promise<string> | undefined;

/** PHP's version, e.g. `8.2.28` (cached for the life of the process). */
export function phpVersion(): Promise<string> {
  cachedVersion ??= runPhp(phpHelper('version.php'), { cwd: PHP_HELPERS_DIR, timeoutMs: 15_000 }).then(
    (r) => {
      const v = r.stdout.trim();
      if (r.code !== 0 || !/^\d+\.\d+/.test(v)) throw new EngineError('service_unavailable', { message: `PHP CLI did not report its version (exit ${r.code}).` });
      return v;
    },
  );
  cachedVersion.catch(() => (cachedVersion = undefined));
  return cachedVersion;
}
