/**
 * Benchmark: installing WordPress on a website on another server (reached over SFTP, and over FTP) against the same
 * install on a website of this server, in one run, through the real server (v2 API). Prints the ratio remote/local
 * of the median (and mean) wall time; times are shown only to explain it.
 *
 *   npx tsc -b && node bench/dist/remote-install.bench.js [--runs 5] [--no-ftp] [--timeout-min 30]
 *
 * Needs root (the remote website fixture runs sshd/vsftpd and php -S as the unprivileged test account).
 *
 * Shared by every side: the server started in this process (startServer) with one private MariaDB, the release
 * mirror's WordPress 6.5.5 archive, the same install request. Each side's website is served by `php -S` during
 * the runs (the remote install runs WordPress's installer over HTTP; the local one runs it under PHP CLI, and its
 * permalink probe then loads a real site too):
 * - local: a website whose home is a folder of this machine (the server extracts the release into it);
 * - sftp / ftp: testkit's startRemoteWebsite on loopback (Debian's sshd or vsftpd, the home owned by the test
 *   account): the server unpacks the release here, uploads it and runs the installer through a one-time helper.
 * Loopback takes the network's latency out: the ratio is the protocol's and Installgate's own cost.
 *
 * Each run installs into a fresh folder on every side, timed from sending POST /browser/wordpress/install
 * (foreground) to the end of the answer. After one untimed warm-up per side, the order of the sides rotates from run
 * to run (local sftp ftp, sftp ftp local, …) and every side starts after an untimed sync(1). Between runs (untimed)
 * each install's title is checked in its database and the install is removed through DELETE /installs/{id}.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { createLogger, loadSettings, startServer, type RunningServer } from '@installgate/server';
import { ensureMirror, mariadbQuery, startMariaDb, startPhpServer, startRemoteWebsite, type MariaDbServer, type RemoteWebsite } from '@installgate/testkit';
import { settleDisk } from './settle-disk';

const KEY = 'bench-key-0123456789';
const VERSION = '6.5.5';
const SITE = { sitetitle: 'Remote Benchmark Blog', login: 'bench_admin', email: 'bench@example.test', passwd: 'Bench-Pa55-word!' };
const INSTALL_TIMEOUT_MS = 300_000;

type SideName = 'local' | 'sftp' | 'ftp';

interface Side {
  name: SideName;
  user: string;
  /** The URL the website serves (no trailing slash). */
  siteUrl: string;
}

const arg = (name: string) => { const i = process.argv.indexOf(`--${name}`); return i >= 0 ? process.argv[i + 1] : undefined; };
const flag = (name: string) => process.argv.includes(`--${name}`);
const now = () => Number(process.hrtime.bigint()) / 1e6;

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const median = (xs: number[]) => { const s = sorted(xs); const m = Math.floor(s.length / 2); return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2; };
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const f0 = (x: number) => x.toFixed(0).padStart(6);

/** One v2 request on a fresh connection, bounded in time; the answer's JSON. */
function api(server: RunningServer, method: string, url: string, body?: unknown): Promise<{ status: number; json: { result?: boolean; data?: { id: string; db_name: string; version: string; incomplete: boolean }; message?: string } }> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(`${server.url}${url}`, {
      method, agent: false,
      headers: { 'X-API-KEY': KEY, ...(data ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(data) } : {}) },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => { try { resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString('utf8')) }); } catch (e) { reject(e); } });
      res.on('error', reject);
    });
    req.setTimeout(INSTALL_TIMEOUT_MS, () => req.destroy(new Error(`${method} ${url}: no answer within ${INSTALL_TIMEOUT_MS} ms`)));
    req.on('error', reject);
    req.end(data);
  });
}

/** One timed install of `side` into `folder`; the record's id and database. */
async function installOnce(server: RunningServer, side: Side, folder: string): Promise<{ ms: number; id: string; db: string }> {
  const t0 = now();
  const r = await api(server, 'POST', '/browser/wordpress/install', { url: `${side.siteUrl}/${folder}`, user: side.user, version: VERSION, ...SITE });
  const ms = now() - t0;
  const d = r.json.data;
  if (r.status !== 200 || !r.json.result || !d || d.version !== VERSION || d.incomplete) throw new Error(`${side.name} install into ${folder} failed: HTTP ${r.status} ${JSON.stringify(r.json).slice(0, 500)}`);
  return { ms, id: d.id, db: d.db_name };
}

/** Untimed: the title is in the install's database, then the install is removed. */
async function checkAndRemove(server: RunningServer, mariadb: MariaDbServer, side: Side, inst: { id: string; db: string }): Promise<void> {
  const title = (await mariadbQuery(mariadb, "SELECT option_value FROM wp_options WHERE option_name = 'blogname'", { database: inst.db })).trim();
  if (title !== SITE.sitetitle) throw new Error(`${side.name}: database ${inst.db} has the title ${JSON.stringify(title)}`);
  const r = await api(server, 'DELETE', `/installs/${inst.id}`);
  if (r.status !== 200 || !r.json.result) throw new Error(`${side.name}: uninstall ${inst.id}: HTTP ${r.status} ${JSON.stringify(r.json).slice(0, 300)}`);
}

