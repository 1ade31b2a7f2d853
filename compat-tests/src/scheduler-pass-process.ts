import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createEngine, openStore, type JobReport } from '@installgate/core';
import { loadSettings } from '@installgate/server';

/**
 * One scheduler pass in a process of its own, at a moment the caller chooses: an engine on the server's settings
 * (INSTALLGATE_HOME) with its clock fixed at PASS_NOW. It says "ready" once its engine is open, waits for the
 * file PASS_GO (so that two processes start their passes together), runs the pass and prints its reports as JSON.
 */
async function main(): Promise<void> {
  const now = Number(process.env.PASS_NOW);
  const go = process.env.PASS_GO!;
  const settings = loadSettings({ INSTALLGATE_HOME: process.env.INSTALLGATE_HOME! });
  const engine = await createEngine({
    db: openStore({ client: 'sqlite3', filename: settings.state_db }),
    settings: {
      admin: settings.admin, homesRoot: settings.homes_root, defaultAutoup: settings.default_autoup,
      appsDir: settings.apps_dir || undefined, mirrorDir: settings.mirror_dir || undefined, dbUrl: process.env.PASS_DB_URL, secretKey: settings.secret_key,
    },
    clock: () => now,
  });
  try {
    process.stdout.write('ready\n');
    while (!fs.existsSync(go)) await new Promise((r) => setTimeout(r, 5));
    const reports = await engine.apps.runScheduledJobs({ retrySeconds: 300 });
    process.stdout.write(`reports ${JSON.stringify(reports)}\n`);
  } finally {
    await engine.close();
  }
}

/** Starts this file's pass in a child process; resolves with its reports once `go` has been created and it ends. */
export function startPassProcess(env: Record<string, string>): { ready: Promise<void>; done: Promise<JobReport[]> } {
  const child = spawn(process.execPath, [path.join(__dirname, '..', 'dist', 'scheduler-pass-process.js')], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => { markReady = resolve; });
  child.stdout!.on('data', (c: Buffer) => { out += c.toString(); if (out.includes('ready\n')) markReady(); });
  child.stderr!.on('data', (c: Buffer) => { out += c.toString(); });
  const done = new Promise<JobReport[]>((resolve, reject) => {
    child.once('exit', (code) => {
      const m = /^reports (.*)$/m.exec(out);
      if (code === 0 && m) resolve(JSON.parse(m[1]!) as JobReport[]);
      else reject(new Error(`pass process exited with ${code}:\n${out}`));
    });
  });
  // A child that fails before "ready" must not leave the caller waiting on it.
  done.catch(() => markReady());
  return { ready, done };
}

if (require.main === module) {
  main().catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  });
}
