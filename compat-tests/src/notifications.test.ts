import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startSftpServer, type SftpTestServer } from '@installgate/storage/dist/test-servers';
import { ensureMirror, freePort, startSmtpSink, type SmtpSink } from '@installgate/testkit';
import { startAppHarness, type AppHarness } from './app-harness';
import { readMail } from './read-mail';
import { startServerProcess } from './server-process';

/**
 * E-mail notifications (spec §8.3) end to end: real installs and backups through v2 and v1, a real SMTP server on
 * loopback (STARTTLS + AUTH) collecting what the server sends. Mails go out one at a time in the order the events
 * happened, so "no mail for X" is proven by the next mail that does arrive (or by draining the engine's queue),
 * never by waiting a while.
 */
jest.setTimeout(120_000);

const SMTP_PASS = 'smtp-Pass-0f-the-relay';
let sink: SmtpSink;
let sftp: SftpTestServer;
let sftpRoot: string;
let h: AppHarness;

/** `Time:` of a mail as unix seconds. */
function mailTime(text: string): number {
  const m = /^Time: +(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) UTC$/m.exec(text);
  expect(m).not.toBeNull();
  return Date.parse(`${m![1]!.replace(' ', 'T')}Z`) / 1000;
}

const now = () => Math.floor(Date.now() / 1000);

beforeAll(async () => {
  sink = await startSmtpSink({ auth: { user: 'relay', pass: SMTP_PASS }, starttls: true });
  sftpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'ig-notify-sftp-'));
  sftp = await startSftpServer({ root: sftpRoot });
  h = await startAppHarness('carol', {
    settingsIni: [
      'smtp_host=127.0.0.1', `smtp_port=${sink.port}`, 'smtp_secure=starttls', 'smtp_tls_verify=no',
      'smtp_user=relay', `smtp_pass=${SMTP_PASS}`, 'smtp_from=Installgate <installgate@example.test>', '',
    ].join('\n'),
  });
}, 180_000);

afterAll(async () => {
  await h?.stopAll();
  await sftp?.stop();
  await sink?.stop();
  fs.rmSync(sftpRoot, { recursive: true, force: true });
}, 60_000);

let site: { id: string; url: string; db_pass: string };

test('v2 install with `notification` enabling installs: one mail to the owner naming the install, URL, event and time', async () => {
  const before = now();
  const r = await h.v2('post', '/browser/testapp-db/install').send({
    user: 'carol', url: `${h.site}/notify`, sitetitle: 'Notify Site', notification: ['install', 'backup', 'backup_error'],
  });
  expect(r.body).toMatchObject({ result: true, errcode: null });
  site = r.body.data;
  expect(r.body.data.notification).toEqual(['install', 'backup', 'backup_error']);
  const v1 = await h.v1({ cmd: 'view', id: site.id, user: 'carol' });
  expect(v1.body.data['list-notification']).toBe('install,backup,backup_error');

  const mail = await sink.nth(1);
  expect(mail).toMatchObject({ from: 'installgate@example.test', to: ['carol@example.test'], user: 'relay', secure: true });
  const { subject, text } = readMail(mail);
  expect(subject).toBe('Installed: Notify Site');
  expect(text).toMatch(/^Hello carol,$/m);
  expect(text).toMatch(/^Install: +Notify Site$/m);
  expect(text).toContain(`URL:        ${h.site}/notify`);
  expect(text).toMatch(/^Event: +install$/m);
  expect(text).toMatch(new RegExp(`^Install id: +${site.id}$`, 'm'));
  expect(mailTime(text)).toBeGreaterThanOrEqual(before);
  expect(mailTime(text)).toBeLessThanOrEqual(now());
  // The site's database password and the relay's password are in no mail.
  expect(mail.raw).not.toContain(site.db_pass);
  expect(mail.raw).not.toContain(SMTP_PASS);
});

