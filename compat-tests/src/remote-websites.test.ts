import * as fs from 'node:fs';
import * as path from 'node:path';
import { startRemoteWebsite, type RemoteWebsite } from '@installgate/testkit';
import { startAppHarness, type AppHarness } from './app-harness';
import { CookieJar, browse } from './web-client';

/**
 * Issue "websites on other servers": a second web server on loopback (Debian's sshd or vsftpd giving access to a home
 * owned by an unprivileged account, its public_html served by `php -S` as that account). WordPress is installed,
 * served, backed up, broken, restored, updated and uninstalled there through the v1 and v2 APIs, and no helper
 * script is ever left in the document root.
 */
let h: AppHarness;
beforeAll(async () => { h = await startAppHarness(); }, 180_000);
afterAll(async () => { await h?.stopAll(); }, 60_000);

/** Installgate's one-time helpers in a folder of the website (there must never be any once a call has answered). */
const helpersIn = (dir: string): string[] => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((n) => /^installgate-/.test(n)) : []);

describe.each([
  { protocol: 'sftp' as const, api: 'v2' as const },
  { protocol: 'ftp' as const, api: 'v1' as const },
])('WordPress on a website reached over $protocol, through $api', ({ protocol, api }) => {
  let site: RemoteWebsite;
  const user = `remote_${protocol}`;
  let install: { id: string; path: string; db_name: string; files: string[] };

  beforeAll(async () => {
    site = await startRemoteWebsite({ protocol });
    // v2 callers create the user and its website first; v1 callers send `websites` along with the command (§4.7).
    if (api === 'v2') {
      const r = await h.v2('post', '/users').send({ id: user, email: `${user}@example.test`, websites: [{ path: site.uri, vhosts: site.vhosts }] });
      expect(r.body).toMatchObject({ result: true });
    }
  }, 60_000);
  afterAll(async () => { await site?.stop(); }, 30_000);

  test('installs WordPress there: the page is served with its title', async () => {
    const url = `${site.siteUrl}/blog`;
    const params = { url, user, sitetitle: `Remote ${protocol} Blog`, login: 'remote_admin', passwd: 'Remote-Pa55-word!', email: 'remote@example.test' };
    const r = api === 'v2'
      ? await h.v2('post', '/browser/wordpress/install').send(params)
      : await h.v1({ cmd: 'install', application: 'wordpress', ...params, websites: JSON.stringify([{ path: site.uri, vhosts: site.vhosts }]) });
    expect(r.body).toMatchObject({ result: true, errcode: null });
    // The website's URI is a secret: its password is never answered back, in either protocol.
    const user1 = await h.v1({ cmd: 'users', user });
    const user2 = await h.v2('get', `/users/${user}`);
    for (const body of [r.body, user1.body, user2.body]) {
      expect(JSON.stringify(body)).not.toContain(site.password);
      expect(JSON.stringify(body)).not.toContain(encodeURIComponent(site.password));
    }
    expect(user2.body.data.websites[0].path).toMatch(/^(s?ftp):\/\/igweb:\*{5}@127\.0\.0\.1:/);
    const list = await h.v2('get', `/installs?user=${user}`);
    install = list.body.data[0];
    expect(install.path).toBe(`${protocol}://${site.username}@127.0.0.1:${site.port}${site.remoteHome.replace(/\/$/, '')}/public_html/blog`);
    expect(install.path).not.toContain(site.password);
    expect(install.files).toEqual(expect.arrayContaining(['wp-config.php', 'wp-admin', 'wp-includes']));
    // The files are really on the other server, owned by its account (written over SFTP/FTP and by its PHP).
    const wpConfig = path.join(site.docroot, 'blog', 'wp-config.php');
    expect(fs.statSync(wpConfig).uid).toBe(site.uid);
    expect(fs.statSync(path.join(site.docroot, 'blog', 'wp-includes', 'version.php')).uid).toBe(site.uid);
    const page = await browse(`${url}/`, new CookieJar());
    expect(page.status).toBe(200);
    expect(page.body).toMatch(new RegExp(`<title>[^<]*Remote ${protocol} Blog`));
    expect(helpersIn(path.join(site.docroot, 'blog'))).toEqual([]);
  }, 240_000);

  test('an application whose installer runs only on this server is refused before anything is contacted', async () => {
    const before = fs.readdirSync(site.docroot).sort();
    const params = { application: 'testapp-db', version: '1.0.0', url: `${site.siteUrl}/generic`, user, sitetitle: 'Generic' };
    const r = api === 'v2' ? await h.v2('post', '/browser/testapp-db/install').send(params) : await h.v1({ cmd: 'install', ...params });
    // v1 envelopes carry no errfield.
    expect(r.body).toMatchObject({ result: false, errcode: 'not_implemented', ...(api === 'v2' ? { errfield: 'url', status: 501 } : {}) });
    expect(fs.readdirSync(site.docroot).sort()).toEqual(before);
  });

  test('uninstalls it: files, tables and database gone, no helper left', async () => {
    const r = api === 'v2' ? await h.v2('delete', `/installs/${install.id}`) : await h.v1({ cmd: 'uninstall', id: install.id });
    expect(r.body).toMatchObject({ result: true, errcode: null });
    expect(fs.existsSync(path.join(site.docroot, 'blog'))).toBe(false);
    expect(await h.sql(`SHOW DATABASES LIKE '${install.db_name}'`)).toEqual([]);
    expect(helpersIn(site.docroot)).toEqual([]);
  }, 120_000);
});
