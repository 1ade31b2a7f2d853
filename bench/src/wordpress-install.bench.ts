/**
 * Benchmark: installing WordPress through Installgate against the same work done by hand, in one run. Prints the
 * ratio installgate/baseline of the median (and mean) wall time (target ≤ 1.3); times are shown only to explain it.
 *
 *   npx tsc -b && node bench/dist/wordpress-install.bench.js [--runs 5] [--serve] [--profile|--no-profile] [--dir TMPROOT] [--timeout-min 20]
 *
 * Shared by both sides: one private MariaDB (testkit startMariaDb, in a temp dir), the release mirror
 * (ensureMirror) and its WordPress 6.5.5 archive, one website docroot. Each run installs into a fresh folder.
 * Everything temporary lives in one directory under os.tmpdir() (or `--dir TMPROOT`, e.g. /dev/shm to take the
 * disk out of the comparison) and is removed at the end; servers are stopped by PID.
 *
 * - Installgate (A): the server started in this process (startServer), `POST /browser/wordpress/install`
 *   (v2, foreground), timed from sending the request to the end of the answer.
 * - Baseline (B): the standard tools by hand: `tar xzf` of the same archive (top folder stripped — the archive,
 *   not a copy of an unpacked tree, because Installgate also starts from the archive), `CREATE DATABASE`,
 *   `CREATE USER` (@'%' and @'localhost', as Installgate) and `GRANT` through the `mariadb` client with a defaults
 *   file (the password travels on stdin), a wp-config.php with the same constants, and `wp_install()` under `php`
 *   (bench/php/wp-install-by-hand.php).
 *
 * Runs are paired after one untimed warm-up of each side, so machine drift hits both; the order within a pair
 * alternates (A B, B A, …) and every side starts after an untimed sync(1), so that neither pays for the disk
 * writeback of what ran before it. Between
 * pairs (untimed) both installs are checked in the database and removed again, so every install is the site
 * owner's first: Installgate through its own uninstall, the baseline by hand.
 *
 * By default nothing listens on the website's URL while installs run (wp_install()'s pretty-permalink probe is
 * refused at once on both sides); `--serve` serves the docroot with `php -S` during the runs instead, so the probe
 * loads the new site for real (slower on both sides). Either way, at the end the last pair is served and both
 * front pages must show the site title.
 *
 * `--profile` (automatic when the median ratio is above 1.3, unless `--no-profile`) then runs more interleaved
 * pairs, the Installgate side with timers wrapped around the engine's task bookkeeping, SQL, extraction, PHP runs
 * and driver calls (in this process only; no engine code changes), and prints where the extra time goes.
 */
import * as childProcess from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { createLogger, loadSettings, startServer, type RunningServer } from '@installgate/server';
import {
  ensureMirror, freePort, mariadbQuery, readMirrorReleases, requireMariaDbBinaries, requirePhpBinary, startMariaDb,
  startPhpServer, type MariaDbServer, type PhpServer,
} from '@installgate/testkit';
import { settleDisk } from './settle-disk';

const KEY = 'bench-key-0123456789';
const VERSION = '6.5.5';
const OWNER = 'bench';
const SITE = { sitetitle: 'Benchmark Blog 6.5.5', sitetagline: 'Measured, not guessed', login: 'bench_admin', email: 'bench@example.test', passwd: 'Bench-Pa55-word!' };
const PREFIX = 'wp_';
/** Bounds: one install, one helper command, the whole benchmark. */
const INSTALL_TIMEOUT_MS = 180_000;
const COMMAND_TIMEOUT_MS = 120_000;
const BY_HAND_PHP = path.resolve(__dirname, '..', 'php', 'wp-install-by-hand.php');

// ---------------------------------------------------------------------------------------------------------------
// Small helpers

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const flag = (name: string) => process.argv.includes(`--${name}`);
const now = () => Number(process.hrtime.bigint()) / 1e6;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`${what}: no result within ${ms} ms`)), ms); });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

interface Stats { mean: number; median: number; min: number; max: number }
function stats(ms: number[]): Stats {
  const s = [...ms].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return {
    mean: s.reduce((a, b) => a + b, 0) / s.length,
    median: s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2,
    min: s[0]!,
    max: s[s.length - 1]!,
  };
}
const median = (xs: number[]) => (xs.length ? stats(xs).median : 0);
const f0 = (x: number) => x.toFixed(0).padStart(6);

interface CmdResult { code: number; stdout: string; stderr: string }

/** Children of run() still running: killed (by PID) before the temp dir is removed, e.g. after a timeout. */
const runningChildren = new Set<childProcess.ChildProcess>();
/** Set when cleanup starts: run() and httpRequest() start nothing new after that. */
let stopping = false;