test('v1 install with a comma list that leaves out `install`: no install mail; its backup is mailed', async () => {
  const r = await h.v1({ cmd: 'install', application: 'testapp-static', user: 'carol', url: `${h.site}/quiet`, sitetitle: 'Quiet Site', notification: 'backup,backup_error' });
  expect(r.body).toMatchObject({ result: true, errcode: null });
  const quiet = r.body.data;
  expect(quiet['list-notification']).toBe('backup,backup_error');
  expect((await h.v2('get', `/installs/${quiet.id}`).query({ user: 'carol' })).body.data.notification).toEqual(['backup', 'backup_error']);

  const b = await h.v1({ cmd: 'backup', id: quiet.id, user: 'carol' });
  expect(b.body).toMatchObject({ result: true, errcode: null });
  // Mails leave in event order: the install ended before the backup started, so its mail would be here first.
  const mail = await sink.nth(2);
  expect(readMail(mail).subject).toBe('Backup created: Quiet Site');
  expect(sink.received.map((m) => readMail(m).subject)).toEqual(['Installed: Notify Site', 'Backup created: Quiet Site']);
});

test('a backup done event (v2): the backup mail', async () => {
  const b = await h.v2('post', `/installs/${site.id}/backup`).send({ user: 'carol', backup_note: 'nightly' });
  expect(b.body).toMatchObject({ result: true, errcode: null });
  const { subject, text } = readMail(await sink.nth(3));
  expect(subject).toBe('Backup created: Notify Site');
  expect(text).toMatch(/^Event: +backup$/m);
  expect(text).not.toMatch(/^Error/m);
});

test('a backup to a location that refuses the login: the backup_error mail with errcode and message, no password', async () => {
  const wrong = 'wrong-sftp-password';
  const uri = `sftp://${sftp.username}:${wrong}@127.0.0.1:${sftp.port}/backups`;
  // Mails follow operations that ran as a task. In the foreground the refused login is found by the preflight and
  // answered to the caller (no task, no mail); `quick` skips the preflight, so the task itself fails.
  const foreground = await h.v2('post', `/installs/${site.id}/backup`).send({ user: 'carol', bkloc: uri });
  expect({ status: foreground.status, errcode: foreground.body.errcode }).toEqual({ status: 500, errcode: 'failed_filesystem_login' });
  const b = await h.v2('post', `/installs/${site.id}/backup`).send({ user: 'carol', bkloc: uri, background: 'quick' });
  expect(b.body).toMatchObject({ result: true, errcode: null });
  const mail = await sink.nth(4);
  const task = (await h.v2('get', '/tasks?limit=1000').expect(200)).body.data.find((t: { id: string }) => t.id === b.body.task.id);
  expect(task).toMatchObject({ status: 'failed', errcode: 'failed_filesystem_login' });
  const { subject, text } = readMail(mail);
  expect(subject).toBe('Backup failed: Notify Site');
  expect(text).toMatch(/^Event: +backup_error$/m);
  expect(text).toMatch(/^Error code: +failed_filesystem_login$/m);
  expect(text).toContain(`Error:      Backup location sftp://${sftp.username}:*****@127.0.0.1:${sftp.port}/backups: `);
  expect(text).toMatch(/^Error: .*login refused/m);
  for (const secret of [wrong, sftp.password, SMTP_PASS, site.db_pass]) expect(mail.raw).not.toContain(secret);
  await h.engine.notifications.drain();
  expect(sink.received).toHaveLength(4);
});

