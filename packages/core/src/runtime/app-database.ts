/**
 * Application databases on a real MariaDB/MySQL server, through mysql2's promise API.
 *
 * Contracts shared by every function here:
 * - every connection is closed before the function settles (also on errors);
 * - identifiers are validated, then quoted with backticks; values travel as placeholders;
 * - errors are EngineErrors built from the server's error code and message only: mysql2's errors carry the SQL
 *   text (`err.sql`), which for CREATE USER contains the password, so they are never passed on as `cause`.
 */
import { randomBytes, randomInt } from 'node:crypto';
import { EngineError, invalidArgument } from '@installgate/contracts';
import { createConnection, type Connection, type ConnectionOptions, type RowDataPacket } from 'mysql2/promise';
import { appDbHost, parseDbHost, type DbCredentials, type DbServer } from './db-server';

const CONNECT_TIMEOUT_MS = 10_000;
/** MariaDB accepts 80 characters for a user name, MySQL 32: stay portable. */
export const MAX_DB_NAME = 64;
export const MAX_DB_USER = 32;

/** A database or table name we are willing to quote: what hosting panels and apps use, no quoting tricks. */
const SAFE_IDENT = /^[A-Za-z0-9_$-]{1,64}$/;
/** A user name: as above plus '.', and no quote characters (it travels as a placeholder anyway). */
const SAFE_USER = /^[A-Za-z0-9_.$-]{1,80}$/;

function quoteIdent(name: string, field: string): string {
  if (!SAFE_IDENT.test(name)) throw invalidArgument(field, `${field} must be 1–64 characters of A–Z, a–z, 0–9, _, $ or -.`);
  return `\`${name.replace(/`/g, '``')}\``;
}

function checkUser(name: string): string {
  if (!SAFE_USER.test(name)) throw invalidArgument('db_user', 'db_user must be 1–80 characters of A–Z, a–z, 0–9, _, ., $ or -.');
  return name;
}

interface MysqlError {
  code?: string;
  errno?: number;
  sqlMessage?: string;
  message?: string;
}

/** Network-level failures: the host does not answer (as opposed to answering with an SQL error). */
const HOST_ERRORS = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET', 'ENOENT', 'EACCES', 'PROTOCOL_CONNECTION_LOST']);

/** The server's words without SQL text or values: safe to show. */
function describe(e: unknown): string {
  const m = e as MysqlError;
  return `${m.code ?? 'error'}${m.errno ? ` (${m.errno})` : ''}: ${m.sqlMessage ?? m.message ?? String(e)}`.slice(0, 500);
}

/** Errors talking to Installgate's own database server: the operator's problem, not the caller's. */
function serverError(e: unknown, what: string): EngineError {
  if (e instanceof EngineError) return e;
  return new EngineError('service_unavailable', { message: `Database server: ${what} failed: ${describe(e)}` });
}

function serverOptions(server: DbServer): ConnectionOptions {
  return {
    host: server.host === 'localhost' && !server.socketPath ? '127.0.0.1' : server.host,
    port: server.port,
    user: server.user,
    password: server.password,
    ...(server.socketPath ? { socketPath: server.socketPath } : {}),
    charset: 'utf8mb4',
    connectTimeout: CONNECT_TIMEOUT_MS,
    multipleStatements: false,
  };
}

/** mysql2 options for an application's own database and user (also used by the dump restorer). */
export function credentialOptions(creds: DbCredentials): ConnectionOptions {
  const ep = parseDbHost(creds.db_host);
  return {
    // mysql2 has no default socket: `localhost` means TCP to the loopback address, as MariaDB binds it.
    host: ep.host === 'localhost' && !ep.socketPath ? '127.0.0.1' : ep.host,
    port: ep.port,
    ...(ep.socketPath ? { socketPath: ep.socketPath } : {}),
    user: creds.db_user,
    password: creds.db_pass,
    database: creds.db_name,
    charset: 'utf8mb4',
    connectTimeout: CONNECT_TIMEOUT_MS,
    multipleStatements: false,
  };
}

async function withConnection<T>(options: ConnectionOptions, fn: (c: Connection) => Promise<T>): Promise<T> {
  const conn = await createConnection(options);
  try {
    return await fn(conn);
  } finally {
    await conn.end().catch(() => conn.destroy());
  }
}

async function asAdmin<T>(server: DbServer, what: string, fn: (c: Connection) => Promise<T>): Promise<T> {
  try {
    return await withConnection(serverOptions(server), fn);
  } catch (e) {
    throw serverError(e, what);
  }
}

/** Lower-case `[a-z0-9_]`, runs of anything else as one `_`, trimmed; `app` when nothing is left. */
export function sanitizeDbName(hint: string, max: number): string {
  const s = hint
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/_+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, max)
    .replace(/_+$/, '');
  // A name of digits only would need quoting everywhere (and reads as a number in some tools).
  return !s ? 'app' : /^[0-9]+$/.test(s) ? `db_${s}`.slice(0, max) : s;
}

