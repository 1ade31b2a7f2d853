import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { defaultMirrorDir, ensureMirror, readMirrorReleases } from '@installgate/testkit';
import { startAppHarness, type AppHarness } from './app-harness';
import { ADMIN } from './harness';
import { fetchPage, tablesOf, taskById, tempAppsDir, versionOf, waitForTask } from './install-helpers';
import { isDashboard, wordpressLogin } from './web-client';

/**
 * POST /installs/{id}/update (v1 `upgrade` / `update`) with real WordPress releases: Debian's 6.1.9 updated step
 * by step to 6.2.6, 6.3.5, 6.4.5 and 6.5.5 by WordPress's own database upgrade, the served site working after each
 * step; a release whose database upgrade breaks (a copy with a PHP error, in a private mirror) leaves the site
 * byte-for-byte as it was; every errcode of the update page, through v2 and v1.
 */
jest.setTimeout(600_000);

const PASS = 'Upd4te-Pa55-word!';
const PATH = ['6.2.6', '6.3.5', '6.4.5', '6.5.5'];

function wpDbVersion(mirror: string, v: string): number {
  return readMirrorReleases(mirror, 'wordpress').releases.find((r) => r.version === v)!.wp_db_version!;
}

/** Every file under `dir` with its mode and content hash: "byte-identical" made checkable. */
function fingerprint(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string, rel: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      const full = path.join(d, e.name);
      const mode = (fs.lstatSync(full).mode & 0o7777).toString(8);
      if (e.isDirectory()) {
        out.push(`${r}/ ${mode}`);
        walk(full, r);
      } else {
        out.push(`${r} ${mode} ${createHash('sha256').update(fs.readFileSync(full)).digest('hex')}`);
      }
    }
  };
  walk(dir, '');
  return out;
}

/** CHECKSUM TABLE of every table of the database, and SHOW CREATE TABLE (AUTO_INCREMENT included). */
async function tableState(h: AppHarness, db: string): Promise<string[]> {
  const out: string[] = [];
  for (const t of await tablesOf(h, db)) {
    out.push(...(await h.sql(`CHECKSUM TABLE \`${db}\`.\`${t}\` EXTENDED`)));
    out.push((await h.sql(`SHOW CREATE TABLE \`${db}\`.\`${t}\``)).join('\n'));
  }
  return out;
}

interface Site { id: string; path: string; url: string; db_name: string; db_prefix: string }

/**
 * A refused update through v2, or through v1 (plain v1 answers HTTP 200 with result false and the errcode; with
 * api_version=2.0 the same call carries the v2 status and errfield): the answer's status, errcode and errfield.
 */
async function refusal(h: AppHarness, protocol: 'v1' | 'v2', id: string, params: Record<string, unknown>, cmd = 'update'): Promise<{ status: number; result: unknown; errcode: unknown; errfield: unknown }> {
  if (protocol === 'v2') {
    const r = await h.v2('post', `/installs/${id}/update`).send(params);
    return { status: r.status, result: r.body.result, errcode: r.body.errcode, errfield: r.body.errfield };
  }
  const v1 = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : String(v)]));
  const plain = await h.v1({ cmd, id, ...v1 });
  const r = await h.v1({ cmd, id, api_version: '2.0', ...v1 });
  expect({ http: plain.status, result: plain.body.result, errcode: plain.body.errcode }).toEqual({ http: 200, result: false, errcode: r.body.errcode });
  return { status: r.status, result: r.body.result, errcode: r.body.errcode, errfield: r.body.errfield };
}

async function install(h: AppHarness, slug: string, title: string, version = '6.1.9'): Promise<Site> {
  const r = await h.v2('post', '/browser/wordpress/install').send({ url: `${h.site}/${slug}`, user: h.owner, version, sitetitle: title, login: 'upd_admin', passwd: PASS });
  expect({ result: r.body.result, message: r.body.message }).toMatchObject({ result: true });
  expect(r.body.data.version).toBe(version);
  return r.body.data;
}