test('v1 edit to `all` (the 14 v1 types), then a backup, a restore and a stage clone: one mail each, the clone names its new URL', async () => {
  const e = await h.v1({ cmd: 'edit', id: site.id, user: 'carol', notification: 'all' });
  expect(e.body).toMatchObject({ result: true, errcode: null });
  const record = (await h.v2('get', `/installs/${site.id}`).query({ user: 'carol' })).body.data;
  expect(record.notification).toHaveLength(14);
  expect(record.notification).not.toContain('sync');
  // A restore brings back the record as it was backed up, notification list included: back up after the edit.
  const b = await h.v2('post', `/installs/${site.id}/backup`).send({ user: 'carol' });
  expect(readMail(await sink.nth(5)).subject).toBe('Backup created: Notify Site');
  const r = await h.v2('post', `/backups/${b.body.data.id}/restore`).send({ user: 'carol' });
  expect(r.body).toMatchObject({ result: true, errcode: null });
  const restored = readMail(await sink.nth(6));
  expect(restored.subject).toBe('Restored: Notify Site');
  expect(restored.text).toMatch(/^Event: +restore$/m);
  const c = await h.v2('post', `/installs/${site.id}/clone`).send({ user: 'carol', url: `${h.site}/notify-stage`, stage: true });
  expect(c.body).toMatchObject({ result: true, errcode: null });
  const cloned = readMail(await sink.nth(7));
  expect(cloned.subject).toBe('Cloned: Notify Site');
  expect(cloned.text).toContain(`URL:        ${h.site}/notify-stage`);
  expect(cloned.text).toMatch(new RegExp(`^Install id: +${c.body.data.id}$`, 'm'));
});

test('v2 edit to the v2-only `sync` type, then a sync from the stage: the sync mail', async () => {
  const e = await h.v2('post', `/installs/${site.id}`).send({ user: 'carol', notification: ['sync', 'sync_error'] });
  expect(e.body).toMatchObject({ result: true, errcode: null });
  expect((await h.v1({ cmd: 'view', id: site.id, user: 'carol' })).body.data['list-notification']).toBe('sync,sync_error');
  const r = await h.v2('post', `/installs/${site.id}/sync`).send({ user: 'carol' });
  expect(r.body).toMatchObject({ result: true, errcode: null });
  const synced = readMail(await sink.nth(8));
  expect(synced.subject).toBe('Synced: Notify Site');
  expect(synced.text).toMatch(/^Event: +sync$/m);
});

test('capturing a template from the install (v2 list [template]): the template mail', async () => {
  await h.v2('post', `/installs/${site.id}`).send({ user: 'carol', notification: ['template', 'backup'] }).expect(200);
  const r = await h.v2('post', `/installs/${site.id}/template`).send({ user: 'carol', name: 'Notify Starter' });
  expect(r.body).toMatchObject({ result: true, errcode: null });
  const mail = readMail(await sink.nth(9));
  expect(mail.subject).toBe('Template created: Notify Site');
  expect(mail.text).toMatch(/^Event: +template$/m);
});

test('an update (v2 install at 1.0.0 with [update, update_error]): no install mail, then the update mail', async () => {
  const r = await h.v2('post', '/browser/testapp-static/install').send({ user: 'carol', url: `${h.site}/old`, sitetitle: 'Old Static', version: '1.0.0', notification: ['update', 'update_error'] });
  expect(r.body).toMatchObject({ result: true, errcode: null });
  const u = await h.v2('post', `/installs/${r.body.data.id}/update`).send({ user: 'carol', version: '1.1.0' });
  expect(u.body).toMatchObject({ result: true, errcode: null });
  const mail = readMail(await sink.nth(10));
  expect(mail.subject).toBe('Updated: Old Static');
  expect(mail.text).toMatch(/^Event: +update$/m);
});