/** `base`, then `base_xxxx` (4 random hex digits, cut to fit `max`) for each later attempt. */
function candidate(base: string, attempt: number, max: number): string {
  if (attempt === 0) return base;
  const suffix = `_${randomBytes(2).toString('hex')}`;
  return `${base.slice(0, max - suffix.length)}${suffix}`;
}

const PASSWORD_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';

/**
 * A random 28-character password: letters, digits, and one `-` and one `_` somewhere (password-policy plugins
 * want a symbol; these two need no quoting in configs, shells or URLs).
 */
export function randomDbPassword(): string {
  const chars = Array.from({ length: 26 }, () => PASSWORD_ALPHABET[randomInt(PASSWORD_ALPHABET.length)]);
  chars.splice(randomInt(4, chars.length), 0, '-');
  chars.splice(randomInt(4, chars.length), 0, '_');
  return chars.join('');
}

/** A random table prefix in Installatron's style (`dw8q_`): 4 lower-case letters/digits and `_`. */
export function randomTablePrefix(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return `${alphabet[randomInt(26)]}${Array.from({ length: 3 }, () => alphabet[randomInt(alphabet.length)]).join('')}_`;
}

const ER_DB_CREATE_EXISTS = 1007;
const ER_CANNOT_USER = 1396;

/**
 * Creates a new utf8mb4 database and a new user with a random password that may do anything in that database,
 * from any host (`'%'`) and from `'localhost'` (an anonymous `''@localhost` account would otherwise shadow `'%'`
 * for socket connections). Names come from `hint` (sanitised to `[a-z0-9_]`, database ≤ 64, user ≤ 32 characters);
 * a name that is taken gets a random `_xxxx` suffix; the server itself arbitrates (CREATE without IF NOT EXISTS), so
 * two concurrent creates with the same hint cannot share a database. On failure nothing created is left behind.
 * `db_prefix` is `opts.prefix`, or a random Installatron-style prefix.
 */
