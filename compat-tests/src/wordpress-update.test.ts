import * as fs from 'node:fs';
import * as path from 'node:path';
import { ensureMirror } from '@installgate/testkit';
import { startAppHarness, type AppHarness } from './app-harness';
import { fetchPage, waitForTask } from './install-helpers';
import { expectWorkingSite, fingerprint, install, PATH, refusal, type Site } from './update-helpers';

/**
 * POST /installs/{id}/update (v1 `upgrade` / `update`) with real WordPress releases: Debian's 6.1.9 updated step
 * by step to 6.2.6, 6.3.5, 6.4.5 and 6.5.5 by WordPress's own database upgrade, the served site working after each
 * step, through v1 and v2; the default target, dry runs, `version=current` with bundled themes, plugin/theme
 * refusals; the generic applications. Failures and refusals of the version: wordpress-update-failures.test.ts.
 */
jest.setTimeout(600_000);

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
