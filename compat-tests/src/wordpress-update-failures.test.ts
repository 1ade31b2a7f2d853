import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ensureMirror } from '@installgate/testkit';
import { startAppHarness, type AppHarness } from './app-harness';
import { ADMIN } from './harness';
import { fetchPage, taskById, tempAppsDir, versionOf } from './install-helpers';
import { brokenMirror, fingerprint, install, PASS, refusal, tableState, type Site } from './update-helpers';
import { isDashboard, wordpressLogin } from './web-client';

/**
 * POST /installs/{id}/update when it must not or cannot go through: a release whose database upgrade breaks (a
 * copy of 6.3.5 with a PHP error, in a private mirror) leaves the site byte-for-byte as it was and fails the task
 * naming the step; every refusal of the update page, through v2 and v1.
 */
jest.setTimeout(600_000);

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
