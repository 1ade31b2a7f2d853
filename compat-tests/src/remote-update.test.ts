import * as fs from 'node:fs';
import * as path from 'node:path';
import { ensureMirror, startRemoteWebsite, type RemoteWebsite } from '@installgate/testkit';
import { startAppHarness, type AppHarness } from './app-harness';
import { ADMIN } from './harness';
import { fetchPage, tablesOf } from './install-helpers';
import { brokenMirror, fingerprint, install as installLocal, tableState, wpDbVersion } from './update-helpers';

/**
 * Updates of WordPress on a website on another server (Debian's sshd or vsftpd giving access to a home owned by an
 * unprivileged account, its public_html served by `php -S` as that account): 6.1.9 → 6.5.5 over SFTP through v2
 * and over FTP through v1, the release uploaded into a private folder inside the install and swapped in by renames
 * on the website, wp_upgrade() run there over HTTP. Failures (a release whose database upgrade breaks; a folder
 * the site's account may not move) leave files and tables byte-for-byte as they were; a domain no longer served
 * is refused first; the successful update runs with revert (a backup first, kept on that server). The mirror is a private copy
 * whose 6.3.5 is broken (update-helpers brokenMirror); 6.5.5 is the real release.
 */
jest.setTimeout(600_000);

let h: AppHarness;
let mirror: string;
beforeAll(async () => {
  await ensureMirror();
  mirror = brokenMirror();
  h = await startAppHarness('local_owner', { mirrorDir: mirror });
}, 300_000);
afterAll(async () => {
  await h?.stopAll();
  if (mirror) fs.rmSync(mirror, { recursive: true, force: true });
}, 60_000);

/** Installgate's one-time helpers in a folder of the website (there must never be any once a call has answered). */
const helpersIn = (dir: string): string[] => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((n) => /^installgate-/.test(n)) : []);
/** The update's private folders (staging, copies set aside) anywhere they could be left. */
const leftoversIn = (dir: string): string[] =>
  ['', 'wp-content/themes', 'wp-content/plugins'].flatMap((sub) => fs.readdirSync(path.join(dir, sub)).filter((n) => n.startsWith('.ig-')).map((n) => path.posix.join(sub, n)));
const generatorOf = (html: string) => /<meta name="generator" content="WordPress ([^"]+)"/.exec(html)?.[1];


async function update(api: 'v1' | 'v2', id: string, params: Record<string, string | boolean>) {
  if (api === 'v2') return h.v2('post', `/installs/${id}/update`).send(params);
  const v1 = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, v === true ? 'yes' : String(v)]));
  return h.v1({ cmd: 'upgrade', id, api_version: '2.0', ...v1 });
}

