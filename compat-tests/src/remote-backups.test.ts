import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startRemoteWebsite, type RemoteWebsite } from '@installgate/testkit';
import { startAppHarness, type AppHarness } from './app-harness';
import { fetchPage, tablesOf, tree } from './install-helpers';

/**
 * Backups and restores of WordPress on a website on another server (Debian's sshd or vsftpd giving access to a
 * home owned by the unprivileged account igweb, public_html served by `php -S` as igweb): backed up to the website's
 * own `local` folder on that server and to a file:// location, damaged, restored in place and to another URL of
 * that website; a flipped byte in an archive fails the restore and leaves the live site byte-identical. After
 * every call no one-time helper is left in the document root and no `.ig-*` staging folder on the site.
 */
let h: AppHarness;
let shelf: string;
beforeAll(async () => {
  h = await startAppHarness();
  shelf = fs.mkdtempSync(path.join(os.tmpdir(), 'ig-remote-shelf-'));
}, 180_000);
afterAll(async () => {
  await h?.stopAll();
  if (shelf) fs.rmSync(shelf, { recursive: true, force: true });
}, 60_000);

/** Installgate's own leftovers in a folder of the website: one-time helpers and staging/aside folders. */
const leftoversIn = (dir: string): string[] => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((n) => /^(?:installgate-|\.ig-)/.test(n)) : []);

/** Every file under a folder with its bytes' sha256: "byte-identical" means this is equal. */
function filesState(dir: string): string[] {
  return tree(dir).map((line) => {
    const name = line.split(' ')[0]!;
    return line.endsWith('/') ? line : `${line} ${createHash('sha256').update(fs.readFileSync(path.join(dir, name))).digest('hex')}`;
  });
}

interface Rec { id: string; path: string; url: string; db_name: string; db_prefix: string; files: string[]; tables: string[] }

