import * as fs from 'node:fs';
import * as path from 'node:path';
import { startAppHarness, type AppHarness } from './app-harness';
import { CookieJar, browse, isDashboard, wordpressLogin } from './web-client';

/**
 * Non-negotiable 1: installs write real files and real MariaDB databases; WordPress is installed by its own
 * installer under PHP; the test loads the served page, logs in, and after the uninstall finds nothing left.
 */
let h: AppHarness;
beforeAll(async () => { h = await startAppHarness(); }, 180_000);
afterAll(async () => { await h?.stopAll(); }, 60_000);

async function expectGone(record: { path: string; db_name: string; db_user: string; tables: string[] }): Promise<void> {
  expect(fs.existsSync(record.path) ? fs.readdirSync(record.path) : []).toEqual([]);
  expect(await h.sql(`SHOW DATABASES LIKE '${record.db_name}'`)).toEqual([]);
  expect(await h.sql(`SELECT User FROM mysql.user WHERE User = '${record.db_user}'`)).toEqual([]);
}

describe('WordPress, for real, through v2', () => {
  let install: Record<string, unknown> & { id: string; path: string; db_name: string; db_user: string; tables: string[]; files: string[] };

  test('POST /browser/wordpress/install creates files, a database and a working site', async () => {
    const r = await h.v2('post', '/browser/wordpress/install').send({
      url: `${h.site}/v2blog`, user: 'alice', sitetitle: 'Alice Writes In Version Two', login: 'alice_admin',
      passwd: 'v2-Secret-Pa55!', email: 'alice@example.test',
    });
    expect(r.body).toMatchObject({ result: true, status: 200, errcode: null });
    install = r.body.data;
    expect(install).toMatchObject({ application: 'wordpress', version: '6.5.5', user: 'alice', incomplete: false, url: `${h.site}/v2blog`, login: 'alice_admin', db_prefix: 'wp_' });
    expect(install.path).toBe(path.join(h.docroot, 'v2blog'));
    expect(install.files).toEqual(expect.arrayContaining(['wp-config.php', 'wp-admin', 'wp-includes', 'index.php']));
    expect(install.tables).toEqual(expect.arrayContaining(['wp_options', 'wp_posts', 'wp_users']));
    // Read by the installer itself: the release's default theme, active, and its bundled plugins.
    expect(install.themes).toContainEqual({ id: 'twentytwentyfour', version: expect.stringMatching(/^\d/), activated: true, autoup: 'none' });
    expect(install.plugins).toContainEqual({ id: 'hello', version: expect.stringMatching(/^\d/), activated: false, autoup: 'none' });
    expect(await h.sql(`SHOW DATABASES LIKE '${install.db_name}'`)).toEqual([install.db_name]);
    expect(JSON.stringify(r.body)).not.toContain('v2-Secret-Pa55!');
  }, 120_000);

  test('the served page shows the title; the chosen password logs in', async () => {
    const home = await browse(`${h.site}/v2blog/`, new CookieJar());
    expect(home.status).toBe(200);
    expect(home.body).toMatch(/<title>[^<]*Alice Writes In Version Two/);
    expect(isDashboard(await wordpressLogin(`${h.site}/v2blog`, 'alice_admin', 'v2-Secret-Pa55!'))).toBe(true);
    expect(isDashboard(await wordpressLogin(`${h.site}/v2blog`, 'alice_admin', 'wrong-password'))).toBe(false);
  }, 60_000);

  test('the install is listed in both protocols', async () => {
    const v2 = await h.v2('get', '/installs?user=alice');
    expect(v2.body.data.map((i: { id: string }) => i.id)).toContain(install.id);
    const v1 = await h.v1({ cmd: 'installs', user: 'alice' });
    expect(v1.body.data.find((i: { id: string }) => i.id === install.id)).toMatchObject({ installer: 'wordpress', 'cf-sitetitle': 'Alice Writes In Version Two' });
  });

  test('POST /installs/{id}/login gives a one-time URL that lands on the dashboard', async () => {
    const r = await h.v2('post', `/installs/${install.id}/login`);
    expect(r.body.result).toBe(true);
    expect(typeof r.body.data).toBe('string');
    const jar = new CookieJar();
    expect(isDashboard(await browse(r.body.data, jar))).toBe(true);
    expect(isDashboard(await browse(r.body.data, new CookieJar()))).toBe(false);
  }, 60_000);

  test('POST /installs/{id} with passwd changes the real admin password', async () => {
    const r = await h.v2('post', `/installs/${install.id}`).send({ passwd: 'Changed-Pa55-v2', sitetitle: 'Retitled Blog' });
    expect(r.body).toMatchObject({ result: true, data: { sitetitle: 'Retitled Blog', title: 'Retitled Blog' } });
    expect(isDashboard(await wordpressLogin(`${h.site}/v2blog`, 'alice_admin', 'Changed-Pa55-v2'))).toBe(true);
    expect(isDashboard(await wordpressLogin(`${h.site}/v2blog`, 'alice_admin', 'v2-Secret-Pa55!'))).toBe(false);
    expect((await browse(`${h.site}/v2blog/`, new CookieJar())).body).toMatch(/<title>[^<]*Retitled Blog/);
  }, 60_000);

  test('DELETE /installs/{id} removes files, tables, the database and its user', async () => {
    const r = await h.v2('delete', `/installs/${install.id}`);
    expect(r.body).toMatchObject({ result: true, status: 200 });
    await expectGone(install);
    expect((await h.v2('get', `/installs/${install.id}`)).status).toBe(404);
  }, 60_000);
});

