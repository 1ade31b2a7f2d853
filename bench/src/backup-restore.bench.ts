/**
 * Benchmark: backing up and restoring a generated WordPress site through Installgate against the standard tools
 * doing the same work by hand, in one run. Prints ratios (Installgate / baseline) of wall time, and the server's
 * peak RSS during them, for a site and for the same site doubled (memory must stay flat). Targets: backup ≤ 1.2, restore
 * ≤ 1.3, peak RSS < 150 MB.
 *
 *   npx tsc -b && node bench/dist/backup-restore.bench.js [--size-mb 500] [--rows 200000] [--runs 1] [--dir TMPROOT]
 *
 * For each size (S, then 2·S with twice the rows): a fresh server process (packages/server/dist/start.js) on a
 * private MariaDB; WordPress installed through the API; generated uploads under wp-content/uploads (60 % text-like
 * files of 8–256 KiB, 40 % incompressible "media" of 1–4 MiB) and a table `wp_bench_rows` (id, title, body ~200
 * bytes, a 64-byte BLOB) filled by MariaDB's sequence engine.
 *
 * - Backup, Installgate: `POST /installs/{id}/backup` to the `local` location (foreground), request to answer.
 *   Baseline: `mariadb-dump --single-transaction --quick --hex-blob` of the same tables to a file, then
 *   `tar czf` of the site folder and that dump, in the same filesystem.
 * - Restore, Installgate: `POST /backups/{id}/restore` in place (verify the archive, unpack beside, load the tables
 *   under a temporary prefix, check rows and sizes, swap). Baseline: `tar xzf` into an empty folder, then the dump
 *   through `mariadb` into an empty database.
 * Runs alternate Installgate, baseline; each timed side starts after an untimed sync(1). Peak RSS is the server process's VmHWM (Linux), reset (clear_refs) after the
 * install and read after the runs, so it is the peak of backups and restores; the server is restarted per size. Everything lives under one temp directory and is
 * removed at the end; processes are stopped by PID.
 */
import * as childProcess from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ensureMirror, freePort, mariadbQuery, requireMariaDbBinaries, startMariaDb, type MariaDbServer } from '@installgate/testkit';
import { settleDisk } from './settle-disk';

const KEY = 'bench-backup-key-0123456789';
const START_JS = path.resolve(__dirname, '..', '..', 'packages', 'server', 'dist', 'start.js');
const OP_TIMEOUT_MS = 30 * 60_000;

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : fallback;
}
const now = () => Number(process.hrtime.bigint()) / 1e6;

function run(cmd: string, args: string[], opts: { cwd?: string; stdin?: string; stdout?: string } = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    const out = opts.stdout ? fs.openSync(opts.stdout, 'w') : 'ignore';
    const inp = opts.stdin ? fs.openSync(opts.stdin, 'r') : 'ignore';
    const child = childProcess.spawn(cmd, args, { cwd: opts.cwd, stdio: [inp, out, 'pipe'] });
    let err = '';
    child.stderr!.on('data', (c: Buffer) => { err += c.toString(); });
    child.on('error', reject);
    child.on('close', (code) => {
      if (typeof out === 'number') fs.closeSync(out);
      if (typeof inp === 'number') fs.closeSync(inp);
      if (code === 0) resolve();
      else reject(new Error(`${cmd} ${args.join(' ')} exited ${code}: ${err.slice(0, 500)}`));
    });
  });
}

