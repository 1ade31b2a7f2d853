import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EngineError } from '@installgate/contracts';
import { openSiteFs } from '@installgate/storage';
import { startRemoteWebsite, type RemoteWebsite } from '@installgate/testkit';
import { createSiteOpener } from './site-opener';
import { withSite } from './with-site';

/** The engine's way into a website on another server, against Debian's sshd (the testkit's second web server). */
let site: RemoteWebsite;
let keyFile: string;
beforeAll(async () => {
  site = await startRemoteWebsite({ protocol: 'sftp' });
  keyFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ig-key-')), 'id_ed25519');
  fs.writeFileSync(keyFile, site.privateKey, { mode: 0o600 });
}, 60_000);
afterAll(async () => {
  await site?.stop();
  fs.rmSync(path.dirname(keyFile), { recursive: true, force: true });
});

const opener = () => createSiteOpener((home) => openSiteFs(home, { sshPrivateKeyPath: keyFile }));
const failure = async (home: string): Promise<EngineError> => {
  const e = await withSite({ sites: opener() }, home, (s) => s.list('public_html')).then(() => null, (err: unknown) => err);
  expect(e).toBeInstanceOf(EngineError);
  return e as EngineError;
};

test('a `public-key` login uses the ssh_key file (settings.ini) and reaches the home', async () => {
  const home = site.uri.replace(/^sftp:\/\/([^:]+):[^@]+@/, 'sftp://$1:public-key@');
  const names = await withSite({ sites: opener() }, home, async (s) => (await s.list('')).map((e) => e.name));
  expect(names).toContain('public_html');
});

test('a refused password is failed_filesystem_login, naming the website but not the password', async () => {
  const e = await failure(site.wrongPasswordUri);
  expect(e.errcode).toBe('failed_filesystem_login');
  expect(e.message).toContain(`127.0.0.1:${site.port}`);
  const wrong = decodeURIComponent(/:([^:@]+)@/.exec(site.wrongPasswordUri.slice(7))![1]!);
  for (const secret of [wrong, encodeURIComponent(wrong), site.password, encodeURIComponent(site.password)]) expect(e.message).not.toContain(secret);
});

test('a closed port is failed_filesystem_host', async () => {
  const e = await failure(await site.closedPortUri());
  expect(e.errcode).toBe('failed_filesystem_host');
  expect(e.message).not.toContain(site.password);
});

test('a local home needs no connection: LocalSiteFs', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ig-home-'));
  fs.mkdirSync(path.join(dir, 'public_html'));
  const s = await opener().open(dir);
  expect(s.kind).toBe('local');
  expect((await s.list('')).map((e) => e.name)).toEqual(['public_html']);
  fs.rmSync(dir, { recursive: true, force: true });
});
