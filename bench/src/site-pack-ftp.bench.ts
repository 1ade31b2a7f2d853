/**
 * Benchmark: backing up the files of a WordPress-sized website on another server over FTP, Installgate's packer
 * (`packArchive({ source: sitePackSource(site, dir) })`) against two baselines in one run, printing ratios of the
 * median wall time (target: pack/reads ≤ 2, pack-ftp/pack-sftp ≤ 2); times are shown only to explain them.
 *
 *   npx tsc -b && node bench/dist/site-pack-ftp.bench.js [--runs 3] [--tree DIR]
 *
 * - pack-ftp: packArchive of the tree over FtpSiteFs (vsftpd, testkit startRemoteWebsite), gzip level 1, output
 *   discarded (the bytes of the archive are not what is measured).
 * - reads-ftp (baseline): the same files read one after another with `site.read` over the same kind of connection,
 *   no packing: the floor of what FTP costs per file. Packing used to cost 8–30× this (each packed file closed its
 *   transfer connection, the next one logged in again), see ftp-download.ts.
 * - pack-sftp (baseline): the same packing over SftpSiteFs (OpenSSH's sshd), which never had that loss.
 *
 * The tree: `--tree DIR`, else Debian's WordPress (/usr/share/wordpress, `cp -rL`), copied into each website's home
 * and given to the test account. Each side opens its own connection (timed); runs alternate the sides after one
 * untimed warm-up of each.
 */
import * as childProcess from 'node:child_process';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { makeBackupRecord } from '@installgate/core';
import { packArchive, sitePackSource } from '@installgate/core/dist/archive';
import { openSiteFs, walkSiteTree, type SiteFs } from '@installgate/storage';
import { startRemoteWebsite, type RemoteWebsite } from '@installgate/testkit';
import { arg, median, now } from './bench-args';

const discard = () => new Writable({ write: (_c, _e, done) => done() });

async function withSite<T>(web: RemoteWebsite, fn: (site: SiteFs) => Promise<T>): Promise<T> {
  const site = await openSiteFs(web.uri);
  try {
    return await fn(site);
  } finally {
    await site.close();
  }
}

const pack = (web: RemoteWebsite) =>
  withSite(web, async (site) => {
    await packArchive({ source: sitePackSource(site, ''), files: ['wordpress'], exclude: [], meta: { record: makeBackupRecord(), createdBy: 'bench' }, out: discard(), level: 1 });
  });

const reads = (web: RemoteWebsite) =>
  withSite(web, async (site) => {
    for await (const { path: rel, entry } of walkSiteTree(site, 'wordpress')) {
      if (entry.type !== 'file') continue;
      const stream = await site.read(`wordpress/${rel}`);
      for await (const _ of stream) void _;
    }
  });

async function main(): Promise<void> {
  const runs = Number(arg('runs') ?? 3);
  const tree = path.resolve(arg('tree') ?? '/usr/share/wordpress');
  const webs: RemoteWebsite[] = [];
  try {
    const [ftp, sftp] = await Promise.all([startRemoteWebsite({ protocol: 'ftp', phpWorkers: 1 }), startRemoteWebsite({ protocol: 'sftp', phpWorkers: 1 })]);
    webs.push(ftp, sftp);
    for (const web of webs) {
      childProcess.execFileSync('cp', ['-rL', tree, path.join(web.home, 'wordpress')]);
      web.chownToAccount('wordpress');
    }
    const files = Number(childProcess.execFileSync('find', [path.join(ftp.home, 'wordpress'), '-type', 'f']).toString().split('\n').filter(Boolean).length);
    const sides = { 'pack-ftp': () => pack(ftp), 'reads-ftp': () => reads(ftp), 'pack-sftp': () => pack(sftp) };
    type Side = keyof typeof sides;
    const names = Object.keys(sides) as Side[];
    console.log(`tree: ${tree} (${files} files); ${runs} runs`);
    for (const side of names) await sides[side]();
    const ms: Record<Side, number[]> = { 'pack-ftp': [], 'reads-ftp': [], 'pack-sftp': [] };
    for (let i = 0; i < runs; i++) {
      const order = i % 2 ? [...names].reverse() : names;
      for (const side of order) {
        const t0 = now();
        await sides[side]();
        ms[side].push(now() - t0);
      }
      console.log(`run ${i + 1}: ${names.map((s) => `${s} ${ms[s].at(-1)!.toFixed(0)} ms`).join(', ')}`);
    }
    const m = (s: Side) => median(ms[s]);
    console.log(`median per file: ${names.map((s) => `${s} ${(m(s) / files).toFixed(2)} ms`).join(', ')}`);
    console.log(`RATIO pack-ftp/reads-ftp: ${(m('pack-ftp') / m('reads-ftp')).toFixed(2)} (target ≤ 2)`);
    console.log(`RATIO pack-ftp/pack-sftp: ${(m('pack-ftp') / m('pack-sftp')).toFixed(2)} (target ≤ 2)`);
  } finally {
    await Promise.all(webs.map((w) => w.stop()));
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