async function api(base: string, method: string, url: string, body?: unknown): Promise<any> {
  const res = await fetch(`${base}${url}`, {
    method, headers: { 'X-API-KEY': KEY, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(OP_TIMEOUT_MS),
  });
  const json = (await res.json()) as { result: boolean; errcode: string | null; message: string };
  if (!json.result) throw new Error(`${method} ${url}: ${json.errcode} ${json.message}`);
  return json;
}

interface Server { url: string; pid: number; stop(): Promise<void> }

/** The malloc settings scripts/start.sh gives the server (see the comment there). */
const SERVER_MALLOC_ENV = { MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '131072' };

async function startServer(env: Record<string, string>): Promise<Server> {
  // As scripts/start.sh runs the server (its malloc settings included), so the memory measured is production's.
  const child = childProcess.spawn(process.execPath, [START_JS], { env: { ...SERVER_MALLOC_ENV, ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => { out += c.toString(); });
  child.stderr!.on('data', (c: Buffer) => { out += c.toString(); });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 120_000);
    child.stdout!.on('data', () => {
      const m = /Installgate listening on (http:\/\/\S+)/.exec(out);
      if (m) { clearTimeout(timer); resolve(m[1]!); }
    });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited ${code}:\n${out}`)); });
  });
  return {
    url,
    pid: child.pid!,
    stop: () => new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    }),
  };
}

/** Resets a process's peak resident set (Linux: writing 5 to clear_refs), so the next peak is this phase's own. */
function resetPeakRss(pid: number): void {
  fs.writeFileSync(`/proc/${pid}/clear_refs`, '5');
}

/** Peak resident set of a process (VmHWM), MiB. */
function peakRssMiB(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** Resident set of a process now (VmRSS), MiB. */
function currentRssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** Writes `totalMiB` of generated uploads: 60 % text-like, 40 % incompressible. */
function generateUploads(dir: string, totalMiB: number): { files: number; bytes: number } {
  fs.mkdirSync(dir, { recursive: true });
  const words = ['lorem', 'ipsum', 'dolor', 'sit', 'amet', 'installgate', 'backup', 'restore', 'journal', 'article', 'summer', 'garden'];
  let bytes = 0;
  let files = 0;
  const target = totalMiB * 1024 * 1024;
  while (bytes < target) {
    const sub = path.join(dir, String(2000 + (files % 20)), String((files % 12) + 1).padStart(2, '0'));
    fs.mkdirSync(sub, { recursive: true });
    let data: Buffer;
    if (files % 5 < 3) {
      const size = 8192 + ((files * 7919) % (248 * 1024));
      const parts: string[] = [];
      let n = 0;
      while (n < size) { const w = `${words[(n * 31 + files) % words.length]} ${randomBytes(3).toString('hex')} `; parts.push(w); n += w.length; }
      data = Buffer.from(parts.join('').slice(0, size));
      fs.writeFileSync(path.join(sub, `post-${files}.html`), data);
    } else {
      data = randomBytes((1 + (files % 4)) * 1024 * 1024);
      fs.writeFileSync(path.join(sub, `media-${files}.jpg`), data);
    }
    bytes += data.length;
    files++;
  }
  return { files, bytes };
}

interface Result { size: number; rows: number; backup: number[]; tarDump: number[]; restore: number[]; untarLoad: number[]; rss: number; rssBefore: number; rssIdle: number; archiveMiB: number }

async function benchSize(root: string, maria: MariaDbServer, mirror: string, sizeMiB: number, rows: number, runs: number): Promise<Result> {
  const dir = fs.mkdtempSync(path.join(root, `size-${sizeMiB}-`));
  const server = await startServer({
    INSTALLGATE_HOME: path.join(dir, 'home'), INSTALLGATE_PORT: String(await freePort()), INSTALLGATE_API_KEY: KEY,
    INSTALLGATE_DB_URL: maria.url, INSTALLGATE_MIRROR_DIR: mirror,
  });
  try {
    const site = `http://127.0.0.1:${await freePort()}`;
    await api(server.url, 'POST', '/users', { id: 'bench', websites: [{ vhosts: { [site]: 'public_html' } }] });
    const install = (await api(server.url, 'POST', '/browser/wordpress/install', { user: 'bench', url: `${site}/site`, sitetitle: 'Bench Site' })).data;
    const gen = generateUploads(path.join(install.path, 'wp-content', 'uploads'), sizeMiB);
    await mariadbQuery(maria, `CREATE TABLE wp_bench_rows (id INT PRIMARY KEY, title VARCHAR(100), body TEXT, data BLOB) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
      INSERT INTO wp_bench_rows SELECT seq, CONCAT('Row ', seq, ' 🎉'), REPEAT(CONCAT('body of row ', seq, ' '), 10), RANDOM_BYTES(64) FROM seq_1_to_${rows};`, { database: install.db_name });
    const tables = (await mariadbQuery(maria, `SHOW TABLES LIKE 'wp\\_%'`, { database: install.db_name })).split('\n').filter(Boolean);
    console.log(`  site: ${gen.files} generated files, ${(gen.bytes / 1048576).toFixed(0)} MiB of uploads + WordPress; ${rows} rows in wp_bench_rows; ${tables.length} tables`);

    const base = path.join(dir, 'baseline');
    fs.mkdirSync(base);
    const cnf = maria.defaultsFile;
    const r: Result = { size: sizeMiB, rows, backup: [], tarDump: [], restore: [], untarLoad: [], rss: 0, rssBefore: peakRssMiB(server.pid), rssIdle: 0, archiveMiB: 0 };
    // The peak that counts is that of backups and restores, not of the start or the WordPress install before them.
    resetPeakRss(server.pid);
    r.rssIdle = currentRssMiB(server.pid);
    for (let i = 0; i < runs; i++) {
      await settleDisk();
      let t = now();
      const b = (await api(server.url, 'POST', `/installs/${install.id}/backup`, { user: 'bench' })).data;
      r.backup.push(now() - t);
      r.archiveMiB = fs.statSync(path.join(dir, 'home', 'homes', 'bench', 'application_backups', b.backup_filename)).size / 1048576;

      await settleDisk();
      t = now();
      await run('mariadb-dump', [`--defaults-file=${cnf}`, '--single-transaction', '--quick', '--hex-blob', '--default-character-set=utf8mb4', install.db_name, ...tables], { stdout: path.join(install.path, 'dump.sql') });
      await run('tar', ['czf', path.join(base, 'site.tar.gz'), '-C', install.path, '.']);
      r.tarDump.push(now() - t);
      fs.rmSync(path.join(install.path, 'dump.sql'));

      await settleDisk();
      t = now();
      await api(server.url, 'POST', `/backups/${b.id}/restore`, { user: 'bench' });
      r.restore.push(now() - t);

      const into = path.join(base, `restored-${i}`);
      fs.mkdirSync(into);
      await mariadbQuery(maria, `CREATE DATABASE bench_restore_${i}`);
      await settleDisk();
      t = now();
      await run('tar', ['xzf', path.join(base, 'site.tar.gz'), '-C', into]);
      await run('mariadb', [`--defaults-file=${cnf}`, `bench_restore_${i}`], { stdin: path.join(into, 'dump.sql') });
      r.untarLoad.push(now() - t);
      fs.rmSync(into, { recursive: true, force: true });
      fs.rmSync(path.join(base, 'site.tar.gz'));
      await mariadbQuery(maria, `DROP DATABASE bench_restore_${i}`);
      await api(server.url, 'DELETE', `/backups/${b.id}?user=bench`);
    }
    r.rss = peakRssMiB(server.pid);
    return r;
  } finally {
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const median = (a: number[]) => { const s = [...a].sort((x, y) => x - y); const m = Math.floor(s.length / 2); return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2; };

async function main(): Promise<void> {
  requireMariaDbBinaries();
  const size = Number(arg('size-mb', '500'));
  const rows = Number(arg('rows', '200000'));
  const runs = Number(arg('runs', '1'));
  const root = fs.mkdtempSync(path.join(arg('dir', os.tmpdir()), 'ig-bench-backup-'));
  const maria = await startMariaDb({ dir: path.join(root, 'mariadb') });
  try {
    const mirror = await ensureMirror();
    const results: Result[] = [];
    for (const [s, n] of [[size, rows], [size * 2, rows * 2]] as const) {
      console.log(`size ${s} MiB, ${n} rows:`);
      const r = await benchSize(root, maria, mirror, s, n, runs);
      results.push(r);
      const f = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
      console.log(`  backup  ratio ${(median(r.backup) / median(r.tarDump)).toFixed(2)}  (Installgate ${f(median(r.backup))} vs mariadb-dump + tar czf ${f(median(r.tarDump))}; archive ${r.archiveMiB.toFixed(0)} MiB)`);
      console.log(`  restore ratio ${(median(r.restore) / median(r.untarLoad)).toFixed(2)}  (Installgate ${f(median(r.restore))} vs tar xzf + mariadb ${f(median(r.untarLoad))})`);
      console.log(`  server peak RSS during backups and restores ${r.rss.toFixed(0)} MiB (resident before them ${r.rssIdle.toFixed(0)} MiB; the start and the WordPress install peaked at ${r.rssBefore.toFixed(0)} MiB)`);
    }
    const [a, b] = results as [Result, Result];
    console.log(`peak RSS at 2x the site: ${(b.rss / a.rss).toFixed(2)}x (${a.rss.toFixed(0)} → ${b.rss.toFixed(0)} MiB); targets: backup ≤ 1.2, restore ≤ 1.3, RSS < 150 MiB and flat`);
  } finally {
    await maria.stop();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
