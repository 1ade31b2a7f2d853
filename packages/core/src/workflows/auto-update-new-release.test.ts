import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ADMIN_SCOPE } from '../access/actor';
import { createTempApps, sampleManifest, type TempApps } from '../applications/temp-apps';
import { openStore } from '../db/connect';
import { createEngine } from '../create-engine';
import { DEFAULT_ENGINE_SETTINGS } from '../engine-settings';
import { makeInstallRecord } from '../testing/fixtures';
import { createTempEngine, TEMP_ENGINE_START, type TempEngine } from '../testing/temp-engine';
import { AUTOUP_HOLD_OFF_SECONDS } from './auto-update';

/**
 * The 3-try stop belongs to one target release: after 3 failed automatic updates to a broken 1.0.1 (its files say
 * another version, so the update's check fails and swaps back) nothing more is tried, until the catalog gets 1.0.2;
 * then the count starts over and the new release is installed. Static application (no database), real archives.
 */
jest.setTimeout(120_000);

const HOUR = 3600;
const HOLD = AUTOUP_HOLD_OFF_SECONDS;
const PASS = { retrySeconds: 300 };
const MANIFEST = { driver: 'static-installer', db: 'none', default_prefix: '', link_admin: '' };
let apps: TempApps;
let t: TempEngine;
let dir: string;
let id: string;

/** Repacks the archive of `version` with a VERSION file that says `says`, and fixes its checksum in releases.json. */
function mislabel(version: string, says: string): void {
  const archive = path.join(apps.mirrorDir, 'site', `site-${version}.tar.gz`);
  const work = fs.mkdtempSync(path.join(apps.root, 'repack-'));
  execFileSync('tar', ['-xzf', archive, '-C', work]);
  fs.writeFileSync(path.join(work, 'site', 'VERSION'), `${says}\n`);
  execFileSync('tar', ['-czf', archive, '-C', work, 'site']);
  const bytes = fs.readFileSync(archive);
  const file = path.join(apps.mirrorDir, 'site', 'releases.json');
  const releases = JSON.parse(fs.readFileSync(file, 'utf8'));
  Object.assign(releases.releases.find((r: { version: string }) => r.version === version), { sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length });
  fs.writeFileSync(file, JSON.stringify(releases, null, 2));
}

beforeAll(async () => {
  apps = createTempApps();
  apps.writeManifest(sampleManifest('site', [['1.0.1'], ['1.0.0']], MANIFEST));
  for (const v of ['1.0.0', '1.0.1']) apps.addArchive('site', v);
  mislabel('1.0.1', '1.0.9');
  t = await createTempEngine({ settings: { appsDir: apps.appsDir, mirrorDir: apps.mirrorDir, homesRoot: path.join(apps.root, 'home') } });
  const home = path.join(apps.root, 'home', 'u1');
  dir = path.join(home, 'public_html', 'site');
  fs.mkdirSync(dir, { recursive: true });
  execFileSync('tar', ['-xzf', path.join(apps.mirrorDir, 'site', 'site-1.0.0.tar.gz'), '--strip-components=1', '-C', dir]);
  await t.engine.users.create(ADMIN_SCOPE, { id: 'u1', websites: [{ path: home, vhosts: { 'u1.example': 'public_html' } }] });
  const record = makeInstallRecord({
    user: 'u1', application: 'site', version: '1.0.0', url: 'http://u1.example/site', url_domain: 'u1.example', path: dir,
    db_host: '', db_name: '', db_user: '', db_pass: '', db_prefix: '', db_type: '', tables: [], files: ['VERSION', 'index.php'],
    autoup: 'minor', autoup_backup: 'none', version_autouped: '', version_autouped_attempts: 0,
  });
  id = record.id;
  await t.engine.installs.insert(record);
});
afterAll(async () => {
  await t?.close();
  apps?.close();
});

test('3 failed tries at 1.0.1, then none; 1.0.2 appears: the count starts over and 1.0.2 is installed', async () => {
  const pass = async (now: number) => {
    t.setNow(now);
    return (await t.engine.apps.runScheduledJobs(PASS)).filter((r) => r.kind === 'autoup' && r.target === id);
  };
  const start = TEMP_ENGINE_START;
  for (let attempt = 1; attempt <= 3; attempt++) {
    expect(await pass(start + (attempt - 1) * HOLD)).toMatchObject([{ outcome: 'failed', errcode: 'internal_error' }]);
    expect(await t.engine.installs.get(ADMIN_SCOPE, id)).toMatchObject({ version: '1.0.0', version_autouped_attempts: attempt });
    expect(fs.readFileSync(path.join(dir, 'VERSION'), 'utf8')).toBe('1.0.0\n');
  }
  expect(await pass(start + 3 * HOLD)).toMatchObject([{ outcome: 'idle' }]);
  expect(await pass(start + 30 * HOLD)).toMatchObject([{ outcome: 'idle' }]);

  // A newer release in the catalog: an engine started after it (as a server restart would) tries it at once.
  apps.writeManifest(sampleManifest('site', [['1.0.2'], ['1.0.1'], ['1.0.0']], MANIFEST));
  apps.addArchive('site', '1.0.2');
  const now = start + 30 * HOLD + HOUR;
  const next = await createEngine({
    db: openStore({ client: 'sqlite3', filename: t.filename }),
    settings: { ...DEFAULT_ENGINE_SETTINGS, secretKey: t.secretKey, homesRoot: path.join(apps.root, 'home'), appsDir: apps.appsDir, mirrorDir: apps.mirrorDir, templatesDir: path.join(t.dir, 'templates') },
    clock: () => now,
  });
  try {
    const reports = (await next.apps.runScheduledJobs(PASS)).filter((r) => r.kind === 'autoup' && r.target === id);
    expect(reports).toMatchObject([{ outcome: 'done', detail: { from: '1.0.0', to: '1.0.2' } }]);
    expect(await next.installs.get(ADMIN_SCOPE, id)).toMatchObject({ version: '1.0.2', version_autouped: '1.0.2', version_autouped_attempts: 0 });
    expect(fs.readFileSync(path.join(dir, 'VERSION'), 'utf8')).toBe('1.0.2\n');
  } finally {
    await next.close();
  }
});