async function killRunningChildren(): Promise<void> {
  const waits = [...runningChildren].map((c) => new Promise<void>((resolve) => {
    if (c.exitCode !== null || c.signalCode !== null) return resolve();
    c.once('close', () => resolve());
    if (c.pid) try { process.kill(c.pid, 'SIGKILL'); } catch { resolve(); }
  }));
  await withTimeout(Promise.all(waits), 10_000, 'stopping child processes');
}

/** Runs a command (no shell), stdin from `input`; killed by PID with SIGKILL after `timeoutMs`. */
function run(cmd: string, args: string[], opts: { input?: string; env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {}): Promise<CmdResult> {
  return new Promise((resolve, reject) => {
    if (stopping) return reject(new Error(`${cmd}: not started, the benchmark is stopping`));
    const child = childProcess.spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    runningChildren.add(child);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      if (child.pid) try { process.kill(child.pid, 'SIGKILL'); } catch { /* gone */ }
    }, opts.timeoutMs ?? COMMAND_TIMEOUT_MS);
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.once('error', (e) => { clearTimeout(timer); reject(e); });
    child.once('close', (code) => {
      clearTimeout(timer);
      runningChildren.delete(child);
      const r = { code: code ?? -1, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
      if (timedOut) reject(new Error(`${cmd} ${args.join(' ')}: killed after ${opts.timeoutMs ?? COMMAND_TIMEOUT_MS} ms`));
      else resolve(r);
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(opts.input ?? '');
  });
}

function mustSucceed(r: CmdResult, what: string): CmdResult {
  if (r.code !== 0) throw new Error(`${what} failed (exit ${r.code}): ${(r.stderr || r.stdout).trim().slice(-1000)}`);
  return r;
}

interface HttpAnswer { status: number; body: string }

/** One HTTP request on a fresh connection (no keep-alive), bounded by `timeoutMs`. */
function httpRequest(url: string, method: string, body?: unknown, timeoutMs = INSTALL_TIMEOUT_MS): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    if (stopping) return reject(new Error(`${method} ${url}: not sent, the benchmark is stopping`));
    const data = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(url, {
      method,
      agent: false,
      headers: { 'X-API-KEY': KEY, ...(data ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(data) } : {}) },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`${method} ${url}: no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(data);
  });
}

// ---------------------------------------------------------------------------------------------------------------
// The two sides

interface Ctx {
  server: RunningServer;
  mariadb: MariaDbServer;
  archive: string;
  /** http://127.0.0.1:PORT, the website's vhost. */
  site: string;
  docroot: string;
  dbHost: string;
  php: string;
  mariadbClient: string;
}

interface IgInstall { id: string; path: string; db_name: string; db_user: string; tables: string[]; version: string; incomplete: boolean }

/** A: Installgate, POST /browser/wordpress/install (v2, foreground), timed end to end over HTTP. */
async function installgateOnce(ctx: Ctx, folder: string): Promise<{ ms: number; install: IgInstall }> {
  const body = { url: `${ctx.site}/${folder}`, user: OWNER, version: VERSION, ...SITE };
  const t0 = now();
  const r = await httpRequest(`${ctx.server.url}/browser/wordpress/install`, 'POST', body);
  const ms = now() - t0;
  const parsed = JSON.parse(r.body) as { result?: boolean; data?: IgInstall };
  if (r.status !== 200 || !parsed.result || !parsed.data) throw new Error(`Installgate install of ${folder} failed: HTTP ${r.status} ${r.body.slice(0, 500)}`);
  const i = parsed.data;
  if (i.version !== VERSION || i.incomplete) throw new Error(`Installgate install of ${folder}: unexpected record ${JSON.stringify({ version: i.version, incomplete: i.incomplete })}`);
  return { ms, install: i };
}

interface BaselinePhases { tar: number; sql: number; config: number; php: number }
interface HandInstall { dir: string; db_name: string; db_user: string }

function dbPassword(): string {
  const a = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
  return `${Array.from({ length: 26 }, () => a[randomInt(a.length)]).join('')}-_`;
}

/** The same constants as Installgate's wp-config.php (packages/core/src/drivers/wordpress-config.ts). */
function wpConfig(db: { name: string; user: string; pass: string; host: string }): string {
  const salts = ['AUTH_KEY', 'SECURE_AUTH_KEY', 'LOGGED_IN_KEY', 'NONCE_KEY', 'AUTH_SALT', 'SECURE_AUTH_SALT', 'LOGGED_IN_SALT', 'NONCE_SALT']
    .map((n) => `define( '${n}', '${randomBytes(48).toString('base64')}' );`);
  return [
    '<?php',
    `define( 'DB_NAME', '${db.name}' );`,
    `define( 'DB_USER', '${db.user}' );`,
    `define( 'DB_PASSWORD', '${db.pass}' );`,
    `define( 'DB_HOST', '${db.host}' );`,
    "define( 'DB_CHARSET', 'utf8mb4' );",
    "define( 'DB_COLLATE', '' );",
    ...salts,
    `$table_prefix = '${PREFIX}';`,
    "define( 'WP_DEBUG', false );",
    "define( 'WP_AUTO_UPDATE_CORE', false );",
    "if ( ! defined( 'ABSPATH' ) ) {",
    "\tdefine( 'ABSPATH', __DIR__ . '/' );",
    '}',
    "require_once ABSPATH . 'wp-settings.php';",
    '',
  ].join('\n');
}

/** B: the same work by hand with the standard tools, each phase timed. */
async function baselineOnce(ctx: Ctx, folder: string, n: number): Promise<{ ms: number; phases: BaselinePhases; install: HandInstall }> {
  const dir = path.join(ctx.docroot, folder);
  const url = `${ctx.site}/${folder}`;
  const db = { name: `hand_${n}`, user: `hand_${n}`, pass: dbPassword(), host: ctx.dbHost };
  const sql = [
    `CREATE DATABASE \`${db.name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;`,
    `CREATE USER '${db.user}'@'%' IDENTIFIED BY '${db.pass}';`,
    `CREATE USER '${db.user}'@'localhost' IDENTIFIED BY '${db.pass}';`,
    `GRANT ALL PRIVILEGES ON \`${db.name}\`.* TO '${db.user}'@'%';`,
    `GRANT ALL PRIVILEGES ON \`${db.name}\`.* TO '${db.user}'@'localhost';`,
    '',
  ].join('\n');
  // The environment Installgate gives PHP (packages/core/src/runtime/php.ts), plus the admin password.
  const phpEnv: NodeJS.ProcessEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8', TZ: 'UTC', HOME: process.env.HOME ?? '/tmp', WP_ADMIN_PASS: SITE.passwd };

  const t0 = now();
  fs.mkdirSync(dir);
  mustSucceed(await run('tar', ['xzf', ctx.archive, '-C', dir, '--strip-components=1']), 'tar xzf');
  const t1 = now();
  mustSucceed(await run(ctx.mariadbClient, [`--defaults-file=${ctx.mariadb.defaultsFile}`], { input: sql }), 'mariadb (create database and user)');
  const t2 = now();
  fs.writeFileSync(path.join(dir, 'wp-config.php'), wpConfig(db), { mode: 0o640, flag: 'wx' });
  const t3 = now();
  const r = mustSucceed(
    await run(ctx.php, [BY_HAND_PHP, dir, url, SITE.sitetitle, SITE.sitetagline, SITE.login, SITE.email], { cwd: dir, env: phpEnv, timeoutMs: INSTALL_TIMEOUT_MS }),
    'php wp-install-by-hand.php',
  );
  const t4 = now();
  const out = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as { user_id?: number; wp_version?: string };
  if (!out.user_id || out.wp_version !== VERSION) throw new Error(`baseline install of ${folder}: unexpected result ${r.stdout.slice(-300)} ${r.stderr.slice(-300)}`);
  return { ms: t4 - t0, phases: { tar: t1 - t0, sql: t2 - t1, config: t3 - t2, php: t4 - t3 }, install: { dir, db_name: db.name, db_user: db.user } };
}

/** Untimed: the site's title and URL as stored in its database, and its number of tables. */
async function checkDb(ctx: Ctx, dbName: string, url: string): Promise<void> {
  const out = await mariadbQuery(ctx.mariadb, `SELECT option_value FROM ${PREFIX}options WHERE option_name IN ('blogname', 'siteurl') ORDER BY option_name;
    SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = '${dbName}';`, { database: dbName });
  const [blogname, siteurl, tables] = out.trim().split('\n');
  if (blogname !== SITE.sitetitle || siteurl !== url || Number(tables) < 12) throw new Error(`database ${dbName}: unexpected ${JSON.stringify({ blogname, siteurl, tables })}`);
}

async function removeIg(ctx: Ctx, id: string): Promise<void> {
  const r = await httpRequest(`${ctx.server.url}/installs/${id}`, 'DELETE', undefined, COMMAND_TIMEOUT_MS);
  if (r.status !== 200) throw new Error(`uninstall ${id}: HTTP ${r.status} ${r.body.slice(0, 300)}`);
}

async function removeHand(ctx: Ctx, h: HandInstall): Promise<void> {
  fs.rmSync(h.dir, { recursive: true, force: true });
  await mariadbQuery(ctx.mariadb, `DROP DATABASE IF EXISTS \`${h.db_name}\`; DROP USER IF EXISTS '${h.db_user}'@'%', '${h.db_user}'@'localhost';`);
}

// ---------------------------------------------------------------------------------------------------------------
// Profile: timers around the engine's calls, in this process only

interface Span { name: string; t0: number; t1: number }

type AnyFn = (...a: unknown[]) => unknown;

class Profiler {
  spans: Span[] = [];
  private restores: (() => void)[] = [];
  mysqlConnections = 0;
  mysqlQueries = 0;

  /** Replaces obj[key] (an async function) with a timed wrapper. */
  wrap(obj: object, key: string, name: string | ((args: unknown[]) => string)): void {
    const o = obj as Record<string, AnyFn>;
    const orig = o[key];
    if (typeof orig !== 'function') throw new Error(`profile: ${name} is not a function`);
    const spans = this.spans;
    o[key] = async function (this: unknown, ...args: unknown[]) {
      const t0 = now();
      try {
        return await orig.apply(this, args);
      } finally {
        spans.push({ name: typeof name === 'string' ? name : name(args), t0, t1: now() });
      }
    };
    this.restores.push(() => { o[key] = orig; });
  }

  /** Times every PHP process the engine starts, from spawn to close, named by its script. */
  wrapSpawn(php: string): void {
    // The module object itself (an `import * as` namespace has getters only): the engine calls spawn through it.
    const cp = require('node:child_process') as Record<string, AnyFn>;
    const orig = cp.spawn;
    const spans = this.spans;
    cp.spawn = function (this: unknown, ...args: unknown[]) {
      const child = orig.apply(this, args) as childProcess.ChildProcess;
      const [cmd, argv] = args as [string, string[]];
      if (cmd === php || path.basename(cmd) === 'php') {
        const t0 = now();
        const script = path.basename(argv[argv.indexOf('-f') + 1] ?? 'php');
        child.once('close', () => spans.push({ name: `php:${script}`, t0, t1: now() }));
      }
      return child;
    };
    this.restores.push(() => { cp.spawn = orig; });
  }

  /** Counts mysql2 connections and queries made by the engine. */
  wrapMysql(mysqlPromise: Record<string, AnyFn>): void {
    const orig = mysqlPromise.createConnection;
    const self = this;
    mysqlPromise.createConnection = async function (this: unknown, ...args: unknown[]) {
      const t0 = now();
      const conn = (await orig.apply(this, args)) as Record<string, AnyFn>;
      self.spans.push({ name: 'mysql2:connect', t0, t1: now() });
      self.mysqlConnections++;
      const q = conn.query;
      conn.query = function (this: unknown, ...qa: unknown[]) { self.mysqlQueries++; return q.apply(this, qa); };
      return conn;
    };
    this.restores.push(() => { mysqlPromise.createConnection = orig; });
  }

  restore(): void {
    for (const r of this.restores.reverse()) r();
    this.restores = [];
  }
}

/** The phases one profiled install is split into. */
const P = {
  pre: 'HTTP + preflight (input, PHP/MySQL version, disk space)',
  taskRow: 'task row: create + install lock + claim',
  progress: 'progress writes (tasks.progress, 6 steps)',
  register: 'step register-install (record insert)',
  folder: 'step create-folder',
  createDb: 'step create-database: CREATE DATABASE/USER/GRANT (mysql2)',
  createDbSave: 'step create-database: resources + record save',
  sha: 'step copy-files: sha256 check of the archive (remembered per file)',
  extract: 'step copy-files: extraction (node-tar parser, safe sync writer)',
  extractSave: 'step copy-files: record save',
  installPhp: 'step run-installer: php install.php (wp_install)',
  installSql: 'step run-installer: SQL checks (checkCredentials, listTables x2)',
  installOther: 'step run-installer: wp-config.php, locale, other',
  installSave: 'step run-installer: readdir + record save',
  inspect: 'step finish-install: php inspect.php (only if install.php gave no addons)',
  finishOther: 'step finish-install: other (readdir, record)',
  tail: 'activity log + task finish + lock release + answer',
} as const;

interface ProfileRow { total: number; parts: Record<string, number>; connections: number; queries: number }

/** Splits one profiled install's wall time into the engine's phases, from the spans recorded during it. */
function analyse(spans: Span[], t0: number, t1: number, connections: number, queries: number): ProfileRow {
  const all = (name: string) => spans.filter((s) => s.name === name);
  const one = (name: string) => {
    const s = all(name);
    if (s.length !== 1) throw new Error(`profile: expected one ${name}, got ${s.length}`);
    return s[0]!;
  };
  const dur = (s: Span) => s.t1 - s.t0;
  const sum = (xs: Span[]) => xs.reduce((a, s) => a + dur(s), 0);
  const inside = (outer: Span, prefix: string) => spans.filter((s) => s.name.startsWith(prefix) && s.t0 >= outer.t0 && s.t1 <= outer.t1);
  const progress = all('task.progress').sort((a, b) => a.t0 - b.t0);
  if (progress.length !== 6) throw new Error(`profile: expected 6 progress writes, got ${progress.length}`);
  const create = one('task.create');
  const claim = one('task.claim');
  const log = one('log.write');
  const extract = one('rt.extractRelease');
  const install = one('driver.install');
  const installPhp = one('php:install.php');
  // install.php answers the plugins and themes; inspect.php runs only for a driver that does not.
  const inspectMs = sum(all('php:inspect.php'));
  const stepEnd = (k: number) => (k < 5 ? progress[k + 1]!.t0 : log.t0);
  const step = (k: number) => stepEnd(k) - progress[k]!.t1;
  const createDb = one('rt.createAppDatabase');
  const installSql = inside(install, 'sql.');
  const parts: Record<string, number> = {
    [P.pre]: create.t0 - t0,
    [P.taskRow]: claim.t1 - create.t0,
    [P.progress]: sum(progress),
    [P.register]: step(0),
    [P.folder]: step(1),
    [P.createDb]: dur(createDb),
    [P.createDbSave]: step(2) - dur(createDb),
    [P.sha]: extract.t0 - progress[3]!.t1,
    [P.extract]: dur(extract),
    [P.extractSave]: stepEnd(3) - extract.t1,
    [P.installPhp]: dur(installPhp),
    [P.installSql]: sum(installSql),
    [P.installOther]: dur(install) - dur(installPhp) - sum(installSql),
    [P.installSave]: stepEnd(4) - install.t1,
    [P.inspect]: inspectMs,
    [P.finishOther]: step(5) - inspectMs,
    [P.tail]: t1 - log.t0,
  };
  return { total: t1 - t0, parts, connections, queries };
}

interface CoreModules {
  runtimePort: { REAL_RUNTIME: { database: Record<string, AnyFn>; extractRelease: AnyFn; phpVersion: AnyFn } };
  appDatabase: Record<string, AnyFn>;
  drivers: { wordpressDriver: Record<string, AnyFn> };
  mysqlPromise: Record<string, AnyFn>;
}

function loadCoreModules(): CoreModules {
  const dist = path.dirname(require.resolve('@installgate/core'));
  const core = path.dirname(dist);
  return {
    runtimePort: require(path.join(dist, 'workflows', 'runtime-port.js')),
    appDatabase: require(path.join(dist, 'runtime', 'app-database.js')),
    drivers: require(path.join(dist, 'drivers', 'index.js')),
    mysqlPromise: require(require.resolve('mysql2/promise', { paths: [core] })),
  };
}

/** Installs the engine's timers, runs one Installgate install, removes the timers; the install's phases. */
async function profiledInstall(ctx: Ctx, mods: CoreModules, folder: string): Promise<{ row: ProfileRow; install: IgInstall }> {
  const p = new Profiler();
  let res: { ms: number; install: IgInstall };
  let t0 = 0;
  try {
    const tasks = ctx.server.engine.tasks as unknown as Record<string, AnyFn>;
    for (const k of ['create', 'acquireInstallLock', 'claim', 'progress', 'finish', 'releaseInstallLock', 'get']) p.wrap(tasks, k, `task.${k}`);
    p.wrap(ctx.server.engine.logs, 'write', 'log.write');
    const rt = mods.runtimePort.REAL_RUNTIME;
    for (const k of ['createAppDatabase', 'checkCredentials', 'listTables', 'serverVersion']) p.wrap(rt.database, k, `rt.${k}`);
    p.wrap(rt, 'extractRelease', 'rt.extractRelease');
    p.wrap(rt, 'phpVersion', 'rt.phpVersion');
    // The driver imports these directly from the module (not through REAL_RUNTIME).
    for (const k of ['checkCredentials', 'listTables']) p.wrap(mods.appDatabase, k, `sql.${k}`);
    p.wrap(mods.drivers.wordpressDriver, 'install', 'driver.install');
    p.wrap(mods.drivers.wordpressDriver, 'addons', 'driver.addons');
    p.wrapSpawn(ctx.php);
    p.wrapMysql(mods.mysqlPromise);
    t0 = now();
    res = await installgateOnce(ctx, folder);
  } finally {
    p.restore();
  }
  return { row: analyse(p.spans, t0, t0 + res.ms, p.mysqlConnections, p.mysqlQueries), install: res.install };
}

/**
 * Profile: `pairs` more interleaved pairs (Installgate with timers, baseline by hand), so both sides' phases come
 * from the same minutes of this machine. Differences are taken per pair, then the median over pairs.
 */
async function profile(ctx: Ctx, pairs: number): Promise<void> {
  const mods = loadCoreModules();
  const rows: ProfileRow[] = [];
  const hands: { ms: number; phases: BaselinePhases }[] = [];
  console.log('');
  console.log(`profile: ${pairs} more pairs, Installgate with timers around engine calls (in this process; engine code unchanged) | baseline`);
  for (let i = 1; i <= pairs; i++) {
    const a = await profiledInstall(ctx, mods, `ig-profile-${i}`);
    const b = await baselineOnce(ctx, `hand-profile-${i}`, 100 + i);
    rows.push(a.row);
    hands.push(b);
    console.log(`  pair ${i}: installgate ${f0(a.row.total)} ms (extract ${a.row.parts[P.extract]!.toFixed(0)}, install.php ${a.row.parts[P.installPhp]!.toFixed(0)}, inspect.php ${a.row.parts[P.inspect]!.toFixed(0)})` +
      ` | baseline ${f0(b.ms)} ms (tar ${b.phases.tar.toFixed(0)}, php ${b.phases.php.toFixed(0)})`);
    await checkDb(ctx, a.install.db_name, `${ctx.site}/ig-profile-${i}`);
    await checkDb(ctx, b.install.db_name, `${ctx.site}/hand-profile-${i}`);
    await removeIg(ctx, a.install.id);
    await removeHand(ctx, b.install);
  }

  const part = (name: string) => rows.map((r) => r.parts[name]!);
  const med = (name: string) => median(part(name));
  const paired = (ig: number[], bl: number[]) => median(ig.map((x, k) => x - bl[k]!));
  const bl = (k: keyof BaselinePhases) => hands.map((h) => h.phases[k]);
  const igTotal = rows.map((r) => r.total);
  const blTotal = hands.map((h) => h.ms);
  console.log('  Installgate phases (medians, ms):');
  for (const n of Object.values(P)) console.log(`    ${n.padEnd(66)} ${f0(med(n))}`);
  console.log(`    ${'total'.padEnd(66)} ${f0(median(igTotal))}`);
  console.log(`    mysql2: ${median(rows.map((r) => r.connections))} connections, ${median(rows.map((r) => r.queries))} queries per install`);
  console.log('  baseline phases (medians, ms):');
  console.log(`    tar xzf ${bl('tar').length ? median(bl('tar')).toFixed(0) : '-'}, mariadb client ${median(bl('sql')).toFixed(0)} (1 process, 5 statements), ` +
    `wp-config.php ${median(bl('config')).toFixed(1)}, php wp_install ${median(bl('php')).toFixed(0)}, total ${median(blTotal).toFixed(0)}`);

  const bookkeeping = [P.taskRow, P.register, P.folder, P.createDbSave, P.extractSave, P.installOther, P.installSave, P.finishOther, P.tail];
  const sumOf = (names: readonly string[]) => rows.map((r) => names.reduce((a, n) => a + r.parts[n]!, 0));
  const zero = hands.map(() => 0);
  const items: { what: string; ms: number; fix: string }[] = [
    { what: 'extraction: node-tar parser + safe sync writer, minus tar xzf', ms: paired(part(P.extract), bl('tar')), fix: '-' },
    { what: 'addons(): a second PHP process (inspect.php) after wp_install', ms: med(P.inspect), fix: '-' },
    { what: 'sha256 check of the archive (remembered per file)', ms: med(P.sha), fix: '-' },
    { what: 'php install.php minus the by-hand php run', ms: paired(part(P.installPhp), bl('php')), fix: '-' },
    { what: 'SQL through mysql2 (create + 3 checks) minus the mariadb client', ms: paired(sumOf([P.createDb, P.installSql]), bl('sql')), fix: '-' },
    { what: 'progress writes (6 sqlite writes)', ms: med(P.progress), fix: '-' },
    { what: 'task rows, record saves, activity log, readdirs (sqlite, fs)', ms: paired(sumOf(bookkeeping), zero), fix: '-' },
    { what: 'HTTP + preflight', ms: med(P.pre), fix: '-' },
  ];
  const diff = paired(igTotal, blTotal);
  console.log('');
  console.log(`  where the extra time goes (median over pairs; installgate - baseline = ${diff.toFixed(0)} ms, ratio in this pass ${(median(igTotal) / median(blTotal)).toFixed(2)}):`);
  for (const it of items) console.log(`    ${it.what.padEnd(66)} ${f0(it.ms)} ms${it.fix !== '-' ? `   fix: ${it.fix}` : ''}`);
  console.log(`    ${'sum of the above'.padEnd(66)} ${f0(items.reduce((a, it) => a + it.ms, 0))} ms`);
  // If extraction cost what tar costs, no inspect.php ran and the checksum cost nothing:
  const fixed = rows.map((r, k) => r.total - Math.max(0, r.parts[P.extract]! - hands[k]!.phases.tar) - r.parts[P.inspect]! - r.parts[P.sha]!);
  console.log(`  projected ratio (per pair: extraction at tar's time, no inspect.php, no sha256): ${(median(fixed) / median(blTotal)).toFixed(2)}`);
}

// ---------------------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const runs = Math.max(1, Number(arg('runs') ?? 5));
  const serve = flag('serve');
  const wantProfile = flag('profile');
  const timeoutMs = Number(arg('timeout-min') ?? 20) * 60_000;
  if (!Number.isFinite(runs) || !Number.isFinite(timeoutMs)) throw new Error('usage: wordpress-install.bench.js [--runs N] [--serve] [--profile|--no-profile] [--dir TMPROOT] [--timeout-min M]');

  const php = requirePhpBinary();
  const mariadbClient = requireMariaDbBinaries().client;
  const tmpRoot = path.resolve(arg('dir') ?? os.tmpdir());
  const tmp = fs.mkdtempSync(path.join(tmpRoot, 'ig-wpbench-'));
  // Cleanup kills our running child processes, then runs these in reverse: php -S, the server, MariaDB, the temp dir.
  const cleanups: (() => Promise<void>)[] = [async () => fs.rmSync(tmp, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 })];
  let cleaning: Promise<void> | undefined;
  const cleanup = () => (cleaning ??= (async () => {
    stopping = true;
    for (const c of [killRunningChildren, ...cleanups.reverse()]) {
      try { await withTimeout(c(), 45_000, 'cleanup step'); } catch (e) { console.error(`cleanup: ${(e as Error).message}`); }
    }
  })());
  const onSignal = (sig: NodeJS.Signals) => { console.error(`\n${sig}: cleaning up`); void cleanup().then(() => process.exit(130)); };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const work = async () => {
    const mariadb = await startMariaDb({ dir: path.join(tmp, 'mariadb') });
    cleanups.push(() => mariadb.stop());
    const mirror = await ensureMirror();
    const release = readMirrorReleases(mirror, 'wordpress').releases.find((r) => r.version === VERSION);
    if (!release) throw new Error(`the mirror ${mirror} has no WordPress ${VERSION}`);
    const archive = path.join(mirror, 'wordpress', release.archive);

    const settings = loadSettings({ INSTALLGATE_HOME: path.join(tmp, 'home'), INSTALLGATE_API_KEY: KEY, INSTALLGATE_PORT: '0' });
    const server = await startServer(settings, createLogger(process.stderr, true), { dbUrl: mariadb.url });
    cleanups.push(() => server.close());
    const served = server.engine.catalog.release('wordpress', VERSION).archive;
    if (fs.realpathSync(served) !== fs.realpathSync(archive)) throw new Error(`Installgate uses ${served}, the baseline ${archive}: not the same archive`);

    const sitePort = await freePort();
    const site = `http://127.0.0.1:${sitePort}`;
    const home = path.join(settings.homes_root, OWNER);
    const docroot = path.join(home, 'public_html');
    fs.mkdirSync(docroot, { recursive: true });
    await server.engine.users.create({ actor: { kind: 'admin' } }, { id: OWNER, email: SITE.email, websites: [{ path: home, vhosts: { [site]: 'public_html' } }] });
    let phpServer: PhpServer | undefined;
    const startSite = async () => {
      phpServer = await startPhpServer({ docroot, port: sitePort });
      const s = phpServer;
      cleanups.push(() => s.stop());
    };
    if (serve) await startSite();

    const ctx: Ctx = { server, mariadb, archive, site, docroot, dbHost: `127.0.0.1:${mariadb.port}`, php, mariadbClient };
    const version = (await run(php, ['-r', 'echo PHP_VERSION;'])).stdout.trim();
    const dbVersion = (await mariadbQuery(mariadb, 'SELECT VERSION()')).trim();

    console.log(`WordPress ${VERSION} install: Installgate vs the same work by hand, ${runs} runs each, interleaved A B A B … (after 1 untimed warm-up each)`);
    console.log(`node ${process.version}, ${os.cpus().length} cores, PHP ${version}, MariaDB ${dbVersion} (private, 127.0.0.1:${mariadb.port}), archive ${path.basename(archive)} (${(release.size / 1e6).toFixed(1)} MB)`);
    const fsType = ({ 0xef53: 'ext4', 0x01021994: 'tmpfs', 0x9123683e: 'btrfs', 0x58465342: 'xfs', 0x794c7630: 'overlayfs' } as Record<number, string>)[fs.statfsSync(tmp).type] ?? `fs type 0x${fs.statfsSync(tmp).type.toString(16)}`;
    console.log(`temp dir ${tmp} (${fsType}): Installgate home, the website's docroot (both sides install there), MariaDB's datadir`);
    console.log(`website ${site} (${serve ? 'served by php -S during the runs' : 'nothing listening during the runs: the installer\'s permalink probe is refused on both sides'})`);
    console.log('A installgate: POST /browser/wordpress/install (v2, background=false) over HTTP to the in-process server, each into a fresh folder:');
    console.log('    preflight, task row, record, CREATE DATABASE/USER/GRANT (mysql2), sha256 check of the archive (remembered), safe extraction');
    console.log('    (node-tar parser, sync writer), credential/table checks, wp-config.php, php install.php (wp_install + plugins/themes), activity log');
    console.log('B baseline: by hand, each into a fresh folder: mkdir; tar xzf ARCHIVE -C DIR --strip-components=1 (the archive, as Installgate);');
    console.log('    mariadb --defaults-file=root.cnf < CREATE DATABASE + CREATE USER @% and @localhost + GRANT x2; write wp-config.php (same');
    console.log('    constants, fresh salts); php bench/php/wp-install-by-hand.php (wp_install headless, toolchain.md recipe)');
    console.log('');

    // Warm-up (page cache of the archive and of PHP's files, PHP version cache, first mysql2 connection): untimed.
    const wIg = await installgateOnce(ctx, 'ig-warmup');
    const wHand = await baselineOnce(ctx, 'hand-warmup', 0);
    await removeIg(ctx, wIg.install.id);
    await removeHand(ctx, wHand.install);

    const ig: number[] = [];
    const hand: number[] = [];
    const phases: BaselinePhases[] = [];
    let last: { ig: IgInstall; hand: HandInstall; n: number } | undefined;
    for (let n = 1; n <= runs; n++) {
      // Fairness on a real disk: the side that runs right after the removals paid for their writeback, so every
      // side starts after an untimed sync(1), and the order alternates from pair to pair.
      const igSide = async () => { await settleDisk(); return installgateOnce(ctx, `ig-${n}`); };
      const handSide = async () => { await settleDisk(); return baselineOnce(ctx, `hand-${n}`, n); };
      let a: Awaited<ReturnType<typeof installgateOnce>>;
      let b: Awaited<ReturnType<typeof baselineOnce>>;
      if (n % 2 === 1) { a = await igSide(); b = await handSide(); } else { b = await handSide(); a = await igSide(); }
      ig.push(a.ms);
      hand.push(b.ms);
      phases.push(b.phases);
      console.log(`run ${n}: installgate ${f0(a.ms)} ms   baseline ${f0(b.ms)} ms  (tar ${b.phases.tar.toFixed(0)}, sql ${b.phases.sql.toFixed(0)}, config ${b.phases.config.toFixed(1)}, php ${b.phases.php.toFixed(0)})   ratio ${(a.ms / b.ms).toFixed(2)}`);
      // Untimed: both sites are in their databases as asked; then both are removed (kept after the last run).
      await checkDb(ctx, a.install.db_name, `${site}/ig-${n}`);
      await checkDb(ctx, b.install.db_name, `${site}/hand-${n}`);
      if (n < runs) {
        await removeIg(ctx, a.install.id);
        await removeHand(ctx, b.install);
      } else {
        last = { ig: a.install, hand: b.install, n };
      }
    }

    const si = stats(ig);
    const sh = stats(hand);
    const row = (name: string, s: Stats) => console.log(`  ${name.padEnd(12)} mean ${f0(s.mean)} ms   median ${f0(s.median)} ms   min ${f0(s.min)} ms   max ${f0(s.max)} ms`);
    console.log('');
    row('installgate', si);
    row('baseline', sh);
    const rMedian = si.median / sh.median;
    const rMean = si.mean / sh.mean;
    console.log(`ratio installgate/baseline (median): ${rMedian.toFixed(2)} (target <= 1.3)${rMedian <= 1.3 ? '' : '  ABOVE TARGET'}`);
    console.log(`ratio installgate/baseline (mean):   ${rMean.toFixed(2)} (target <= 1.3)${rMean <= 1.3 ? '' : '  ABOVE TARGET'}`);
    console.log(`(for the noise: median of the ${runs} per-pair ratios ${median(ig.map((x, k) => x / hand[k]!)).toFixed(2)}, range ${Math.min(...ig.map((x, k) => x / hand[k]!)).toFixed(2)}..${Math.max(...ig.map((x, k) => x / hand[k]!)).toFixed(2)})`);

    // Untimed: the last pair, served, shows the site title on both sides.
    if (!phpServer) await startSite();
    for (const folder of [`ig-${last!.n}`, `hand-${last!.n}`]) {
      const page = await httpRequest(`${site}/${folder}/`, 'GET', undefined, 30_000);
      if (page.status !== 200 || !page.body.includes(`<title>${SITE.sitetitle}`)) throw new Error(`${site}/${folder}/: HTTP ${page.status}, no title "${SITE.sitetitle}"`);
    }
    console.log(`check: ${site}/ig-${last!.n}/ and ${site}/hand-${last!.n}/ both answer 200 with <title>${SITE.sitetitle} …`);
    await phpServer!.stop();
    await sleep(100);

    if (wantProfile || (rMedian > 1.3 && !flag('no-profile'))) await profile(ctx, Math.max(3, runs));
  };

  let failed = false;
  try {
    await withTimeout(work(), timeoutMs, 'benchmark');
  } catch (e) {
    failed = true;
    console.error(e);
  } finally {
    await cleanup();
  }
  process.exit(failed ? 1 : 0);
}

void main();
