/**
 * Dumps an application's tables with the server's own dump tool (`mariadb-dump`, else `mysqldump`): it keeps
 * utf8mb4 (emoji) and binary columns intact, which the npm dump packages did not (see design/toolchain.md).
 */
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { EngineError, invalidArgument } from '@installgate/contracts';
import type { DbCredentials } from '../runtime/db-server';
import { withDefaultsFile } from './defaults-file';
import { Sha256Tap } from '../streams/sha256-tap';

/** Options every dump uses: consistent InnoDB snapshot, row-by-row, routines and triggers, BLOBs as hex, utf8mb4, small statements. */
export const DUMP_ARGS = [
  '--single-transaction',
  '--quick',
  '--routines',
  '--triggers',
  '--hex-blob',
  '--default-character-set=utf8mb4',
  '--skip-dump-date',
  // Extended INSERTs of at most 64 KiB (default 1 MiB): a restore holds one statement at a time, and statements
  // this small are short-lived young objects in V8 instead of large objects that only a full GC frees — the
  // restoring server's memory stays flat whatever the table size. A longer single row is still one statement.
  '--net-buffer-length=65536',
] as const;

/** With no tables: only the dump's header and footer (the tool would dump every table when none is named). */
const EMPTY_ARGS = ['--no-create-info', '--no-data', '--skip-triggers', '--skip-routines', '--skip-events'] as const;

const SAFE_NAME = /^[A-Za-z0-9_$][A-Za-z0-9_$-]{0,63}$/;
const STDERR_LIMIT = 8 * 1024;
const CANDIDATES = ['/usr/bin/mariadb-dump', '/usr/local/bin/mariadb-dump', '/usr/bin/mysqldump', '/usr/local/bin/mysqldump'];

/** The dump tool to run: `INSTALLGATE_MARIADB_DUMP`, else the first of mariadb-dump/mysqldump found. */
export function dumpBinary(): string {
  const env = process.env.INSTALLGATE_MARIADB_DUMP;
  if (env) return env;
  for (const c of CANDIDATES) {
    try {
      accessSync(c, constants.X_OK);
      return c;
    } catch {
      // next
    }
  }
  throw new EngineError('service_unavailable', { message: 'Neither mariadb-dump nor mysqldump is installed.' });
}

/** The dump tool's complaint as an EngineError; the password and user never appear in the message. */
export function dumpError(stderr: string, creds: DbCredentials, exitCode: number | null): EngineError {
  if (/\b1049\b|Unknown database/i.test(stderr)) return invalidArgument('db_name', 'The database does not exist.');
  if (/\b1044\b|Access denied for user .* to database/i.test(stderr)) return invalidArgument('db_name', 'The database does not exist or the user may not use it.');
  if (/\b1045\b|Access denied for user/i.test(stderr)) return invalidArgument('db_pass', 'The database server refused this user and password.');
  if (/\b200[0-9]\b|Can't connect|Unknown (MySQL|MariaDB) server host/i.test(stderr)) return invalidArgument('db_host', 'The database host did not answer.');
  let text = stderr;
  for (const secret of [creds.db_pass, creds.db_user]) if (secret) text = text.split(secret).join('***');
  return new EngineError('internal_error', {
    message: `Dumping the database failed (exit ${exitCode ?? 'signal'}): ${text.trim().slice(0, 500)}`,
  });
}

/**
 * Writes an SQL dump of `tables` of `creds.db_name` to `out` and ends `out`. An empty `tables` gives a valid dump
 * that creates nothing. The dump streams (backpressure from `out` pauses the tool); nothing is held in memory.
 * On failure `out` is destroyed with the error instead of being ended, so a reader never mistakes a partial dump
 * for a whole one.
 * Throws: `invalid_argument_db_pass` (access denied), `invalid_argument_db_name` (unknown database),
 * `invalid_argument_db_host`, `invalid_argument_tables` (a name we will not pass to the tool), `service_unavailable`
 * (no dump tool), `internal_error` (anything else; stderr with credentials redacted); AbortError when aborted.
 */
export async function dumpDatabase(
  creds: DbCredentials,
  tables: string[],
  out: Writable,
  opts: { signal?: AbortSignal } = {},
): Promise<{ bytes: number; sha256: string }> {
  try {
    if (!SAFE_NAME.test(creds.db_name)) throw invalidArgument('db_name', 'db_name must be 1–64 characters of A–Z, a–z, 0–9, _, $ or -.');
    for (const t of tables) if (!SAFE_NAME.test(t)) throw invalidArgument('tables', `Table name ${JSON.stringify(t.slice(0, 80))} is not accepted.`);
    const bin = dumpBinary();
    return await withDefaultsFile(creds, (cnf) => runDump(bin, cnf, creds, tables, out, opts.signal));
  } catch (e) {
    if (!out.destroyed) out.destroy(e as Error);
    throw e;
  }
}

async function runDump(
  bin: string,
  cnf: string,
  creds: DbCredentials,
  tables: string[],
  out: Writable,
  signal?: AbortSignal,
): Promise<{ bytes: number; sha256: string }> {
  signal?.throwIfAborted();
  const args = [`--defaults-file=${cnf}`, ...DUMP_ARGS, ...(tables.length ? [] : EMPTY_ARGS), creds.db_name, ...tables];
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'], signal, killSignal: 'SIGKILL' });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (s: string) => {
    if (stderr.length < STDERR_LIMIT) stderr += s.slice(0, STDERR_LIMIT - stderr.length);
  });
  const exited = new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve(code));
  });
  const tap = new Sha256Tap();
  try {
    // `end: false`: `out` is ended only once the exit code says the dump is whole.
    await Promise.all([pipeline(child.stdout, tap, out, { end: false }), exited]);
  } catch (e) {
    child.kill('SIGKILL');
    await exited.catch(() => undefined);
    if ((e as Error).name === 'AbortError') throw e;
    if (e instanceof EngineError) throw e;
    throw new EngineError('internal_error', { message: `Dumping the database failed: ${(e as Error).message.slice(0, 300)}` });
  }
  const code = await exited;
  if (code !== 0) throw dumpError(stderr, creds, code);
  await new Promise<void>((resolve, reject) => {
    out.once('error', reject);
    out.end(() => resolve());
  });
  return { bytes: tap.bytes, sha256: tap.digest() };
}
