import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runMariaDbClient } from '@installgate/testkit';
import type { AppHarness } from './app-harness';

/**
 * Shared pieces of the install suites (install-errors, install-tasks, generic-apps): what "nothing was left
 * behind" means, waiting for tasks, a temp apps directory with changed requirements, holding MariaDB still.
 */

const APPS = path.resolve(__dirname, '..', '..', 'apps');

/** Every file and folder under `dir` (relative paths, folders with a trailing /, files with their size). */
export function tree(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (d: string, rel: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        out.push(`${r}/`);
        walk(path.join(d, e.name), r);
      } else {
        out.push(`${r} ${fs.statSync(path.join(d, e.name)).size}`);
      }
    }
  };
  walk(dir, '');
  return out;
}

/** What an install may leave behind: records, tasks, databases, database accounts, files of the website. */
export interface World {
  installs: string[];
  tasks: string[];
  databases: string[];
  dbUsers: string[];
  files: string[];
}

export async function world(h: AppHarness): Promise<World> {
  const installs = (await h.v2('get', '/installs?limit=1000').expect(200)).body.data.map((i: { id: string }) => i.id);
  const tasks = (await h.v2('get', '/tasks?limit=1000').expect(200)).body.data.map((t: { id: string; status: string }) => `${t.id} ${t.status}`);
  return {
    installs,
    tasks,
    databases: await h.sql('SHOW DATABASES'),
    dbUsers: await h.sql("SELECT CONCAT(User, '@', Host) FROM mysql.user ORDER BY 1"),
    files: tree(h.docroot),
  };
}

/** The tables (and views) of database `db`, sorted. */
export async function tablesOf(h: AppHarness, db: string): Promise<string[]> {
  return h.sql(`SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = '${db}' ORDER BY TABLE_NAME`);
}

export interface TaskView {
  id: string;
  status: string;
  cmd: string;
  install: string;
  user: string;
  url: string;
  title: string;
  label: string;
  message: string;
  percentMin: number;
  percentMax: number;
  errcode: string | null;
}

/** One task as GET /tasks shows it (v2), or undefined. */
export async function taskById(h: AppHarness, id: string): Promise<TaskView | undefined> {
  const r = await h.v2('get', '/tasks?limit=1000').expect(200);
  return (r.body.data as TaskView[]).find((t) => t.id === id);
}

/** Polls GET /tasks until the task is complete or failed; returns every distinct state seen and the last view. */
export async function waitForTask(h: AppHarness, id: string, timeoutMs = 30_000): Promise<{ task: TaskView; seen: TaskView[] }> {
  const seen: TaskView[] = [];
  const until = Date.now() + timeoutMs;
  for (;;) {
    const t = await taskById(h, id);
    if (t && (seen.length === 0 || JSON.stringify(seen[seen.length - 1]) !== JSON.stringify(t))) seen.push(t);
    if (t && (t.status === 'complete' || t.status === 'failed')) return { task: t, seen };
    if (Date.now() > until) throw new Error(`task ${id} did not finish in ${timeoutMs} ms: ${JSON.stringify(seen)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * A copy of the three manifests (apps/wordpress/manifest.json, apps/testapp-db.manifest.json,
 * apps/testapp-static.manifest.json) in a temp folder, each passed through `edit` first. The mirror stays the real
 * one, so the releases are real too.
 */
export function tempAppsDir(edit: { [app in 'wordpress' | 'testapp-db' | 'testapp-static']?: (m: ManifestJson) => void }): { dir: string; remove(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ig-temp-apps-'));
  const sources: Record<string, string> = {
    wordpress: path.join(APPS, 'wordpress', 'manifest.json'),
    'testapp-db': path.join(APPS, 'testapp-db.manifest.json'),
    'testapp-static': path.join(APPS, 'testapp-static.manifest.json'),
  };
  for (const [app, file] of Object.entries(sources)) {
    const m = JSON.parse(fs.readFileSync(file, 'utf8')) as ManifestJson;
    edit[app as keyof typeof edit]?.(m);
    const dest = app === 'wordpress' ? path.join(dir, 'wordpress', 'manifest.json') : path.join(dir, `${app}.manifest.json`);
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    fs.writeFileSync(dest, JSON.stringify(m, null, 2));
  }
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export interface ManifestJson {
  versions: { version: string; requirements: Record<string, string>; install: boolean }[];
  [member: string]: unknown;
}

/** The manifest version `v` (throws when missing, so a changed manifest cannot make a test pass vacuously). */
export function versionOf(m: ManifestJson, v: string): ManifestJson['versions'][number] {
  const found = m.versions.find((x) => x.version === v);
  if (!found) throw new Error(`no version ${v} in the manifest`);
  return found;
}

/**
 * Holds MariaDB's global read lock (FLUSH TABLES WITH READ LOCK) for `seconds` from a client session of its own:
 * every CREATE DATABASE, CREATE USER and CREATE TABLE waits meanwhile, so an install task stays `processing` at its
 * database step long enough to be watched. Resolves once the lock is held; `released` resolves when it is gone.
 */
export async function holdDatabaseStill(h: AppHarness, seconds: number): Promise<{ released: Promise<void> }> {
  const marker = `installgate_hold_${Date.now()}`;
  const released = runMariaDbClient(h.mariadb.defaultsFile, `FLUSH TABLES WITH READ LOCK; SELECT SLEEP(${seconds}) AS ${marker};`).then((r) => {
    if (r.code !== 0) throw new Error(`holding the read lock failed: ${r.stderr}`);
  });
  for (let i = 0; i < 100; i++) {
    const n = await h.sql(`SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE '%AS ${marker}%' AND INFO NOT LIKE '%PROCESSLIST%'`);
    if (n[0] === '1') return { released };
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the read lock was not taken in 5 s');
}

/** The page a website answers at `url` (status and body). */
export async function fetchPage(url: string): Promise<{ status: number; body: string }> {
  const res = await fetch(url, { signal: AbortSignal.timeout(20_000) });
  return { status: res.status, body: await res.text() };
}
