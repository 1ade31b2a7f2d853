import * as fs from 'node:fs';
import * as path from 'node:path';
import { startRemoteWebsite, type RemoteWebsite } from '@installgate/testkit';
import { startAppHarness, type AppHarness } from './app-harness';
import { CookieJar, browse, isDashboard, wordpressLogin } from './web-client';

/**
 * Issue "operations on installs on websites on other servers": a WordPress installed on a website reached over SFTP
 * (driven through v2) and one reached over FTP (through v1), each served by `php -S` as the site's own account.
 * Application edits, single sign-on, plugins and import work there; clone, sync, templates, moves, database changes
 * and migrations into such a website answer not_implemented and leave the site exactly as it was. After every call
 * no Installgate helper is left in the document root.
 */
jest.setTimeout(300_000);

let h: AppHarness;
beforeAll(async () => { h = await startAppHarness(); }, 180_000);
afterAll(async () => { await h?.stopAll(); }, 60_000);

/** Installgate's one-time helpers anywhere in the document root (there must never be any once a call answered). */
function helpersBelow(dir: string): string[] {
  return listing(dir).filter((l) => /(^|\/)installgate-[^/]*( |$)/.test(l));
}

/** Every entry below `dir` with its type and (files) size, sorted: equal listings = nothing added, removed or resized. */
function listing(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const name of fs.readdirSync(path.join(dir, rel)).sort()) {
    const r = rel ? `${rel}/${name}` : name;
    const st = fs.lstatSync(path.join(dir, r));
    if (st.isDirectory()) out.push(`${r}/`, ...listing(dir, r));
    else out.push(`${r} ${st.size}`);
  }
  return out;
}

interface AddonView { id: string; activated: boolean }

