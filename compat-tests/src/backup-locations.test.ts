import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  startFtpServer, startS3Server, startSftpServer, startWebdavServer, testCertificate,
  type FtpTestServer, type S3TestServer, type SftpTestServer, type WebdavTestServer,
} from '@installgate/storage/dist/test-servers';
import { startAppHarness, type AppHarness } from './app-harness';
import { fetchPage, tablesOf } from './install-helpers';

/**
 * The round trip of issue 4 on every location kind, with real WordPress: add a post and an upload, back up to the
 * location, damage the site (core files and the uploads deleted, the posts and options tables dropped), restore,
 * and find the post, the upload and the site title in the served pages again. Servers run on loopback: ssh2 SFTP,
 * ftp-srv (FTP and explicit FTPS), webdav-server (http and https), s3rver; plus `local` and an admin's file://.
 * Protocols alternate between v2 and v1.
 */
jest.setTimeout(120_000);

let h: AppHarness;
let root: string;
let sftp: SftpTestServer;
let ftp: FtpTestServer;
let ftps: FtpTestServer;
let dav: WebdavTestServer;
let davs: WebdavTestServer;
let s3: S3TestServer;
let fileLocation: string;
let site: { id: string; path: string; url: string; db_name: string; tables: string[] };
const TITLE = 'Round Trip Journal';
const enc = encodeURIComponent;

beforeAll(async () => {
  h = await startAppHarness('carol');
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'ig-locations-'));
  const dir = (n: string) => { const d = path.join(root, n); fs.mkdirSync(d); return d; };
  const cert = await testCertificate();
  [sftp, ftp, ftps, dav, davs, s3] = await Promise.all([
    startSftpServer({ root: dir('sftp') }),
    startFtpServer({ root: dir('ftp') }),
    startFtpServer({ root: dir('ftps'), tls: cert }),
    startWebdavServer({ root: dir('dav') }),
    startWebdavServer({ root: dir('davs'), tls: cert }),
    startS3Server(dir('s3')),
  ]);
  fileLocation = (await h.engine.locations.insert({ name: 'Server disk', uri: `file://localhost${dir('file')}`, scope: 'user' })).id;
  const r = await h.v2('post', '/browser/wordpress/install').send({ url: `${h.site}/journal`, user: 'carol', sitetitle: TITLE, login: 'carol_admin', passwd: 'Carol-Pa55-word!' });
  expect(r.body).toMatchObject({ result: true });
  site = r.body.data;
}, 300_000);

afterAll(async () => {
  await Promise.all([sftp?.stop(), ftp?.stop(), ftps?.stop(), dav?.stop(), davs?.stop(), s3?.stop()].map((p) => p?.catch(() => undefined)));
  await h?.stopAll();
  if (root) fs.rmSync(root, { recursive: true, force: true });
}, 60_000);

/** Location kinds: the bkloc to send and the secret that must never be echoed. */
const KINDS: [string, () => { bkloc: string; secret: string }][] = [
  ['local', () => ({ bkloc: 'local', secret: '' })],
  ['file:// (location id)', () => ({ bkloc: fileLocation, secret: '' })],
  ['sftp', () => ({ bkloc: `sftp://${sftp.username}:${enc(sftp.password)}@127.0.0.1:${sftp.port}/backups`, secret: sftp.password })],
  ['ssh', () => ({ bkloc: `ssh://${sftp.username}:${enc(sftp.password)}@127.0.0.1:${sftp.port}/ssh-backups`, secret: sftp.password })],
  ['ftp', () => ({ bkloc: `ftp://${ftp.username}:${enc(ftp.password)}@127.0.0.1:${ftp.port}/backups`, secret: ftp.password })],
  ['ftps', () => ({ bkloc: `ftps://${ftps.username}:${enc(ftps.password)}@127.0.0.1:${ftps.port}/backups?tls_verify=0`, secret: ftps.password })],
  ['webdav', () => ({ bkloc: `webdav://${dav.username}:${enc(dav.password)}@127.0.0.1:${dav.port}/backups`, secret: dav.password })],
  ['webdavs', () => ({ bkloc: `webdavs://${davs.username}:${enc(davs.password)}@127.0.0.1:${davs.port}/backups?tls_verify=0`, secret: davs.password })],
  // s3rver's only account has the same string as key id and secret, so only the mask can be checked here.
  ['s3', () => ({ bkloc: `s3://${s3.accessKeyId}:${s3.secretAccessKey}@${s3.endpoint}/us-east-1/${s3.bucket}/site-backups?endpoint_scheme=http`, secret: '' })],
];