/** The site works: front page with its title and the sample post, the database at the release's db_version, login. */
async function expectWorkingSite(h: AppHarness, site: Site, title: string, version: string, mirror: string): Promise<void> {
  const page = await fetchPage(`${site.url}/`);
  expect(page.status).toBe(200);
  expect(page.body).toContain(title);
  expect(page.body).toContain('Hello world!');
  expect(page.body).toContain(`ver=${version}`);
  expect(fs.readFileSync(path.join(site.path, 'wp-includes', 'version.php'), 'utf8')).toContain(`$wp_version = '${version}'`);
  expect(await h.sql(`SELECT option_value FROM \`${site.db_name}\`.\`${site.db_prefix}options\` WHERE option_name = 'db_version'`)).toEqual([String(wpDbVersion(mirror, version))]);
  expect(isDashboard(await wordpressLogin(site.url, 'upd_admin', PASS))).toBe(true);
  // Nothing of the update is left: no private folders, no tables kept aside.
  expect(fs.readdirSync(site.path).filter((n) => n.startsWith('.ig-'))).toEqual([]);
  expect((await tablesOf(h, site.db_name)).every((t) => t.startsWith(site.db_prefix))).toBe(true);
}

describe('updates along the real release path', () => {
  let h: AppHarness;
  let mirror: string;
  beforeAll(async () => {
    mirror = await ensureMirror();
    h = await startAppHarness('uma');
  }, 300_000);
  afterAll(async () => { await h?.stopAll(); }, 60_000);

  test('6.1.9 → 6.2.6 → 6.3.5 → 6.4.5 → 6.5.5 through v1 cmd=upgrade, the site working after each step', async () => {
    const site = await install(h, 'via-v1', 'Path Through V1');
    const before = (await h.v2('get', `/installs/${site.id}`).expect(200)).body.data;
    expect(before).toMatchObject({ version_available: '6.5.5', version_available_minor: '', version_updates_available: 4 });
    for (const v of PATH) {
      const r = await h.v1({ cmd: 'upgrade', id: site.id, version: v });
      expect({ result: r.body.result, errcode: r.body.errcode, message: r.body.message }).toMatchObject({ result: true, errcode: null });
      expect(r.body.data.version).toBe(v);
      await expectWorkingSite(h, site, 'Path Through V1', v, mirror);
    }
    const after = (await h.v2('get', `/installs/${site.id}`).expect(200)).body.data;
    expect(after).toMatchObject({ version: '6.5.5', version_available: '', version_available_minor: '', version_updates_available: 0, incomplete: false });
    // The core update brought the new default theme along, as WordPress's own update does; the old one stays.
    expect(after.themes.map((t: { id: string }) => t.id)).toEqual(expect.arrayContaining(['twentytwentythree', 'twentytwentyfour']));
    expect(after.files).toContain('wp-config.php');
  });

  test('the same path through v2, one step with revert (a backup first), then nothing left to update', async () => {
    const site = await install(h, 'via-v2', 'Path Through V2');
    for (const v of PATH) {
      const r = await h.v2('post', `/installs/${site.id}/update`).send({ version: v, revert: v === '6.3.5' });
      expect({ result: r.body.result, errcode: r.body.errcode, message: r.body.message }).toMatchObject({ result: true, errcode: null });
      expect(r.body.data).toMatchObject({ version: v });
      await expectWorkingSite(h, site, 'Path Through V2', v, mirror);
    }
    const backups = (await h.v2('get', '/backups?limit=1000').expect(200)).body.data.filter((b: { backup_install: string }) => b.backup_install === site.id);
    expect(backups).toHaveLength(1);
    expect(backups[0]).toMatchObject({ version: '6.2.6' });
    const none = await h.v2('post', `/installs/${site.id}/update`).send({});
    expect(none.status).toBe(400);
    expect(none.body).toMatchObject({ errcode: 'invalid_argument_version_noupdate', errfield: 'version' });
  });

  test('no version: the newest automatic target; dryrun changes nothing; version=current updates bundled themes only', async () => {
    const site = await install(h, 'default-target', 'Default Target');
    const files = fingerprint(site.path);
    for (const [protocol, dryrun] of [['v2', 'all'], ['v2', 'input'], ['v1', '2'], ['v1', '1']] as const) {
      const r = protocol === 'v2'
        ? await h.v2('post', `/installs/${site.id}/update`).send({ dryrun })
        : await h.v1({ cmd: 'update', id: site.id, dryrun });
      expect({ status: r.status, result: r.body.result, errcode: r.body.errcode }).toEqual({ status: 200, result: true, errcode: 'complete_dryrun' });
    }
    expect(fingerprint(site.path)).toEqual(files);

    const r = await h.v2('post', `/installs/${site.id}/update`).send({});
    expect({ result: r.body.result, message: r.body.message }).toMatchObject({ result: true });
    expect(r.body.data.version).toBe('6.5.5');
    await expectWorkingSite(h, site, 'Default Target', '6.5.5', mirror);

    // 6.1.9 → 6.2.6 leaves twentytwentythree at 1.0 (a core update never replaces an existing theme); asking for
    // it with version=current takes 6.2.6's bundled 1.1.
    const old = await install(h, 'themes-only', 'Themes Only');
    expect((await h.v1({ cmd: 'upgrade', id: old.id, version: '6.2.6' })).body.result).toBe(true);
    const theme = async () => (await h.v2('get', `/installs/${old.id}`).expect(200)).body.data.themes.find((t: { id: string }) => t.id === 'twentytwentythree');
    expect((await theme()).version).toBe('1.0');
    const core = fs.readFileSync(path.join(old.path, 'wp-includes', 'version.php'));
    const cur = await h.v2('post', `/installs/${old.id}/update`).send({ version: 'current', theme: [] });
    expect({ result: cur.body.result, message: cur.body.message }).toMatchObject({ result: true });
    expect(cur.body.data.version).toBe('6.2.6');
    expect((await theme()).version).toBe('1.1');
    expect(fs.readFileSync(path.join(old.path, 'wp-includes', 'version.php'))).toEqual(core);
    await expectWorkingSite(h, old, 'Themes Only', '6.2.6', mirror);
    // version=current with nothing asked: a task that changes nothing, and says so.
    const still = fingerprint(old.path);
    const nothing = await h.v1({ cmd: 'update', id: old.id, version: 'current' });
    expect({ result: nothing.body.result, version: nothing.body.data?.version }).toEqual({ result: true, version: '6.2.6' });
    expect(fingerprint(old.path)).toEqual(still);
    const logs = (await h.v2('get', '/logs?limit=1000').expect(200)).body.data.filter((l: { install?: string }) => l.install === old.id);
    expect(logs.map((l: { message: string }) => l.message)).toEqual(expect.arrayContaining([expect.stringContaining('nothing needed updating'), expect.stringContaining('theme twentytwentythree 1.0 → 1.1')]));

    // A plugin no release of the mirror bundles cannot be updated, and the call says so; an unknown one is not found.
    for (const [protocol, params, errcode, status] of [
      ['v2', { version: 'current', plugins: ['akismet'] }, 'invalid_argument_plugins', 400],
      ['v1', { version: 'current', plugin: 'akismet' }, 'invalid_argument_plugins', 400],
      ['v2', { version: 'current', plugins: ['no-such-plugin'] }, 'plugin_not_found', 404],
      ['v1', { version: 'current', theme: 'no-such-theme' }, 'theme_not_found', 404],
    ] as const) {
      const errfield = 'plugin' in params || 'plugins' in params ? 'plugins' : 'themes';
      expect(await refusal(h, protocol, old.id, params)).toEqual({ status, result: false, errcode, errfield });
    }
  });
  test('the generic paths: testapp-db in the background (its own upgrade.php), testapp-static, a manual-only 2.0.0', async () => {
    const inst = async (app: string, slug: string) => {
      const r = await h.v2('post', `/browser/${app}/install`).send({ url: `${h.site}/${slug}`, user: h.owner, version: '1.0.0', sitetitle: `Generic ${slug}`, login: 'gen_admin', passwd: 'Gen-Admin-Pa55', email: 'gen@example.test' });
      expect({ result: r.body.result, message: r.body.message }).toMatchObject({ result: true });
      return r.body.data as Site;
    };
    const db = await inst('testapp-db', 'generic-db');
    expect(db).toMatchObject({ version_available: '2.0.0', version_available_minor: '1.0.1', version_updates_available: 3 });
    const started = await h.v2('post', `/installs/${db.id}/update`).send({ background: true });
    expect({ result: started.body.result, data: started.body.data }).toEqual({ result: true, data: null });
    const { task } = await waitForTask(h, started.body.task.id, 120_000);
    expect(task).toMatchObject({ status: 'complete', cmd: 'installs/update', install: db.id });
    const after = (await h.v2('get', `/installs/${db.id}`).expect(200)).body.data;
    expect(after).toMatchObject({ version: '1.1.0', version_available: '2.0.0', version_available_minor: '', version_updates_available: 1 });
    expect(after.tables).toContain(`${db.db_prefix}posts`);
    const page = await fetchPage(`${db.url}/`);
    expect(page.body).toContain('testapp-db 1.1.0');
    expect(page.body).toContain('Generic generic-db');
    // 2.0.0 is `update: manual` in the real manifest: only a manual update reaches it.
    expect(await refusal(h, 'v1', db.id, { version: '2.0.0' }, 'upgrade')).toEqual({ status: 400, result: false, errcode: 'invalid_argument_version_manualupdate', errfield: 'version' });

    const st = await inst('testapp-static', 'generic-static');
    const v1 = await h.v1({ cmd: 'update', id: st.id, background: '1' });
    expect(v1.body.result).toBe(true);
    expect((await waitForTask(h, v1.body.task.id, 60_000)).task.status).toBe('complete');
    expect((await h.v2('get', `/installs/${st.id}`).expect(200)).body.data.version).toBe('1.1.0');
    expect(fs.existsSync(path.join(st.path, 'style.css'))).toBe(true);
    expect((await fetchPage(`${st.url}/`)).body).toContain('Generic generic-static');
  });
});