describe('WordPress, for real, through v1', () => {
  let install: Record<string, unknown> & { id: string; path: string; db_name: string; db_user: string; tables: string[] };

  test('cmd=install creates a working site', async () => {
    const r = await h.v1({ cmd: 'install', application: 'wordpress', url: `${h.site}/v1blog`, user: 'alice', sitetitle: 'Alice Writes In Version One',
      login: 'alice_v1', passwd: 'v1-Secret-Pa55!', email: 'alice@example.test', autoup: '1', notification: 'update,update_error' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ result: true, errcode: null, data: { installer: 'wordpress', autoup: 1, 'list-notification': 'update,update_error', 'cf-login': 'alice_v1' } });
    const v2 = await h.v2('get', `/installs/${r.body.data.id}`);
    install = v2.body.data;
    const home = await browse(`${h.site}/v1blog/`, new CookieJar());
    expect(home.body).toMatch(/<title>[^<]*Alice Writes In Version One/);
    expect(isDashboard(await wordpressLogin(`${h.site}/v1blog`, 'alice_v1', 'v1-Secret-Pa55!'))).toBe(true);
  }, 120_000);

  test('cmd=createadminsso and cmd=view', async () => {
    const sso = await h.v1({ cmd: 'createadminsso', id: install.id });
    expect(isDashboard(await browse(sso.body.data, new CookieJar()))).toBe(true);
    const view = await h.v1({ cmd: 'view', id: install.id, addons: '1' });
    expect(view.body.data['list-themes'].length).toBeGreaterThan(0);
  }, 60_000);

  test('cmd=uninstall removes everything', async () => {
    const r = await h.v1({ cmd: 'uninstall', id: install.id });
    expect(r.body).toMatchObject({ result: true });
    await expectGone(install);
  }, 60_000);
});

describe('secrets', () => {
  test('no admin or database password in logs, tasks or the server log', async () => {
    const all = JSON.stringify((await h.v2('get', '/logs?limit=1000')).body) + JSON.stringify((await h.v2('get', '/tasks?limit=1000')).body) + h.logLines.join('\n');
    for (const secret of ['v2-Secret-Pa55!', 'v1-Secret-Pa55!', 'Changed-Pa55-v2']) expect(all).not.toContain(secret);
  });
});