test('SMTP down: the operation still succeeds and the failed send is in the activity log as an error', async () => {
  await sink.stop();
  const b = await h.v2('post', `/installs/${site.id}/backup`).send({ user: 'carol' });
  expect({ status: b.status, result: b.body.result, errcode: b.body.errcode }).toEqual({ status: 200, result: true, errcode: null });
  const task = (await h.v2('get', '/tasks?limit=1000').expect(200)).body.data.find((t: { cmd: string; status: string; install: string }) => t.cmd === 'installs/backup' && t.install === site.id && t.status === 'complete');
  expect(task).toBeDefined();
  // The send runs after the task; the in-process engine's queue says when it is over (no waiting on time).
  await h.engine.notifications.drain();
  const logs = (await h.v2('get', '/logs').query({ user: 'carol', limit: 100 }).expect(200)).body.data as { cmd: string; severity: string; message: string; install: string }[];
  const failed = logs.filter((l) => l.cmd === 'notifications/send' && l.severity === 'error');
  expect(failed).toHaveLength(1);
  expect(failed[0]).toMatchObject({ install: site.id, message: expect.stringMatching(/^The backup notification to carol@example\.test could not be sent: E[A-Z]+: .*ECONNREFUSED/) });
  const sent = logs.filter((l) => l.cmd === 'notifications/send' && l.severity === 'notice');
  expect(sent).toHaveLength(10);
  expect(JSON.stringify(logs)).not.toContain(SMTP_PASS);
  expect(h.logLines.join('')).not.toContain(SMTP_PASS);
});

describe('the server binary reads smtp_* from settings.ini', () => {
  const KEY = 'notify-binary-key-0123456789';
  let dir: string;
  let relay: SmtpSink;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ig-notify-bin-'));
    relay = await startSmtpSink({ auth: { user: 'relay', pass: SMTP_PASS } });
  });
  afterAll(async () => {
    await relay?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** A data directory whose settings.ini holds `lines`, and the environment of a server on it. */
  async function home(name: string, lines: string[]): Promise<Record<string, string>> {
    const h = path.join(dir, name);
    fs.mkdirSync(h);
    fs.writeFileSync(path.join(h, 'settings.ini'), ['embedded_db=no', 'admin=admin', ...lines, ''].join('\n'), { mode: 0o600 });
    return { INSTALLGATE_HOME: h, INSTALLGATE_PORT: String(await freePort()), INSTALLGATE_API_KEY: KEY, INSTALLGATE_MIRROR_DIR: await ensureMirror() };
  }

  test('an install through the real server mails its owner', async () => {
    const server = await startServerProcess(await home('ok', ['smtp_host=127.0.0.1', `smtp_port=${relay.port}`, 'smtp_secure=none', 'smtp_user=relay', `smtp_pass=${SMTP_PASS}`, 'smtp_from=ig@example.test']));
    try {
      const call = async (method: string, url: string, body: unknown) => (await fetch(`${server.url}${url}`, {
        method, headers: { 'X-API-KEY': KEY, 'Content-Type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(60_000),
      })).json() as Promise<{ result: boolean; data: { id: string } }>;
      const site = `http://127.0.0.1:${await freePort()}`;
      expect((await call('POST', '/users', { id: 'dana', email: 'dana@example.test', websites: [{ vhosts: { [site]: 'public_html' } }] })).result).toBe(true);
      const r = await call('POST', '/browser/testapp-static/install', { user: 'dana', url: `${site}/static`, sitetitle: 'Binary Site', notification: ['install'] });
      expect(r.result).toBe(true);
      const mail = await relay.nth(1);
      expect(mail).toMatchObject({ to: ['dana@example.test'], from: 'ig@example.test', user: 'relay' });
      expect(readMail(mail).subject).toBe('Installed: Binary Site');
    } finally {
      await server.stop();
    }
    expect(server.output()).not.toContain(SMTP_PASS);
  });

  test('a broken smtp setting stops the start, naming it and not the password', async () => {
    const env = await home('bad', ['smtp_host=127.0.0.1', 'smtp_user=relay', `smtp_pass=${SMTP_PASS}`, 'smtp_from=not an address']);
    const failed = await startServerProcess(env).then(() => null, (e: unknown) => String(e));
    expect(failed).toMatch(/smtp_from/);
    expect(failed).not.toContain(SMTP_PASS);
  });
});