describe.each([
  { protocol: 'sftp' as const, api: 'v2' as const },
  { protocol: 'ftp' as const, api: 'v1' as const },
])('operations on a WordPress on a website reached over $protocol, through $api', ({ protocol, api }) => {
  let site: RemoteWebsite;
  const user = `ops_${protocol}`;
  const login = 'ops_admin';
  let password = 'Ops-Remote-Pa55!';
  let install: { id: string; path: string; url: string };
  let url: string;
  let dir: string;

  /**
   * One call through this block's API: v2 (method, path, body) or v1 (the same operation's cmd parameters). Whatever
   * the call did, no helper script stays behind in the document root; only single sign-on leaves its one login file
   * (`loginFile`), which the link's first use deletes.
   */
  const call = async (v2: ['get' | 'post' | 'delete', string, Record<string, unknown>?], v1: Record<string, string>, opts: { loginFile?: boolean } = {}) => {
    const r = api === 'v2'
      ? (v2[0] === 'get' ? await h.v2('get', v2[1]) : await h.v2(v2[0], v2[1]).send(v2[2] ?? {}))
      : await h.v1(v1);
    const expected = opts.loginFile && r.body.result ? [expect.stringMatching(/^blog\/installgate-sso-[0-9a-f]{32}\.php \d+$/)] : [];
    expect({ helpers: helpersBelow(site.docroot) }).toEqual({ helpers: expected });
    return r;
  };
  const dashboardWith = async (pw: string) => isDashboard(await wordpressLogin(url, login, pw, new CookieJar()));

  beforeAll(async () => {
    site = await startRemoteWebsite({ protocol });
    const u = await h.v2('post', '/users').send({ id: user, email: `${user}@example.test`, websites: [{ path: site.uri, vhosts: site.vhosts }] });
    expect(u.body).toMatchObject({ result: true });
    url = `${site.siteUrl}/blog`;
    dir = path.join(site.docroot, 'blog');
    const r = await h.v2('post', '/browser/wordpress/install').send({ url, user, sitetitle: 'Ops Blog', login, passwd: password, email: 'ops@example.test' });
    expect(r.body).toMatchObject({ result: true, errcode: null });
    install = r.body.data;
    expect(install.path.startsWith(`${protocol}://`)).toBe(true);
  }, 240_000);
  afterAll(async () => { await site?.stop(); }, 30_000);

  test('edits the admin password and the site title in WordPress itself', async () => {
    const next = `${password}-2`;
    const r = await call(['post', `/installs/${install.id}`, { passwd: next, sitetitle: `Renamed ${protocol} Blog` }], { cmd: 'edit', id: install.id, passwd: next, sitetitle: `Renamed ${protocol} Blog` });
    expect(r.body).toMatchObject({ result: true, errcode: null });
    expect(JSON.stringify(r.body)).not.toContain(next);
    expect(await dashboardWith(next)).toBe(true);
    expect(await dashboardWith(password)).toBe(false);
    password = next;
    const page = await browse(`${url}/`, new CookieJar());
    expect(page.body).toMatch(new RegExp(`<title>[^<]*Renamed ${protocol} Blog`));
    expect((await h.v2('get', `/installs/${install.id}`)).body.data).toMatchObject({ sitetitle: `Renamed ${protocol} Blog` });
  });

  test('single sign-on: the link lands on the dashboard once, and its file is gone after', async () => {
    const r = await call(['post', `/installs/${install.id}/login`], { cmd: 'createadminsso', id: install.id }, { loginFile: true });
    expect(r.body).toMatchObject({ result: true, errcode: null });
    const link: string = r.body.data;
    expect(link.startsWith(`${url}/installgate-sso-`)).toBe(true);
    // The login file is on the other server, written as its account, until it is used.
    const file = path.join(dir, new URL(link).pathname.split('/').pop()!);
    expect(fs.statSync(file).uid).toBe(site.uid);
    expect(isDashboard(await browse(link, new CookieJar()))).toBe(true);
    expect(fs.existsSync(file)).toBe(false);
    const again = await browse(link, new CookieJar());
    expect(isDashboard(again)).toBe(false);
    expect(helpersBelow(site.docroot)).toEqual([]);
  });

  test('single sign-on is refused (failed_website_vhost) once the owner\'s website no longer serves the URL', async () => {
    const before = listing(site.docroot);
    await h.v2('post', `/users/${user}`).send({ websites: [{ path: site.uri, vhosts: { 'http://elsewhere.example': 'public_html' } }] }).expect(200);
    try {
      const r = await call(['post', `/installs/${install.id}/login`], { cmd: 'createadminsso', id: install.id }, { loginFile: true });
      expect(r.body).toMatchObject({ result: false, errcode: 'failed_website_vhost' });
    } finally {
      await h.v2('post', `/users/${user}`).send({ websites: [{ path: site.uri, vhosts: site.vhosts }] }).expect(200);
    }
    expect(listing(site.docroot)).toEqual(before);
  });

  test('plugins: list, deactivate and activate a bundled plugin, install one from the mirror and uninstall it', async () => {
    const plugins = async (): Promise<AddonView[]> => {
      const r = await call(['get', `/installs/${install.id}/plugins`], { cmd: 'edit', id: install.id, 'list-plugins': '1' });
      expect(r.body).toMatchObject({ result: true });
      return r.body.data;
    };
    const edit = async (slug: string, v2: Record<string, unknown>, v1: Record<string, string>): Promise<AddonView> => {
      const r = await call(['post', `/installs/${install.id}/plugins/${slug}`, v2], { cmd: 'edit', id: install.id, ...v1 });
      expect({ result: r.body.result, errcode: r.body.errcode, message: r.body.message }).toMatchObject({ result: true, errcode: null });
      return r.body.data;
    };
    // The newest mirrored WordPress bundles Hello Dolly, and no Akismet.
    expect((await plugins()).map((p) => p.id)).toContain('hello');
    expect(await edit('hello', { activated: true }, { 'activate-plugin': 'hello' })).toMatchObject({ id: 'hello', activated: true });
    const jar = new CookieJar();
    expect(isDashboard(await wordpressLogin(url, login, password, jar))).toBe(true);
    expect((await browse(`${url}/wp-admin/`, jar)).body).toContain('id="dolly"');
    expect(await edit('hello', { activated: false }, { 'deactivate-plugin': 'hello' })).toMatchObject({ id: 'hello', activated: false });
    expect((await browse(`${url}/wp-admin/`, jar)).body).not.toContain('id="dolly"');

    // Akismet (a folder) comes from an older mirrored release, uploaded to the other server.
    expect(await edit('akismet', {}, { 'install-plugin': 'akismet' })).toMatchObject({ id: 'akismet', activated: true });
    const akismet = path.join(dir, 'wp-content', 'plugins', 'akismet');
    expect(fs.statSync(path.join(akismet, 'akismet.php')).uid).toBe(site.uid);
    expect(fs.readdirSync(path.join(dir, 'wp-content', 'plugins')).filter((n) => n.startsWith('.ig-'))).toEqual([]);
    expect((await plugins()).find((p) => p.id === 'akismet')).toMatchObject({ activated: true });
    const gone = await call(['delete', `/installs/${install.id}/plugins/akismet`], { cmd: 'edit', id: install.id, 'uninstall-plugin': 'akismet' });
    expect(gone.body).toMatchObject({ result: true, errcode: null });
    expect(fs.existsSync(akismet)).toBe(false);
    const record = (await h.v2('get', `/installs/${install.id}`)).body.data as { plugins: AddonView[] };
    expect(record.plugins.map((p) => p.id)).not.toContain('akismet');
  });

  test('clone, sync, template, move, database change and migration into the website are refused; the site is untouched', async () => {
    const before = listing(site.docroot);
    const id = install.id;
    const cases: [string, Parameters<typeof call>[0], Record<string, string>, string][] = [
      ['clone', ['post', `/installs/${id}/clone`, { url: `${site.siteUrl}/copy` }], { cmd: 'clone', id, url: `${site.siteUrl}/copy` }, 'id'],
      ['sync', ['post', `/installs/${id}/sync`, {}], { cmd: 'sync', id }, 'id'],
      ['template', ['post', `/installs/${id}/template`, { name: 'Remote ops' }], { cmd: 'template', id, name: 'Remote ops' }, 'id'],
      ['move', ['post', `/installs/${id}`, { url: `${site.siteUrl}/moved` }], { cmd: 'edit', id, url: `${site.siteUrl}/moved` }, 'url'],
      ['database', ['post', `/installs/${id}`, { db_prefix: 'moved_' }], { cmd: 'edit', id, db_prefix: 'moved_' }, 'db_prefix'],
      ['migrate into it', ['post', '/browser/wordpress/migrate', { url: `${site.siteUrl}/migrated`, user, source_url: 'http://old.example', source_path: 'ftp://old:secret@127.0.0.1:9/www' }],
        { cmd: 'migrate', application: 'wordpress', url: `${site.siteUrl}/migrated`, user, source_url: 'http://old.example', source_path: 'ftp://old:secret@127.0.0.1:9/www' }, 'url'],
    ];
    for (const [what, v2, v1, errfield] of cases) {
      const r = await call(v2, v1);
      expect({ what, result: r.body.result, errcode: r.body.errcode, ...(api === 'v2' ? { errfield: r.body.errfield } : {}) })
        .toEqual({ what, result: false, errcode: 'not_implemented', ...(api === 'v2' ? { errfield } : {}) });
      expect(r.body.message).toMatch(/other server/);
    }
    expect(listing(site.docroot)).toEqual(before);
    expect(await dashboardWith(password)).toBe(true);
    expect((await h.v2('get', `/installs?user=${user}`)).body.data.map((i: { id: string }) => i.id)).toEqual([id]);
  });

  test('import: a detached install is found again over the connection, with its version and plugins', async () => {
    const before = listing(site.docroot);
    const detached = await call(['post', `/installs/${install.id}/detach`], { cmd: 'detach', id: install.id });
    expect(detached.body).toMatchObject({ result: true });
    const r = await call(['post', '/browser/wordpress/import', { url, user }], { cmd: 'import', application: 'wordpress', url, user });
    expect({ result: r.body.result, errcode: r.body.errcode, message: r.body.message }).toMatchObject({ result: true, errcode: null });
    const found = (await h.v2('get', `/installs?user=${user}`)).body.data as { id: string; path: string; sitetitle: string; login: string; plugins: AddonView[]; files: string[] }[];
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ path: install.path, sitetitle: `Renamed ${protocol} Blog`, login });
    expect(found[0]!.plugins.map((p) => p.id)).toContain('hello');
    expect(found[0]!.files).toEqual(expect.arrayContaining(['wp-config.php', 'wp-admin']));
    expect(listing(site.docroot)).toEqual(before);
    // The imported record is a working one: uninstalling it removes the files from the other server (the folder
    // stays: Installgate did not create it).
    const un = await call(['delete', `/installs/${found[0]!.id}`], { cmd: 'uninstall', id: found[0]!.id });
    expect(un.body).toMatchObject({ result: true, errcode: null });
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});