/** A copy of the mirror whose 6.3.5 breaks in wp_upgrade() after changing the database (an uncaught PHP Error). */
function brokenMirror(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ig-broken-mirror-'));
  execFileSync('cp', ['-a', defaultMirrorDir() + '/.', dir]);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ig-broken-release-'));
  const archive = path.join(dir, 'wordpress', 'wordpress-6.3.5.tar.gz');
  execFileSync('tar', ['-xzf', archive, '-C', work]);
  const file = path.join(work, 'wordpress', 'wp-admin', 'includes', 'upgrade.php');
  const text = fs.readFileSync(file, 'utf8');
  const at = 'make_db_current_silent(); upgrade_all();';
  expect(text.split(at)).toHaveLength(2);
  fs.writeFileSync(file, text.replace(at, `${at} throw new Error('this copy of the release is broken');`));
  fs.rmSync(archive);
  execFileSync('tar', ['-czf', archive, '-C', work, 'wordpress']);
  fs.rmSync(work, { recursive: true, force: true });
  const bytes = fs.readFileSync(archive);
  const releasesFile = path.join(dir, 'wordpress', 'releases.json');
  const releases = JSON.parse(fs.readFileSync(releasesFile, 'utf8'));
  const entry = releases.releases.find((r: { version: string }) => r.version === '6.3.5');
  Object.assign(entry, { sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length });
  fs.writeFileSync(releasesFile, JSON.stringify(releases, null, 2));
  return dir;
}