describe.each([
  { protocol: 'sftp' as const, api: 'v2' as const },
  { protocol: 'ftp' as const, api: 'v1' as const },
])('WordPress updated on a website reached over $protocol, through $api', ({ protocol, api }) => {
  let site: RemoteWebsite;
  const user = `upd_${protocol}`;
  const title = `Remote ${protocol} Update`;
  let install: { id: string; url: string; db_name: string; db_prefix: string; files: string[] };
  let blog: string;

  beforeAll(async () => {
    site = await startRemoteWebsite({ protocol });
    const r = await h.v2('post', '/users').send({ id: user, email: `${user}@example.test`, websites: [{ path: site.uri, vhosts: site.vhosts }] });
    expect(r.body).toMatchObject({ result: true });
    blog = path.join(site.docroot, 'blog');
    const url = `${site.siteUrl}/blog`;
    const params = { url, user, version: '6.1.9', sitetitle: title, login: 'remote_admin', passwd: 'Remote-Pa55-word!', email: 'remote@example.test' };
    const res = await h.v2('post', '/browser/wordpress/install').send(params);
    expect({ result: res.body.result, message: res.body.message }).toMatchObject({ result: true });
    install = res.body.data;
    expect(install).toMatchObject({ version: '6.1.9' });
    // Something of the owner's in wp-content, which every update must leave exactly as it is.
    fs.mkdirSync(path.join(blog, 'wp-content', 'uploads'), { recursive: true });
    fs.writeFileSync(path.join(blog, 'wp-content', 'uploads', 'photo.bin'), Buffer.from([0, 1, 2, 255]));
    site.chownToAccount('public_html/blog/wp-content/uploads');
  }, 300_000);
  afterAll(async () => { await site?.stop(); }, 30_000);

  /** Files and tables now, to compare after a failed update. */
  const state = async () => ({ files: fingerprint(blog), tables: await tableState(h, install.db_name) });
  const record = async () => (await h.v2('get', `/installs/${install.id}`).expect(200)).body.data;

  test('a database upgrade that breaks (6.3.5 of the private mirror): files and tables put back byte-for-byte', async () => {
    const before = await state();
    const r = await update(api, install.id, { version: '6.3.5' });
    expect({ status: r.status, result: r.body.result, errcode: r.body.errcode }).toEqual({ status: 500, result: false, errcode: 'internal_error' });
    expect(r.body.message).toContain('failed at step upgrade-database; the site was put back as it was');
    expect(r.body.message).toContain('this copy of the release is broken');
    expect(JSON.stringify(r.body)).not.toContain(site.password);
    expect(await state()).toEqual(before);
    expect(await record()).toMatchObject({ version: '6.1.9', files: install.files, incomplete: false });
    expect(helpersIn(blog)).toEqual([]);
  });

  test('a folder the site\'s account may not move: the swap is undone, nothing changed', async () => {
    // Moving a folder to another parent needs write permission on the folder itself (its `..` changes).
    site.makeReadOnly('public_html/blog/wp-includes');
    try {
      const before = await state();
      const r = await update(api, install.id, { version: '6.5.5' });
      expect({ status: r.status, result: r.body.result, errcode: r.body.errcode }).toEqual({ status: 500, result: false, errcode: 'failed_filesystem_permission' });
      expect(r.body.message).toContain('failed at step swap-files; the site was put back as it was');
      expect(JSON.stringify(r.body)).not.toContain(site.password);
      expect(await state()).toEqual(before);
      expect(await record()).toMatchObject({ version: '6.1.9', files: install.files, incomplete: false });
    } finally {
      site.makeWritable('public_html/blog/wp-includes');
    }
  });

  test('refused before anything is touched: a domain no longer served (failed_website_vhost)', async () => {
    const before = await state();
    const owner = await h.engine.users.get(ADMIN, user);
    // The account's vhosts changed: the website (and its files) is still there, but it no longer serves the URL.
    await h.engine.users.edit(ADMIN, user, { websites: owner.websites.map((w) => ({ ...w, vhosts: { 'http://elsewhere.test': 'public_html' } })) }, { createIfMissing: false });
    try {
      const r = await update(api, install.id, { version: '6.5.5' });
      expect({ status: r.status, result: r.body.result, errcode: r.body.errcode }).toEqual({ status: 500, result: false, errcode: 'failed_website_vhost' });
    } finally {
      await h.engine.users.edit(ADMIN, user, { websites: owner.websites }, { createIfMissing: false });
    }
    expect(await state()).toEqual(before);
  });

  test('6.1.9 → 6.5.5 with revert (a backup first): the page is served by the new release, the record follows, nothing of the update is left', async () => {
    const r = await update(api, install.id, { version: '6.5.5', revert: true });
    expect({ result: r.body.result, errcode: r.body.errcode, message: r.body.message }).toMatchObject({ result: true, errcode: null });
    const page = await fetchPage(`${install.url}/`);
    expect(page.status).toBe(200);
    expect(page.body).toMatch(new RegExp(`<title>[^<]*${title}`));
    expect(generatorOf(page.body)).toBe('6.5.5');
    expect(fs.readFileSync(path.join(blog, 'wp-includes', 'version.php'), 'utf8')).toContain("$wp_version = '6.5.5'");
    expect(await h.sql(`SELECT option_value FROM \`${install.db_name}\`.\`${install.db_prefix}options\` WHERE option_name = 'db_version'`)).toEqual([String(wpDbVersion(mirror, '6.5.5'))]);
    const after = await record();
    expect(after).toMatchObject({ version: '6.5.5', incomplete: false, version_updates_available: 0 });
    // revert: the backup taken first, of 6.1.9, in the website's own backup folder on that server (bkloc local).
    const backups = (await h.v2('get', '/backups?limit=1000').expect(200)).body.data.filter((b: { backup_install: string }) => b.backup_install === install.id);
    expect(backups).toHaveLength(1);
    expect(backups[0]).toMatchObject({ backup_location: 'local', version: '6.1.9' });
    // The core update brought 6.5.5's new default theme along; the owner's files stayed.
    expect(after.themes.map((t: { id: string }) => t.id)).toEqual(expect.arrayContaining(['twentytwentythree', 'twentytwentyfour']));
    expect(fs.readFileSync(path.join(blog, 'wp-content', 'uploads', 'photo.bin'))).toEqual(Buffer.from([0, 1, 2, 255]));
    // New files belong to the site's account (uploaded over SFTP/FTP), and nothing of the update is left.
    expect(fs.statSync(path.join(blog, 'wp-includes', 'version.php')).uid).toBe(site.uid);
    expect(fs.statSync(path.join(blog, 'wp-content', 'themes', 'twentytwentyfour')).uid).toBe(site.uid);
    expect(leftoversIn(blog)).toEqual([]);
    expect([...helpersIn(site.docroot), ...helpersIn(blog)]).toEqual([]);
    expect((await tablesOf(h, install.db_name)).every((t) => t.startsWith(install.db_prefix))).toBe(true);
  });
});

test('the same update of a local install, for comparison', async () => {
  const local = await installLocal(h, 'local-blog', 'Local Update', '6.1.9');
  const r = await h.v2('post', `/installs/${local.id}/update`).send({ version: '6.5.5' });
  expect({ result: r.body.result, message: r.body.message }).toMatchObject({ result: true });
  expect(r.body.data.version).toBe('6.5.5');
  expect(generatorOf((await fetchPage(`${local.url}/`)).body)).toBe('6.5.5');
});