async function main(): Promise<void> {
  const runs = Math.max(1, Number(arg('runs') ?? 5));
  const timeoutMs = Number(arg('timeout-min') ?? 30) * 60_000;
  if (!Number.isFinite(runs) || !Number.isFinite(timeoutMs)) throw new Error('usage: remote-install.bench.js [--runs N] [--no-ftp] [--timeout-min M]');
  const names: SideName[] = flag('no-ftp') ? ['local', 'sftp'] : ['local', 'sftp', 'ftp'];
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ig-remotebench-'));
  // Run in reverse at the end: websites, php -S, the server, MariaDB, the temp dir.
  const cleanups: (() => Promise<unknown>)[] = [async () => fs.rmSync(tmp, { recursive: true, force: true })];
  const cleanup = async () => {
    for (const c of cleanups.reverse()) await c().catch((e: unknown) => console.error(`cleanup: ${(e as Error).message}`));
    cleanups.length = 0;
  };
  const onSignal = () => { void cleanup().then(() => process.exit(130)); };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const work = async () => {
    const mariadb = await startMariaDb({ dir: path.join(tmp, 'mariadb') });
    cleanups.push(() => mariadb.stop());
    await ensureMirror();
    const settings = loadSettings({ INSTALLGATE_HOME: path.join(tmp, 'home'), INSTALLGATE_API_KEY: KEY, INSTALLGATE_PORT: '0' });
    const server = await startServer(settings, createLogger(process.stderr, true), { dbUrl: mariadb.url });
    cleanups.push(() => server.close());

    const sides: Side[] = [];
    for (const name of names) {
      const user = `bench_${name}`;
      let home: string;
      let siteUrl: string;
      let vhosts: Record<string, string>;
      if (name === 'local') {
        home = path.join(settings.homes_root, user);
        fs.mkdirSync(path.join(home, 'public_html'), { recursive: true });
        const php = await startPhpServer({ docroot: path.join(home, 'public_html') });
        cleanups.push(() => php.stop());
        siteUrl = php.url;
        vhosts = { [php.url]: 'public_html' };
      } else {
        const site: RemoteWebsite = await startRemoteWebsite({ protocol: name });
        cleanups.push(() => site.stop());
        home = site.uri;
        siteUrl = site.siteUrl;
        vhosts = site.vhosts;
      }
      await server.engine.users.create({ actor: { kind: 'admin' } }, { id: user, email: SITE.email, websites: [{ path: home, vhosts }] });
      sides.push({ name, user, siteUrl });
    }

    console.log(`WordPress ${VERSION} install through Installgate (v2, foreground): website on another server vs on this one, ${runs} runs, sides rotating (after 1 untimed warm-up each)`);
    console.log(`node ${process.version}, ${os.cpus().length} cores, load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}; sides: ${sides.map((s) => `${s.name} ${s.siteUrl}`).join(', ')}`);
    console.log('local: release extracted into the home, installer under PHP CLI | sftp/ftp: unpacked here, uploaded (loopback), installer over HTTP through a one-time helper');
    console.log('');

    for (const side of sides) await checkAndRemove(server, mariadb, side, await installOnce(server, side, 'warmup'));

    const times: Record<SideName, number[]> = { local: [], sftp: [], ftp: [] };
    for (let n = 1; n <= runs; n++) {
      const order = sides.map((_, k) => sides[(k + n - 1) % sides.length]!);
      const done: { side: Side; id: string; db: string }[] = [];
      for (const side of order) {
        await settleDisk();
        const r = await installOnce(server, side, `run-${n}`);
        times[side.name].push(r.ms);
        done.push({ side, ...r });
      }
      const local = times.local[n - 1]!;
      console.log(`run ${n} (${order.map((s) => s.name).join(' ')}): ${sides.map((s) => `${s.name} ${f0(times[s.name][n - 1]!)} ms`).join('   ')}   ` +
        sides.filter((s) => s.name !== 'local').map((s) => `${s.name}/local ${(times[s.name][n - 1]! / local).toFixed(2)}`).join('  '));
      for (const d of done) await checkAndRemove(server, mariadb, d.side, d);
    }

    console.log('');
    for (const s of sides) {
      const t = times[s.name];
      console.log(`  ${s.name.padEnd(6)} median ${f0(median(t))} ms   mean ${f0(mean(t))} ms   min ${f0(Math.min(...t))} ms   max ${f0(Math.max(...t))} ms`);
    }
    for (const s of sides.filter((x) => x.name !== 'local')) {
      const perRun = times[s.name].map((x, k) => x / times.local[k]!);
      console.log(`ratio ${s.name}/local: median ${(median(times[s.name]) / median(times.local)).toFixed(2)}   mean ${(mean(times[s.name]) / mean(times.local)).toFixed(2)}` +
        `   (per-run ratios: median ${median(perRun).toFixed(2)}, range ${Math.min(...perRun).toFixed(2)}..${Math.max(...perRun).toFixed(2)})`);
    }
  };

  let failed = false;
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([work(), new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`benchmark: no result within ${timeoutMs} ms`)), timeoutMs); })]);
  } catch (e) {
    failed = true;
    console.error(e);
  } finally {
    clearTimeout(timer);
    await cleanup();
  }
  process.exit(failed ? 1 : 0);
}

void main();