export async function createAppDatabase(server: DbServer, opts: { hint: string; prefix?: string }): Promise<DbCredentials> {
  const dbBase = sanitizeDbName(opts.hint, MAX_DB_NAME);
  const userBase = sanitizeDbName(opts.hint, MAX_DB_USER);
  const password = randomDbPassword();
  return asAdmin(server, 'creating the application database', async (c) => {
    let dbName = '';
    for (let attempt = 0; !dbName; attempt++) {
      const name = candidate(dbBase, attempt, MAX_DB_NAME);
      try {
        await c.query(`CREATE DATABASE ${quoteIdent(name, 'db_name')} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
        dbName = name;
      } catch (e) {
        if ((e as MysqlError).errno !== ER_DB_CREATE_EXISTS || attempt >= 20) throw e;
      }
    }
    let user = '';
    try {
      for (let attempt = 0; !user; attempt++) {
        const name = candidate(userBase, attempt, MAX_DB_USER);
        // One account at a time: MariaDB creates the other accounts of a list when one of them exists.
        const created: string[] = [];
        try {
          for (const host of ['%', 'localhost']) {
            await c.query('CREATE USER ?@? IDENTIFIED BY ?', [name, host, password]);
            created.push(host);
          }
          user = name;
        } catch (e) {
          for (const host of created) await c.query('DROP USER IF EXISTS ?@?', [name, host]).catch(() => undefined);
          if ((e as MysqlError).errno !== ER_CANNOT_USER || attempt >= 20) throw e;
        }
      }
      for (const host of ['%', 'localhost']) {
        await c.query(`GRANT ALL PRIVILEGES ON ${quoteIdent(dbName, 'db_name')}.* TO ?@?`, [user, host]);
      }
    } catch (e) {
      if (user) await c.query('DROP USER IF EXISTS ?@?, ?@?', [user, '%', user, 'localhost']).catch(() => undefined);
      await c.query(`DROP DATABASE IF EXISTS ${quoteIdent(dbName, 'db_name')}`).catch(() => undefined);
      throw e;
    }
    return { db_host: appDbHost(server), db_name: dbName, db_user: user, db_pass: password, db_prefix: opts.prefix ?? randomTablePrefix() };
  });
}

/**
 * Drops the database and every account of the user (all hosts it exists for). Idempotent: what is missing is
 * skipped. Either part may be omitted.
 */
export async function dropAppDatabase(server: DbServer, target: { db_name?: string; db_user?: string }): Promise<void> {
  const db = target.db_name ? quoteIdent(target.db_name, 'db_name') : undefined;
  const user = target.db_user ? checkUser(target.db_user) : undefined;
  await asAdmin(server, 'dropping the application database', async (c) => {
    if (db) await c.query(`DROP DATABASE IF EXISTS ${db}`);
    if (user) {
      const hosts = new Set(['%', 'localhost', ...(await accountHosts(c, user))]);
      for (const host of hosts) await c.query('DROP USER IF EXISTS ?@?', [user, host]);
    }
  });
}

async function accountHosts(c: Connection, user: string): Promise<string[]> {
  const [rows] = await c.query<RowDataPacket[]>('SELECT Host FROM mysql.user WHERE User = ?', [user]);
  return rows.map((r) => String(r.Host));
}

export async function databaseExists(server: DbServer, name: string): Promise<boolean> {
  return asAdmin(server, 'looking up a database', async (c) => {
    const [rows] = await c.query<RowDataPacket[]>('SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?', [name]);
    return rows.length > 0;
  });
}

/** Whether any account (any host) of this user exists. */
export async function userExists(server: DbServer, user: string): Promise<boolean> {
  return asAdmin(server, 'looking up a database user', async (c) => (await accountHosts(c, user)).length > 0);
}

/**
 * `SELECT VERSION()`, e.g. `10.11.6-MariaDB-0+deb12u1`: as administrator with a DbServer, or with an application's
 * credentials (their connection errors map as in credentialError).
 */
export async function serverVersion(target: DbServer | DbCredentials): Promise<string> {
  const read = async (c: Connection) => {
    const [rows] = await c.query<RowDataPacket[]>('SELECT VERSION() AS v');
    return String(rows[0].v);
  };
  return 'db_host' in target ? withAppConnection(target, read) : asAdmin(target, 'reading the server version', read);
}

const ER_DBACCESS_DENIED = 1044;
const ER_ACCESS_DENIED = 1045;
const ER_BAD_DB = 1049;

/**
 * Maps a failure to connect with an application's credentials to the field the caller got wrong:
 * access denied (1045: user or password; the server does not say which) → `invalid_argument_db_pass`;
 * unknown database (1049) or no access to it (1044) → `invalid_argument_db_name`;
 * no answer from the host → `invalid_argument_db_host`; anything else → `service_unavailable`.
 */
export function credentialError(e: unknown): EngineError {
  if (e instanceof EngineError) return e;
  const m = e as MysqlError;
  if (m.errno === ER_ACCESS_DENIED) return invalidArgument('db_pass', 'The database server refused this user and password.');
  if (m.errno === ER_BAD_DB) return invalidArgument('db_name', 'The database does not exist.');
  if (m.errno === ER_DBACCESS_DENIED) return invalidArgument('db_name', 'The database user may not use this database.');
  if (m.code && HOST_ERRORS.has(m.code)) return invalidArgument('db_host', `The database host did not answer (${m.code}).`);
  return new EngineError('service_unavailable', { message: `Database: ${describe(e)}` });
}

/** Runs `fn` connected with the application's credentials; connection errors become field errors (credentialError). */
export async function withAppConnection<T>(creds: DbCredentials, fn: (c: Connection) => Promise<T>): Promise<T> {
  let conn: Connection;
  try {
    conn = await createConnection(credentialOptions(creds));
  } catch (e) {
    throw credentialError(e);
  }
  try {
    return await fn(conn);
  } catch (e) {
    throw serverError(e, 'a query with the application\'s credentials');
  } finally {
    await conn.end().catch(() => conn.destroy());
  }
}

/** Connects with the application's credentials and runs `SELECT 1`. Failures as in credentialError. */
export async function checkCredentials(creds: DbCredentials): Promise<void> {
  await withAppConnection(creds, async (c) => {
    await c.query('SELECT 1');
  });
}

/** LIKE pattern matching names that start with `prefix` literally (`_` and `%` are wildcards otherwise). */
function likePrefix(prefix: string): string {
  return `${prefix.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

/** Tables and views of `creds.db_name` whose names start with `prefix` (all of them for ''), sorted. */
export async function listTables(creds: DbCredentials, prefix: string): Promise<string[]> {
  return withAppConnection(creds, async (c) => {
    const [rows] = await c.query<RowDataPacket[]>(
      "SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME LIKE ? ESCAPE '\\\\' ORDER BY TABLE_NAME",
      [creds.db_name, likePrefix(prefix)],
    );
    return rows.map((r) => String(r.t));
  });
}

/** Drops these tables (and views) if they exist, foreign keys notwithstanding. Idempotent. */
export async function dropTables(creds: DbCredentials, tables: readonly string[]): Promise<void> {
  if (tables.length === 0) return;
  const quoted = new Map(tables.map((t) => [t, quoteIdent(t, 'tables')]));
  await withAppConnection(creds, async (c) => {
    const [rows] = await c.query<RowDataPacket[]>(
      "SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'VIEW'",
      [creds.db_name],
    );
    const views = new Set(rows.map((r) => String(r.t)));
    const dropViews = [...quoted].filter(([t]) => views.has(t)).map(([, q]) => q);
    const dropTablesList = [...quoted].filter(([t]) => !views.has(t)).map(([, q]) => q);
    await c.query('SET FOREIGN_KEY_CHECKS = 0');
    if (dropViews.length) await c.query(`DROP VIEW IF EXISTS ${dropViews.join(', ')}`);
    if (dropTablesList.length) await c.query(`DROP TABLE IF EXISTS ${dropTablesList.join(', ')}`);
  });
}
