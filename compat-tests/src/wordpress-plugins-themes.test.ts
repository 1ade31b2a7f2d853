import * as fs from 'node:fs';
import * as path from 'node:path';
import { startAppHarness, type AppHarness } from './app-harness';
import { fetchPage } from './install-helpers';
import { install, PASS, type Site } from './update-helpers';
import { CookieJar, browse, isDashboard, wordpressLogin } from './web-client';

/**
 * WordPress plugins and themes (spec §2.3, v1 `cmd=edit` selectors §4.2) on a real WordPress 6.1.9 (Debian's
 * release: Akismet and Twenty Twenty-Three, no Hello Dolly) served by PHP: the changes are WordPress's own
 * (the active plugin runs, the active theme renders), add-ons absent from the site come from the newest mirrored
 * release that bundles them, and the install record follows the site after every change.
 */
jest.setTimeout(600_000);

interface AddonView { id: string; activated: boolean; autoup: string; version: string; name: string }

describe('plugins and themes of a real WordPress', () => {
  let h: AppHarness;
  let site: Site;
  let newer: Site;
  beforeAll(async () => {
    h = await startAppHarness('plt');
    site = await install(h, 'addons', 'Addons Site');
    newer = await install(h, 'newer', 'Newer Site', '6.5.5');
    await h.engine.users.create({ actor: { kind: 'admin' } }, { id: 'other', email: 'other@example.test' });
  }, 300_000);
  afterAll(async () => { await h?.stopAll(); }, 60_000);

  const record = async () => (await h.v2('get', `/installs/${site.id}`).expect(200)).body.data as { plugins: AddonView[]; themes: AddonView[] };
  const dashboard = async () => {
    const page = await wordpressLogin(site.url, 'upd_admin', PASS, new CookieJar());
    expect(isDashboard(page)).toBe(true);
    return page.body;
  };

  test('v2: list, install Hello Dolly from the mirror (it runs), deactivate, autoup off/on, uninstall', async () => {
    const list = await h.v2('get', `/installs/${site.id}/plugins`).expect(200);
    expect(list.body.data.map((p: AddonView) => p.id)).toEqual(['akismet']);
    expect(list.body.data[0]).toMatchObject({ id: 'akismet', activated: false, name: 'Akismet Anti-Spam', version: expect.any(String), description: expect.any(String), author: expect.any(String) });
    expect(await dashboard()).not.toContain('id="dolly"');

    const added = await h.v2('post', `/installs/${site.id}/plugins/hello`).send({});
    expect({ status: added.status, errcode: added.body.errcode, message: added.body.message }).toMatchObject({ status: 200, errcode: null });
    expect(added.body.data).toMatchObject({ id: 'hello', name: 'Hello Dolly', activated: true, autoup: 'all' });
    expect(fs.existsSync(path.join(site.path, 'wp-content', 'plugins', 'hello.php'))).toBe(true);
    expect(await dashboard()).toContain('id="dolly"');
    expect((await record()).plugins).toEqual(expect.arrayContaining([{ id: 'hello', version: added.body.data.version, activated: true, autoup: 'all' }]));

    const off = await h.v2('post', `/installs/${site.id}/plugins/hello`).send({ activated: false, autoup: 'none' });
    expect(off.body.data).toMatchObject({ id: 'hello', activated: false, autoup: 'none' });
    expect(await dashboard()).not.toContain('id="dolly"');
    expect((await record()).plugins.find((p) => p.id === 'hello')).toMatchObject({ activated: false, autoup: 'none' });
    const one = await h.v2('get', `/installs/${site.id}/plugins/hello`).expect(200);
    expect(one.body.data).toMatchObject({ id: 'hello', activated: false, autoup: 'none' });

    // An edit leaves what it does not name as it is.
    const autoOn = await h.v2('post', `/installs/${site.id}/plugins/hello`).send({ autoup: 'all' });
    expect(autoOn.body.data).toMatchObject({ activated: false, autoup: 'all' });
    expect((await record()).plugins.find((p) => p.id === 'hello')).toMatchObject({ activated: false, autoup: 'all' });

    const dry = await h.v2('delete', `/installs/${site.id}/plugins/hello?dryrun=all`);
    expect({ status: dry.status, errcode: dry.body.errcode }).toEqual({ status: 200, errcode: 'complete_dryrun' });
    expect(fs.existsSync(path.join(site.path, 'wp-content', 'plugins', 'hello.php'))).toBe(true);

    await h.v2('post', `/installs/${site.id}/plugins/hello`).send({ activated: true }).expect(200);
    const gone = await h.v2('delete', `/installs/${site.id}/plugins/hello`);
    expect({ status: gone.status, errcode: gone.body.errcode }).toEqual({ status: 200, errcode: null });
    expect(fs.existsSync(path.join(site.path, 'wp-content', 'plugins', 'hello.php'))).toBe(false);
    expect((await record()).plugins.map((p) => p.id)).toEqual(['akismet']);
    expect(await dashboard()).not.toContain('id="dolly"');
    const after = await h.v2('get', `/installs/${site.id}/plugins`).expect(200);
    expect(after.body.data.map((p: AddonView) => p.id)).toEqual(['akismet']);
  });

  test('v2: a theme WordPress 6.1.9 refuses (Twenty Twenty-Four needs 6.4) is not left behind; inactive it installs', async () => {
    const refused = await h.v2('post', `/installs/${site.id}/themes/twentytwentyfour`).send({});
    expect({ status: refused.status, errcode: refused.body.errcode, errfield: refused.body.errfield }).toEqual({ status: 400, errcode: 'invalid_argument_activated', errfield: 'activated' });
    expect(refused.body.message).toMatch(/Current WordPress version does not meet minimum requirements for Twenty Twenty-Four/);
    expect(fs.existsSync(path.join(site.path, 'wp-content', 'themes', 'twentytwentyfour'))).toBe(false);
    expect((await record()).themes.map((t) => t.id)).toEqual(['twentytwentythree']);

    // Taken from the newest release that bundles it (6.5.5), not activated: WordPress lists it.
    const added = await h.v2('post', `/installs/${site.id}/themes/twentytwentyfour`).send({ activated: false });
    expect({ status: added.status, errcode: added.body.errcode }).toEqual({ status: 200, errcode: null });
    expect(added.body.data).toMatchObject({ id: 'twentytwentyfour', name: 'Twenty Twenty-Four', activated: false, autoup: 'all' });
    expect(fs.readFileSync(path.join(site.path, 'wp-content', 'themes', 'twentytwentyfour', 'style.css'), 'utf8')).toMatch(/Requires at least: 6\.4/);
    expect((await record()).themes).toEqual([
      expect.objectContaining({ id: 'twentytwentyfour', activated: false, autoup: 'all' }),
      expect.objectContaining({ id: 'twentytwentythree', activated: true }),
    ]);
    expect((await fetchPage(`${site.url}/`)).body).toContain('wp-content/themes/twentytwentythree/');
    await h.v2('delete', `/installs/${site.id}/themes/twentytwentyfour`).expect(200);
    expect(fs.existsSync(path.join(site.path, 'wp-content', 'themes', 'twentytwentyfour'))).toBe(false);
  });

  test('v2: on 6.5.5, Twenty Twenty-Three comes from 6.3.5 and, activated, renders the front page; the active theme cannot be deleted', async () => {
    const before = await fetchPage(`${newer.url}/`);
    expect(before.body).toContain('wp-content/themes/twentytwentyfour/');
    expect(before.body).not.toContain('wp-content/themes/twentytwentythree/');

    const added = await h.v2('post', `/installs/${newer.id}/themes/twentytwentythree`).send({ autoup: 'none' });
    expect({ status: added.status, errcode: added.body.errcode, message: added.body.message }).toMatchObject({ status: 200, errcode: null });
    expect(added.body.data).toMatchObject({ id: 'twentytwentythree', name: 'Twenty Twenty-Three', activated: true, autoup: 'none' });
    const page = await fetchPage(`${newer.url}/`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('wp-content/themes/twentytwentythree/');
    expect(page.body).not.toContain('wp-content/themes/twentytwentyfour/');
    const themes = (await h.v2('get', `/installs/${newer.id}`).expect(200)).body.data.themes as AddonView[];
    expect(themes.find((t) => t.id === 'twentytwentythree')).toMatchObject({ activated: true, autoup: 'none' });
    expect(themes.find((t) => t.id === 'twentytwentyfour')).toMatchObject({ activated: false });

    const refused = await h.v2('delete', `/installs/${newer.id}/themes/twentytwentythree`);
    expect({ status: refused.status, errcode: refused.body.errcode, errfield: refused.body.errfield }).toEqual({ status: 400, errcode: 'invalid_argument_slug', errfield: 'slug' });
    const deactivate = await h.v2('post', `/installs/${newer.id}/themes/twentytwentythree`).send({ activated: false });
    expect({ status: deactivate.status, errcode: deactivate.body.errcode }).toEqual({ status: 400, errcode: 'invalid_argument_activated' });
    expect(fs.existsSync(path.join(newer.path, 'wp-content', 'themes', 'twentytwentythree'))).toBe(true);

    // Back to Twenty Twenty-Four, then Twenty Twenty-Three can go.
    await h.v2('post', `/installs/${newer.id}/themes/twentytwentyfour`).send({ activated: true }).expect(200);
    expect((await fetchPage(`${newer.url}/`)).body).toContain('wp-content/themes/twentytwentyfour/');
    await h.v2('delete', `/installs/${newer.id}/themes/twentytwentythree`).expect(200);
    expect(fs.existsSync(path.join(newer.path, 'wp-content', 'themes', 'twentytwentythree'))).toBe(false);
    expect(((await h.v2('get', `/installs/${newer.id}`).expect(200)).body.data.themes as AddonView[]).map((t) => t.id)).toEqual(['twentytwentyfour']);
  });

  test('v1 cmd=edit selectors: list, install, activate, autoup (both spellings), noautoup, deactivate, uninstall', async () => {
    const v1 = async (params: Record<string, string>) => {
      const r = await h.v1({ cmd: 'edit', id: site.id, ...params });
      expect({ http: r.status, result: r.body.result, errcode: r.body.errcode, message: r.body.message }).toMatchObject({ http: 200, result: true });
      return r.body.data;
    };
    expect((await v1({ 'list-plugins': '1' })).map((p: AddonView) => p.id)).toEqual(['akismet']);
    expect(await v1({ 'install-plugin': 'hello' })).toMatchObject({ id: 'hello', activated: true });
    expect(await dashboard()).toContain('id="dolly"');
    expect(await v1({ 'deactivate-plugin': 'hello' })).toMatchObject({ activated: false });
    expect(await dashboard()).not.toContain('id="dolly"');
    expect(await v1({ 'noautoup-plugin': 'hello' })).toMatchObject({ autoup: 'none' });
    expect((await record()).plugins.find((p) => p.id === 'hello')).toMatchObject({ autoup: 'none', activated: false });
    expect(await v1({ 'auotup-plugin': 'hello' })).toMatchObject({ autoup: 'all' });
    expect(await v1({ 'noautoup-plugin': 'hello' })).toMatchObject({ autoup: 'none' });
    expect(await v1({ 'autoup-plugin': 'hello' })).toMatchObject({ autoup: 'all' });
    expect((await record()).plugins.find((p) => p.id === 'hello')).toMatchObject({ autoup: 'all' });
    expect(await v1({ 'activate-plugin': 'akismet' })).toMatchObject({ id: 'akismet', activated: true });
    await v1({ 'uninstall-plugin': 'hello' });
    expect(fs.existsSync(path.join(site.path, 'wp-content', 'plugins', 'hello.php'))).toBe(false);

    expect((await v1({ 'list-themes': '1' })).map((t: AddonView) => t.id)).toEqual(['twentytwentythree']);
    const onNewer = async (params: Record<string, string>) => {
      const r = await h.v1({ cmd: 'edit', id: newer.id, ...params });
      expect({ http: r.status, result: r.body.result, errcode: r.body.errcode, message: r.body.message }).toMatchObject({ http: 200, result: true });
      return r.body.data;
    };
    // v1 names a theme's state `active` (spec §9 #7).
    expect(await onNewer({ 'install-theme': 'twentytwentythree' })).toMatchObject({ id: 'twentytwentythree', active: true, autoup: 'all' });
    expect((await fetchPage(`${newer.url}/`)).body).toContain('wp-content/themes/twentytwentythree/');
    expect(await onNewer({ 'noautoup-theme': 'twentytwentythree' })).toMatchObject({ autoup: 'none' });
    expect(await onNewer({ 'activate-theme': 'twentytwentyfour' })).toMatchObject({ id: 'twentytwentyfour', active: true });
    expect((await fetchPage(`${newer.url}/`)).body).toContain('wp-content/themes/twentytwentyfour/');
    await onNewer({ 'uninstall-theme': 'twentytwentythree' });
    expect(fs.existsSync(path.join(newer.path, 'wp-content', 'themes', 'twentytwentythree'))).toBe(false);
    expect(((await h.v2('get', `/installs/${newer.id}`).expect(200)).body.data.themes as AddonView[]).map((t) => t.id)).toEqual(['twentytwentyfour']);
    expect((await record()).plugins).toEqual([expect.objectContaining({ id: 'akismet', activated: true })]);
  });

  test('errcodes: unknown slug, unknown install, another user\'s install, a non-WordPress install (v2 status; v1 the same errcode)', async () => {
    const st = await h.v2('post', '/browser/testapp-static/install').send({ url: `${h.site}/static`, user: h.owner, sitetitle: 'Static' });
    expect(st.body).toMatchObject({ result: true });
    const staticId: string = st.body.data.id;
    const cases: [string, 'get' | 'post' | 'delete', string, Record<string, string>, number, string][] = [
      ['unknown plugin', 'get', `/installs/${site.id}/plugins/nosuchplugin`, {}, 404, 'plugin_not_found'],
      ['plugin nobody bundles', 'post', `/installs/${site.id}/plugins/nosuchplugin`, { 'install-plugin': 'nosuchplugin' }, 404, 'plugin_not_found'],
      ['theme on a non-WordPress install', 'get', `/installs/${staticId}/themes`, { 'list-themes': '1' }, 404, 'theme_not_found'],
      ['theme nobody bundles', 'post', `/installs/${site.id}/themes/nosuchtheme`, { 'install-theme': 'nosuchtheme' }, 404, 'theme_not_found'],
      ['path-like slug', 'post', `/installs/${site.id}/plugins/..%2F..%2Fetc`, { 'install-plugin': '../../etc' }, 404, 'plugin_not_found'],
      ['uninstall absent plugin', 'delete', `/installs/${site.id}/plugins/hello`, { 'uninstall-plugin': 'hello' }, 404, 'plugin_not_found'],
      ['unknown install', 'get', '/installs/nosuchinstall0000000000001/plugins', { 'list-plugins': '1' }, 404, 'install_not_found'],
      // The engine's scoping rule for every install endpoint: a user who does not own it is refused as the `user`.
      ['another user\'s install', 'get', `/installs/${site.id}/themes?user=other`, { 'list-themes': '1', user: 'other' }, 403, 'invalid_argument_user'],
      ['another user\'s install, edit', 'post', `/installs/${site.id}/plugins/akismet?user=other`, { 'activate-plugin': 'akismet', user: 'other' }, 403, 'invalid_argument_user'],
    ];
    for (const [what, method, url, v1, status, errcode] of cases) {
      const r = method === 'get' ? await h.v2(method, url) : await h.v2(method, url).send({});
      expect({ what, status: r.status, errcode: r.body.errcode, result: r.body.result }).toEqual({ what, status, errcode, result: false });
      if (what === 'unknown plugin') continue; // no v1 form (spec §2.3)
      const id = url.split('/')[2]!;
      const p = await h.v1({ cmd: 'edit', id, ...v1 });
      expect({ what, http: p.status, result: p.body.result, errcode: p.body.errcode }).toEqual({ what, http: 200, result: false, errcode });
    }
    expect(fs.existsSync(path.join(site.path, 'wp-content', 'plugins', 'nosuchplugin'))).toBe(false);
    expect((await record()).plugins.map((p) => p.id)).toEqual(['akismet']);
  });
});