describe('failures and refusals', () => {
  let h: AppHarness;
  let apps: { dir: string; remove(): void };
  let mirror: string;
  let site: Site;
  beforeAll(async () => {
    await ensureMirror();
    mirror = brokenMirror();
    apps = tempAppsDir({
      wordpress: (m) => {
        // 6.3.5 stays an automatic update (its copy in this mirror is the broken one; 6.1.9 → 6.2.6 would not
        // run wp_upgrade at all: both have db_version 53496).
        (versionOf(m, '6.2.6') as { update?: string }).update = 'manual';
        (versionOf(m, '6.4.5') as { update?: string }).update = 'none';
        versionOf(m, '6.5.5').requirements.php = '99.0-';
      },
    });
    h = await startAppHarness('vera', { appsDir: apps.dir, mirrorDir: mirror });
    site = await install(h, 'fragile', 'Fragile Site');
  }, 300_000);
  afterAll(async () => {
    await h?.stopAll();
    apps?.remove();
    fs.rmSync(mirror, { recursive: true, force: true });
  }, 60_000);

  test('a database upgrade that fails puts files and tables back byte-for-byte; the task names the step', async () => {
    // Something of the owner's in the database and in wp-content, which must survive exactly.
    execFileSync('php', ['-r', "define('WP_USE_THEMES', false); require 'wp-load.php'; wp_insert_post(['post_title' => 'Owner post 🎉', 'post_status' => 'publish', 'post_content' => 'x']);"], { cwd: site.path });
    fs.mkdirSync(path.join(site.path, 'wp-content', 'uploads'), { recursive: true });
    fs.writeFileSync(path.join(site.path, 'wp-content', 'uploads', 'photo.bin'), Buffer.from([0, 1, 2, 255]));
    const files = fingerprint(site.path);
    const tables = await tableState(h, site.db_name);
    const record = (await h.v2('get', `/installs/${site.id}`).expect(200)).body.data;

    for (const protocol of ['v2', 'v1'] as const) {
      const r = protocol === 'v2'
        ? await h.v2('post', `/installs/${site.id}/update`).send({ version: '6.3.5', revert: true })
        : await h.v1({ cmd: 'upgrade', id: site.id, version: '6.3.5', revert: 'yes', api_version: '2.0' });
      expect({ status: r.status, result: r.body.result, errcode: r.body.errcode }).toEqual({ status: 500, result: false, errcode: 'internal_error' });
      expect(r.body.message).toContain('failed at step upgrade-database; the site was put back as it was');
      expect(r.body.message).toContain('this copy of the release is broken');
      const dbPass = /define\(\s*'DB_PASSWORD',\s*'([^']+)'/.exec(fs.readFileSync(path.join(site.path, 'wp-config.php'), 'utf8'))![1]!;
      expect(JSON.stringify(r.body)).not.toContain(dbPass);
      expect(fingerprint(site.path)).toEqual(files);
      expect(await tableState(h, site.db_name)).toEqual(tables);
      const now = (await h.v2('get', `/installs/${site.id}`).expect(200)).body.data;
      expect(now).toMatchObject({ version: '6.1.9', files: record.files, tables: record.tables, incomplete: false });
    }
    const tasks = (await h.v2('get', '/tasks?limit=1000').expect(200)).body.data.filter((t: { cmd: string; install: string }) => t.cmd === 'installs/update' && t.install === site.id);
    expect(tasks).toHaveLength(2);
    for (const t of tasks) {
      expect((await taskById(h, t.id))).toMatchObject({ status: 'failed', errcode: 'internal_error' });
      expect(t.message).toContain('failed at step upgrade-database');
      expect(t.message).toContain('this copy of the release is broken');
    }
    // revert took a backup first each time (kept: the owner's copy of the site before the update).
    const backups = (await h.v2('get', '/backups?limit=1000').expect(200)).body.data.filter((b: { backup_install: string }) => b.backup_install === site.id);
    expect(backups).toHaveLength(2);
    // The site still works as 6.1.9.
    const page = await fetchPage(`${site.url}/`);
    expect(page.body).toContain('Owner post 🎉');
    expect(isDashboard(await wordpressLogin(site.url, 'upd_admin', PASS))).toBe(true);
  });

  test.each([
    ['v2', 'not a version', { version: 'latest-please' }, 'invalid_argument_version', 400],
    ['v1', 'not in the catalog', { version: '9.9.9' }, 'invalid_argument_version', 400],
    ['v2', 'the version it runs', { version: '6.1.9' }, 'invalid_argument_version', 400],
    ['v1', 'update: manual', { version: '6.2.6' }, 'invalid_argument_version_manualupdate', 400],
    ['v2', 'update: none', { version: '6.4.5' }, 'invalid_argument_version_noupdate', 400],
    ['v1', 'PHP requirement not met', { version: '6.5.5' }, 'invalid_argument_version_unmetrequirements', 400],
    ['v2', 'default target with unmet requirements', {}, 'invalid_argument_version_unmetrequirements', 400],
  ] as const)('%s: %s → %s', async (protocol, _case, params, errcode, status) => {
    const files = fingerprint(site.path);
    expect(await refusal(h, protocol, site.id, params)).toEqual({ status, result: false, errcode, errfield: 'version' });
    expect(fingerprint(site.path)).toEqual(files);
  });

  test('a downgrade, a missing folder, an unknown install, a website no longer served: v2 and v1', async () => {
    const newer = await install(h, 'newer', 'Newer Site', '6.4.5');
    for (const protocol of ['v2', 'v1'] as const) {
      const call = (id: string, params: Record<string, unknown>) => refusal(h, protocol, id, params, 'upgrade');
      expect(await call(newer.id, { version: '6.1.9' })).toEqual({ status: 400, result: false, errcode: 'invalid_argument_version_noupdate', errfield: 'version' });
      const gone = `${newer.path}-moved`;
      fs.renameSync(newer.path, gone);
      try {
        expect(await call(newer.id, { version: 'current', themes: [] })).toMatchObject({ status: 500, result: false, errcode: 'failed_filesystem_directory' });
      } finally {
        fs.renameSync(gone, newer.path);
      }
      expect(await call('noSuchInstall0123456789', {})).toMatchObject({ status: 404, result: false, errcode: 'install_not_found' });
    }
    // The owner's hosting account no longer serves the install's domain.
    const vera = await h.engine.users.get(ADMIN, 'vera');
    await h.engine.users.edit(ADMIN, 'vera', { websites: [] }, { createIfMissing: false });
    try {
      for (const protocol of ['v2', 'v1'] as const) {
        expect(await refusal(h, protocol, newer.id, { version: 'current', themes: [] })).toMatchObject({ status: 500, result: false, errcode: 'failed_website_vhost' });
      }
    } finally {
      await h.engine.users.edit(ADMIN, 'vera', { websites: vera.websites }, { createIfMissing: false });
    }
  });
});
