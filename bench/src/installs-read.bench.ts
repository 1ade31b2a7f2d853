/**
 * Micro-benchmark: reading installs through v2 (REST) and through v1 (`cmd`) against the same server and the same
 * 1,000 stored installs, in one run. Prints the v1/v2 latency ratio (target ≤ 1.10) and requests per second.
 *
 *   bash scripts/bootstrap.sh && node bench/dist/installs-read.bench.js [--requests 2000]
 *
 * Requests are interleaved (v2, v1, v2, v1 …) over one keep-alive connection each, so drift of the machine hits
 * both sides alike.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { makeInstallRecord } from '@installgate/core';
import { createLogger, loadSettings, startServer } from '@installgate/server';

const KEY = 'bench-key-0123456789';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

function get(agent: http.Agent, port: number, urlPath: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const req = http.get({ host: '127.0.0.1', port, path: urlPath, agent, headers: { 'X-API-KEY': KEY } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => { body += c; });
      res.on('end', () => {
        if (!JSON.parse(body).result) return reject(new Error(`request failed: ${urlPath}: ${body.slice(0, 200)}`));
        resolve(Number(process.hrtime.bigint() - t0) / 1e6);
      });
    });
    req.on('error', reject);
  });
}

function stats(ms: number[]): { mean: number; median: number; p95: number; rps: number } {
  const s = [...ms].sort((a, b) => a - b);
  const sum = s.reduce((a, b) => a + b, 0);
  return { mean: sum / s.length, median: s[Math.floor(s.length / 2)]!, p95: s[Math.floor(s.length * 0.95)]!, rps: (s.length * 1000) / sum };
}

async function compare(name: string, port: number, n: number, v2Path: (i: number) => string, v1Path: (i: number) => string): Promise<number> {
  const a2 = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const a1 = new http.Agent({ keepAlive: true, maxSockets: 1 });
  for (let i = 0; i < Math.min(50, n); i++) { await get(a2, port, v2Path(i)); await get(a1, port, v1Path(i)); }
  const t2: number[] = [];
  const t1: number[] = [];
  for (let i = 0; i < n; i++) {
    t2.push(await get(a2, port, v2Path(i)));
    t1.push(await get(a1, port, v1Path(i)));
  }
  a1.destroy(); a2.destroy();
  const s2 = stats(t2);
  const s1 = stats(t1);
  const ratio = s1.mean / s2.mean;
  const f = (x: number) => x.toFixed(3);
  console.log(`${name}: ${n} requests each`);
  console.log(`  v2 REST  mean ${f(s2.mean)} ms  median ${f(s2.median)} ms  p95 ${f(s2.p95)} ms  ${s2.rps.toFixed(0)} req/s`);
  console.log(`  v1 cmd   mean ${f(s1.mean)} ms  median ${f(s1.median)} ms  p95 ${f(s1.p95)} ms  ${s1.rps.toFixed(0)} req/s`);
  console.log(`  ratio v1/v2 (mean latency): ${ratio.toFixed(3)}  (target <= 1.10)`);
  return ratio;
}

async function main(): Promise<void> {
  const n = arg('requests', 2000);
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'ig-bench-'));
  const settings = loadSettings({ INSTALLGATE_HOME: home, INSTALLGATE_API_KEY: KEY, INSTALLGATE_PORT: '0' });
  const running = await startServer(settings, createLogger(process.stderr, true));
  try {
    const ids: string[] = [];
    for (let u = 0; u < 10; u++) {
      await running.engine.users.create({ actor: { kind: 'admin' } }, { id: `user${u}`, websites: [{ vhosts: { [`http://site${u}.example`]: 'public_html' } }] });
    }
    for (let i = 0; i < 1000; i++) {
      const rec = makeInstallRecord({ user: `user${i % 10}`, url: `http://site${i % 10}.example/app${i}`, url_domain: `site${i % 10}.example`, title: `Site ${i}` });
      await running.engine.installs.insert(rec);
      ids.push(rec.id);
    }
    console.log(`Installgate read benchmark: 1,000 stored installs, node ${process.version}, ${os.cpus().length} cores`);
    const r1 = await compare('GET /installs/{id}  vs  cmd=view&id=…', running.port, n, (i) => `/installs/${ids[i % 1000]}`, (i) => `/?api=json&cmd=view&id=${ids[i % 1000]}`);
    const r2 = await compare('GET /installs (page of 50)  vs  cmd=installs', running.port, Math.max(50, Math.floor(n / 4)), () => '/installs', () => '/?api=json&cmd=installs');
    const r3 = await compare('GET /installs?limit=1000  vs  cmd=installs&limit=1000', running.port, Math.max(20, Math.floor(n / 40)), () => '/installs?limit=1000', () => '/?api=json&cmd=installs&limit=1000');
    console.log(`summary: ratios ${[r1, r2, r3].map((r) => r.toFixed(3)).join(', ')} (target <= 1.10)`);
  } finally {
    await running.close();
    fs.rmSync(home, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => { console.error(e); process.exit(1); });