describe.each([
  { protocol: 'sftp' as const, api: 'v2' as const },
  { protocol: 'ftp' as const, api: 'v1' as const },
])('WordPress backups on a website reached over $protocol, through $api', ({ protocol, api }) => {
  let site: RemoteWebsite;
  const user = `rb_${protocol}`;
  const title = `Remote ${protocol} Backups`;
  const postTitle = `A post that must survive ${protocol}`;
  const upload = 'wp-content/uploads/2026/01/ig-photo.bin';
  const uploadBytes = randomBytes(150_000);
  let install: Rec;
  let blog: string;
  let url: string;
  const backups: { local?: string; shelf?: string; shelfFile?: string } = {};

  const call = {
    backup: (bkloc: string, asOwner: boolean) => api === 'v2'
      ? h.v2('post', `/installs/${install.id}/backup`).send({ bkloc, ...(asOwner ? { user } : {}) })
      : h.v1({ cmd: 'backup', id: install.id, bkloc, ...(asOwner ? { user } : {}) }),
    restore: (id: string) => api === 'v2' ? h.v2('post', `/backups/${id}/restore`).send({ user }) : h.v1({ cmd: 'restore', id, user }),
    restoreto: (id: string, to: string) => api === 'v2' ? h.v2('post', `/backups/${id}/restoreto`).send({ user, url: to }) : h.v1({ cmd: 'restoreto', id, user, url: to }),
    remove: (id: string) => api === 'v2' ? h.v2('delete', `/backups/${id}`).query({ user }) : h.v1({ cmd: 'delete', id, user }),
  };
  const ok = (r: { body: { result: boolean; errcode: string | null; message?: string } }) =>
    expect({ result: r.body.result, errcode: r.body.errcode, message: r.body.message }).toMatchObject({ result: true, errcode: null });
  const noLeftovers = () => {
    expect(leftoversIn(blog)).toEqual([]);
    expect(leftoversIn(site.docroot)).toEqual([]);
  };
  let postId = '';
  /** The front page lists the post under the site title; the post's own page shows the upload, which is served. */
  const servedPage = async (at = url) => {
    const page = await fetchPage(`${at}/`);
    expect(page.status).toBe(200);
    expect(page.body).toMatch(new RegExp(`<title>[^<]*${title}`));
    expect(page.body).toContain(postTitle);
    const post = await fetchPage(`${at}/?p=${postId}`);
    expect(post.status).toBe(200);
    expect(post.body).toContain(postTitle);
    expect(post.body).toContain(`${at}/${upload}`);
    const served = await fetch(`${at}/${upload}`);
    expect(served.status).toBe(200);
    expect(Buffer.from(await served.arrayBuffer()).equals(uploadBytes)).toBe(true);
  };

  beforeAll(async () => {
    site = await startRemoteWebsite({ protocol });
    const r = await h.v2('post', '/users').send({ id: user, email: `${user}@example.test`, websites: [{ path: site.uri, vhosts: site.vhosts }] });
    expect(r.body).toMatchObject({ result: true });
    blog = path.join(site.docroot, 'blog');
    url = `${site.siteUrl}/blog`;
  }, 60_000);
  afterAll(async () => { await site?.stop(); }, 30_000);

  test('installs WordPress there, with a post and an upload served', async () => {
    const params = { url, user, sitetitle: title, login: 'rb_admin', passwd: 'Remote-Pa55-word!', email: 'rb@example.test' };
    const r = api === 'v2' ? await h.v2('post', '/browser/wordpress/install').send(params) : await h.v1({ cmd: 'install', application: 'wordpress', ...params });
    ok(r);
    install = (await h.v2('get', `/installs?user=${user}`)).body.data[0];
    // The upload is the customer's file on that server (the account's, as if WordPress had written it).
    fs.mkdirSync(path.dirname(path.join(blog, upload)), { recursive: true });
    fs.writeFileSync(path.join(blog, upload), uploadBytes);
    site.chownToAccount('public_html/blog/wp-content');
    const q = (s: string) => `'${s.replace(/'/g, "''")}'`;
    await h.sql(`INSERT INTO \`${install.db_name}\`.\`${install.db_prefix}posts\` (post_author, post_date, post_date_gmt, post_content, post_title, post_excerpt, post_status, comment_status, ping_status, post_name, to_ping, pinged, post_modified, post_modified_gmt, post_content_filtered, post_parent, guid, post_type)
      VALUES (1, NOW(), UTC_TIMESTAMP(), ${q(`<p><img src="${url}/${upload}"></p>`)}, ${q(postTitle)}, '', 'publish', 'open', 'open', 'survivor', '', '', NOW(), UTC_TIMESTAMP(), '', 0, '', 'post')`);
    [postId] = await h.sql(`SELECT ID FROM \`${install.db_name}\`.\`${install.db_prefix}posts\` WHERE post_name = 'survivor'`) as [string];
    await servedPage();
    noLeftovers();
  }, 300_000);

  test('backs up to the website\'s own folder on that server (local) and to a file:// location', async () => {
    const local = await call.backup('local', true);
    ok(local);
    backups.local = local.body.data.id;
    const filename = api === 'v2' ? local.body.data.backup_filename : local.body.data['backup-filename'];
    expect(api === 'v2' ? local.body.data.backup_location : local.body.data['backup-location']).toBe('local');
    // On the website's server, in its path_backups, as the website's account; nothing half-written beside it.
    const kept = path.join(site.home, 'application_backups');
    expect(fs.readdirSync(kept)).toEqual([filename]);
    expect(fs.statSync(path.join(kept, filename)).uid).toBe(site.uid);
    noLeftovers();

    const onShelf = await call.backup(`file://localhost${shelf}/${protocol}`, false);
    ok(onShelf);
    backups.shelf = onShelf.body.data.id;
    backups.shelfFile = path.join(shelf, protocol, api === 'v2' ? onShelf.body.data.backup_filename : onShelf.body.data['backup-filename']);
    expect(fs.statSync(backups.shelfFile).size).toBeGreaterThan(1_000_000);
    noLeftovers();
    const listed = (await h.v2('get', `/backups?user=${user}&pid=${install.id}`)).body.data.map((b: { id: string }) => b.id);
    expect(listed.sort()).toEqual([backups.local, backups.shelf].sort());
    // The record's lists follow what the site holds: the upload's folder and the tables, never a helper.
    const fresh = (await h.v2('get', `/installs/${install.id}`)).body.data as Rec;
    expect(fresh.files).toEqual(expect.arrayContaining(['wp-content', 'wp-includes', 'index.php']));
    expect(fresh.files.filter((f) => /^(?:installgate-|\.ig-)/.test(f))).toEqual([]);
  }, 600_000);

  test('restores in place from local after files deleted and tables dropped: title, post and upload are back', async () => {
    fs.rmSync(path.join(blog, 'index.php'));
    fs.rmSync(path.join(blog, upload));
    fs.rmSync(path.join(blog, 'wp-includes', 'version.php'));
    await h.sql(`DROP TABLE \`${install.db_name}\`.\`${install.db_prefix}posts\`, \`${install.db_name}\`.\`${install.db_prefix}options\``);
    expect((await fetchPage(`${url}/`)).status).not.toBe(200);
    const r = await call.restore(backups.local!);
    ok(r);
    await servedPage();
    expect((await tablesOf(h, install.db_name)).sort()).toEqual([...install.tables].sort());
    const fresh = (await h.v2('get', `/installs/${install.id}`)).body.data as Rec;
    expect(fresh).toMatchObject({ path: install.path, db_name: install.db_name, url });
    expect(fresh.files).toEqual(expect.arrayContaining(['index.php', 'wp-content', 'wp-includes']));
    expect(fs.statSync(path.join(blog, 'index.php')).uid).toBe(site.uid);
    noLeftovers();
  }, 300_000);

  test('a flipped byte in the archive: failed_backup_format, and the live site stays byte-identical', async () => {
    const file = backups.shelfFile!;
    const original = fs.readFileSync(file);
    const bad = Buffer.from(original);
    bad[Math.floor(bad.length / 2)] ^= 0x01;
    fs.writeFileSync(file, bad);
    try {
      const beforeFiles = filesState(blog);
      const beforeTables = await tablesOf(h, install.db_name);
      const beforeSums = await h.sql(`CHECKSUM TABLE ${beforeTables.map((t) => `\`${install.db_name}\`.\`${t}\``).join(', ')}`);
      const r = await call.restore(backups.shelf!);
      expect({ result: r.body.result, errcode: r.body.errcode }).toEqual({ result: false, errcode: 'failed_backup_format' });
      expect(filesState(blog)).toEqual(beforeFiles);
      expect(await tablesOf(h, install.db_name)).toEqual(beforeTables);
      expect(await h.sql(`CHECKSUM TABLE ${beforeTables.map((t) => `\`${install.db_name}\`.\`${t}\``).join(', ')}`)).toEqual(beforeSums);
      noLeftovers();
      await servedPage();
    } finally {
      fs.writeFileSync(file, original);
    }
  }, 300_000);

  test('restores to another URL of that website: a second working site with its own database', async () => {
    const to = `${site.siteUrl}/copy`;
    const r = await call.restoreto(backups.shelf!, to);
    ok(r);
    const copy = (await h.v2('get', `/installs?user=${user}`)).body.data.find((i: Rec) => i.url === to) as Rec;
    expect(copy.path).toBe(`${install.path.replace(/\/blog$/, '')}/copy`);
    expect(copy.db_name).not.toBe(install.db_name);
    const page = await fetchPage(`${to}/`);
    expect(page.status).toBe(200);
    expect(page.body).toMatch(new RegExp(`<title>[^<]*${title}`));
    expect(page.body).toContain(postTitle);
    expect(page.body).not.toContain(`${url}/`);
    const post = await fetchPage(`${to}/?p=${postId}`);
    expect(post.body).toContain(`${to}/${upload}`);
    expect(post.body).not.toContain(`${url}/`);
    expect(fs.readFileSync(path.join(site.docroot, 'copy', upload)).equals(uploadBytes)).toBe(true);
    expect(leftoversIn(path.join(site.docroot, 'copy'))).toEqual([]);
    noLeftovers();
    await servedPage();
    // The copy is an install like any other: uninstalling it removes its folder on the website and its database.
    ok(api === 'v2' ? await h.v2('delete', `/installs/${copy.id}`) : await h.v1({ cmd: 'uninstall', id: copy.id }));
    expect(fs.existsSync(path.join(site.docroot, 'copy'))).toBe(false);
    expect(await h.sql(`SHOW DATABASES LIKE '${copy.db_name}'`)).toEqual([]);
  }, 300_000);

  test('deletes the local backup: its archive leaves the website\'s folder', async () => {
    ok(await call.remove(backups.local!));
    expect(fs.readdirSync(path.join(site.home, 'application_backups'))).toEqual([]);
    ok(await call.remove(backups.shelf!));
  }, 60_000);
});