/** Publishes a post through WordPress itself (wp_insert_post under PHP CLI). */
function addPost(title: string): void {
  const code = `define('WP_USE_THEMES', false); require 'wp-load.php'; echo wp_insert_post(['post_title' => ${JSON.stringify(title)}, 'post_content' => 'Kept safe.', 'post_status' => 'publish']);`;
  const out = execFileSync('php', ['-r', code], { cwd: site.path, encoding: 'utf8' });
  expect(Number(out.trim().split('\n').pop())).toBeGreaterThan(0);
}

describe.each(KINDS.map(([kind, loc], i) => [kind, loc, i % 2 === 0 ? 'v2' : 'v1'] as const))('%s', (kind, loc, protocol) => {
  test(`back up (${protocol}), damage, restore: post, upload and title are back`, async () => {
    const { bkloc, secret } = loc();
    const slug = kind.replace(/[^a-z0-9]+/g, '-');
    const postTitle = `Written before the ${slug} backup`;
    addPost(postTitle);
    const uploadRel = `wp-content/uploads/proof/${slug}.txt`;
    fs.mkdirSync(path.join(site.path, 'wp-content/uploads/proof'), { recursive: true });
    fs.writeFileSync(path.join(site.path, uploadRel), `upload for ${slug}\n`);

    const b = protocol === 'v2'
      ? await h.v2('post', `/installs/${site.id}/backup`).send({ user: 'carol', bkloc })
      : await h.v1({ cmd: 'backup', id: site.id, user: 'carol', bkloc });
    expect({ result: b.body.result, errcode: b.body.errcode, message: b.body.message }).toMatchObject({ result: true, errcode: null });
    const backupId = b.body.data.id as string;
    const label = (b.body.data.backup_location ?? b.body.data['backup-location']) as string;
    if (bkloc.includes('://')) expect(label).toMatch(/:\*\*\*\*\*@/);
    if (secret) expect(JSON.stringify(b.body)).not.toContain(secret);

    // Damage: core files and the upload gone, the posts and options tables dropped.
    fs.rmSync(path.join(site.path, 'wp-includes'), { recursive: true });
    fs.rmSync(path.join(site.path, 'wp-content/uploads/proof'), { recursive: true });
    await h.sql(`DROP TABLE \`${site.db_name}\`.wp_posts, \`${site.db_name}\`.wp_options`);
    expect((await fetchPage(`${site.url}/`)).status).toBe(500);

    const r = protocol === 'v2'
      ? await h.v2('post', `/backups/${backupId}/restore`).send({ user: 'carol' })
      : await h.v1({ cmd: 'restore', id: backupId, user: 'carol' });
    expect({ result: r.body.result, errcode: r.body.errcode, message: r.body.message }).toMatchObject({ result: true, errcode: null });
    if (secret) expect(JSON.stringify(r.body)).not.toContain(secret);

    const page = await fetchPage(`${site.url}/`);
    expect(page.status).toBe(200);
    expect(page.body).toContain(TITLE);
    expect(page.body).toContain(postTitle);
    const upload = await fetchPage(`${site.url}/${uploadRel}`);
    expect(upload).toEqual({ status: 200, body: `upload for ${slug}\n` });
    expect((await tablesOf(h, site.db_name)).sort()).toEqual([...site.tables].sort());
    if (secret) {
      const logs = JSON.stringify((await h.v2('get', '/logs?limit=1000&user=carol')).body) + JSON.stringify((await h.v2('get', '/tasks?limit=1000')).body) + h.logLines.join('\n');
      expect(logs).not.toContain(secret);
    }
  });
});
