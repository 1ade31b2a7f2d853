/**
 * Benchmark: uploading a WordPress-sized tree to a website on another server over SFTP, Installgate's SftpSiteFs
 * (`uploadTree`) against OpenSSH's own `scp -r`, in one run. Prints the ratio installgate/scp of the median (and
 * mean) wall time (target ≤ 1.5); times are shown only to explain it.
 *
 *   npx tsc -b && node bench/dist/site-fs-upload.bench.js [--runs 5] [--tree DIR] [--dir TMPROOT]
 *
 * Shared by both sides: one Debian sshd (testkit startRemoteWebsite, running as the unprivileged test account), the
 * same ed25519 key, the same tree: `--tree DIR`, else Debian's WordPress (/usr/share/wordpress, copied with
 * `cp -rL` since the package links into /etc and /usr/share/javascript), else the mirror's newest WordPress
 * archive unpacked. Each side connects, logs in and uploads into a fresh folder of the home, so connection setup
 * is timed on both. Runs are paired after one untimed warm-up of each side, the order within a pair alternating;
 * between runs (untimed) both uploads are checked (same file count and bytes as the tree) and removed.
 *
 * - Installgate (A): `openSiteFs('ssh://user:public-key@…', { sshPrivateKeyPath })`, `uploadTree`, `close`.
 * - Baseline (B): `scp -r -q -i KEY` (OpenSSH 9 scp speaks SFTP too), host key checking off.
 */
import * as childProcess from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openSiteFs, uploadTree } from '@installgate/storage';
import { ensureMirror, readMirrorReleases, startRemoteWebsite, type RemoteWebsite } from '@installgate/testkit';
import { arg, mean, median, now } from './bench-args';

const COMMAND_TIMEOUT_MS = 300_000;

/** Runs a command (no shell); rejects on a non-zero exit or after COMMAND_TIMEOUT_MS (killed by PID). */
function run(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = childProcess.spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const timer = setTimeout(() => child.pid && process.kill(child.pid, 'SIGKILL'), COMMAND_TIMEOUT_MS);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`${cmd} ${args.join(' ')}: exit ${code}: ${stderr.trim().slice(-500)}`));
    });
  });
}

/** Files and their total bytes below `dir` (symlinks not followed). */
function tally(dir: string): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) {
        files++;
        bytes += fs.statSync(p).size;
      }
    }
  };
  walk(dir);
  return { files, bytes };
}

/** The tree to upload, in `tmp`: see the header. */
async function makeTree(tmp: string): Promise<string> {
  const given = arg('tree');
  if (given) return path.resolve(given);
  const tree = path.join(tmp, 'wordpress');
  if (fs.existsSync('/usr/share/wordpress/wp-includes')) {
    await run('cp', ['-rL', '/usr/share/wordpress', tree]);
    return tree;
  }
  const mirror = await ensureMirror();
  const release = readMirrorReleases(mirror, 'wordpress').releases.at(-1);
  if (!release) throw new Error('no WordPress release in the mirror');
  fs.mkdirSync(tree);
  await run('tar', ['xzf', path.join(mirror, 'wordpress', release.archive), '-C', tree, '--strip-components=1']);
  return tree;
}

interface Ctx { web: RemoteWebsite; keyFile: string; tree: string; expected: { files: number; bytes: number } }

const sides = {
  async installgate(ctx: Ctx, folder: string): Promise<void> {
    const { web } = ctx;
    const site = await openSiteFs(`ssh://${web.username}:public-key@127.0.0.1:${web.port}${web.remoteHome}`, { sshPrivateKeyPath: ctx.keyFile });
    try {
      await uploadTree(ctx.tree, site, folder);
    } finally {
      await site.close();
    }
  },
  async scp(ctx: Ctx, folder: string): Promise<void> {
    const { web } = ctx;
    const ssh = ['-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'LogLevel=ERROR', '-o', 'BatchMode=yes'];
    await run('scp', ['-r', '-q', '-i', ctx.keyFile, ...ssh, '-P', String(web.port), ctx.tree, `${web.username}@127.0.0.1:${web.home}/${folder}`]);
  },
};
type Side = keyof typeof sides;

/** One timed upload into a fresh folder, checked and removed afterwards (untimed). */
async function timed(ctx: Ctx, side: Side, n: number): Promise<number> {
  const folder = `${side}-${n}`;
  const t0 = now();
  await sides[side](ctx, folder);
  const ms = now() - t0;
  const got = tally(path.join(ctx.web.home, folder));
  if (got.files !== ctx.expected.files || got.bytes !== ctx.expected.bytes) {
    throw new Error(`${side}: uploaded ${JSON.stringify(got)}, expected ${JSON.stringify(ctx.expected)}`);
  }
  fs.rmSync(path.join(ctx.web.home, folder), { recursive: true, force: true });
  return ms;
}

async function main(): Promise<void> {
  const runs = Number(arg('runs') ?? 5);
  const tmp = fs.mkdtempSync(path.join(arg('dir') ?? os.tmpdir(), 'ig-bench-sitefs-'));
  let web: RemoteWebsite | undefined;
  try {
    const tree = await makeTree(tmp);
    const expected = tally(tree);
    web = await startRemoteWebsite({ protocol: 'sftp', phpWorkers: 1 });
    const keyFile = path.join(tmp, 'id_ed25519');
    fs.writeFileSync(keyFile, web.privateKey, { mode: 0o600 });
    const ctx: Ctx = { web, keyFile, tree, expected };
    console.log(`tree: ${tree} (${expected.files} files, ${(expected.bytes / 1048576).toFixed(1)} MiB); sshd ${web.host}:${web.port}; ${runs} paired runs`);
    await timed(ctx, 'installgate', 0);
    await timed(ctx, 'scp', 0);
    const ms: Record<Side, number[]> = { installgate: [], scp: [] };
    for (let i = 1; i <= runs; i++) {
      const order: Side[] = i % 2 ? ['installgate', 'scp'] : ['scp', 'installgate'];
      for (const side of order) ms[side].push(await timed(ctx, side, i));
      console.log(`run ${i}: installgate ${ms.installgate.at(-1)!.toFixed(0)} ms, scp ${ms.scp.at(-1)!.toFixed(0)} ms`);
    }
    const ratio = median(ms.installgate) / median(ms.scp);
    console.log(`median: installgate ${median(ms.installgate).toFixed(0)} ms, scp ${median(ms.scp).toFixed(0)} ms`);
    console.log(`RATIO installgate/scp: median ${ratio.toFixed(2)}, mean ${(mean(ms.installgate) / mean(ms.scp)).toFixed(2)} (target ≤ 1.5)`);
  } finally {
    await web?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
