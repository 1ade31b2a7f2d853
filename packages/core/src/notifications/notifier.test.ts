import { freePort, startSmtpSink, type SmtpSink } from '@installgate/testkit';
import { EngineError, type LogEntry, type Notification } from '@installgate/contracts';
import { ADMIN_SCOPE } from '../access/actor';
import { createTempEngine, type TempEngine } from '../testing/temp-engine';
import { makeInstallRecord } from '../testing/fixtures';
import { createTaskRunner } from '../tasks/task-runner';
import type { Notifier } from './notifier';

/**
 * The notifier over a real engine (SQLite) and a real SMTP server on loopback: which events become mails, to whom,
 * and that a failed send is logged and harms nothing. `drain()` is awaited instead of waiting for time.
 */
const SMTP_PASS = 'notifier-smtp-pass';
let sink: SmtpSink;
let t: TempEngine;
let n: Notifier;

async function logs(): Promise<LogEntry[]> {
  return (await t.engine.logs.list(ADMIN_SCOPE, { offset: 0, limit: 100 })).items.filter((l) => l.cmd === 'notifications/send');
}

async function addInstall(id: string, user: string, notification: Notification[]) {
  await t.engine.installs.insert(makeInstallRecord({ id, user, title: `Site ${id.slice(0, 4)}`, url: `https://${user}.example/${id.slice(0, 4)}`, url_domain: `${user}.example`, notification }));
}

beforeAll(async () => {
  sink = await startSmtpSink({ auth: { user: 'ig', pass: SMTP_PASS } });
  t = await createTempEngine({ settings: { smtp: { host: '127.0.0.1', port: sink.port, secure: 'none', user: 'ig', pass: SMTP_PASS, from: 'ig@example.test' }, notificationDisabled: ['template'] } });
  n = t.engine.notifications;
  await t.engine.users.create(ADMIN_SCOPE, { id: 'alice', email: 'alice@example.test' });
  await t.engine.users.create(ADMIN_SCOPE, { id: 'noaddr' });
  await addInstall('aaaa00000000000000000000a', 'alice', ['backup', 'backup_error', 'template']);
  await addInstall('bbbb00000000000000000000b', 'alice', []);
  await addInstall('cccc00000000000000000000c', 'noaddr', ['backup']);
});
afterAll(async () => {
  await t?.close();
  await sink?.stop();
});
beforeEach(() => { sink.received.length = 0; });

test('an enabled type mails the owner, a type the list leaves out and a type the admin disabled mail nobody', async () => {
  expect(n.enabled).toBe(true);
  n.notify({ type: 'backup', installId: 'bbbb00000000000000000000b' });
  n.notify({ type: 'template', installId: 'aaaa00000000000000000000a' });
  n.notify({ type: 'restore', installId: 'aaaa00000000000000000000a' });
  n.notify({ type: 'backup', installId: 'aaaa00000000000000000000a' });
  await n.drain();
  expect(sink.received).toHaveLength(1);
  expect(sink.received[0]).toMatchObject({ to: ['alice@example.test'], from: 'ig@example.test', user: 'ig' });
  expect(sink.received[0]!.raw).toMatch(/^Subject: Backup created: Site aaaa\r?$/m);
  expect(sink.received[0]!.raw).toContain('https://alice.example/aaaa');
  expect((await logs()).map((l) => [l.severity, l.message])).toContainEqual(['notice', 'Sent the backup notification to alice@example.test.']);
});

test('a record that is gone: the task\'s fallback list and owner decide', async () => {
  n.notify({ type: 'install_error', installId: 'gone00000000000000000000g', error: { errcode: 'internal_error', message: 'broke' }, fallback: { user: 'alice', url: 'https://alice.example/new', title: 'New Site', notification: ['install_error'] } });
  n.notify({ type: 'install_error', installId: 'gone00000000000000000000h', fallback: { user: 'alice', url: 'https://alice.example/x', title: 'X', notification: ['install'] } });
  n.notify({ type: 'install_error', installId: 'gone00000000000000000000i' });
  await n.drain();
  expect(sink.received).toHaveLength(1);
  expect(sink.received[0]!.raw).toMatch(/^Subject: Installation failed: New Site\r?$/m);
  expect(sink.received[0]!.raw).toMatch(/Error code: +internal_error/);
});

test('an owner without an e-mail address: no mail, a notice in the activity log', async () => {
  n.notify({ type: 'backup', installId: 'cccc00000000000000000000c' });
  await n.drain();
  expect(sink.received).toHaveLength(0);
  expect((await logs()).map((l) => l.message)).toContain('The backup notification was not sent: the account noaddr has no e-mail address.');
});

test('a finished task through the runner: the failure mail carries the errcode, the task\'s secrets are redacted', async () => {
  const runner = createTaskRunner({ tasks: t.engine.tasks, logger: { info() {}, warn() {}, error() {} }, nodeId: t.engine.nodeId, onSettled: n.taskSettled });
  const secret = 'db-pass-in-a-message';
  const failed = await runner.run({ cmd: 'installs/backup', user: 'alice', installId: 'aaaa00000000000000000000a', label: '_tasks_backuping', secrets: [secret] }, async () => {
    throw new EngineError('failed_filesystem_login', { message: `login refused for sftp://u:${secret}@host/x (${secret})` });
  }, { background: false }).then(() => null, (e: unknown) => e);
  expect((failed as EngineError).errcode).toBe('failed_filesystem_login');
  const ok = await runner.run({ cmd: 'installs/uninstall', user: 'alice', installId: 'aaaa00000000000000000000a', label: '_tasks_uninstalling' }, async () => 42, { background: false });
  expect(ok.result).toBe(42);
  await n.drain();
  expect(sink.received).toHaveLength(1);
  const raw = sink.received[0]!.raw;
  expect(raw).toMatch(/^Subject: Backup failed: Site aaaa\r?$/m);
  expect(raw).toMatch(/Error code: +failed_filesystem_login/);
  expect(raw).not.toContain(secret);
});

test('a listener that throws changes nothing about the task', async () => {
  const runner = createTaskRunner({ tasks: t.engine.tasks, logger: { info() {}, warn() {}, error() {} }, nodeId: t.engine.nodeId, onSettled: () => { throw new Error('listener broke'); } });
  const r = await runner.run({ cmd: 'installs/backup', user: 'alice', installId: 'aaaa00000000000000000000a', label: '_tasks_backuping' }, async () => 'done', { background: false });
  expect({ result: r.result, status: r.task.status }).toEqual({ result: 'done', status: 'complete' });
});

describe('SMTP down or off', () => {
  test('down: notify never throws, the failure is logged as an error without the password', async () => {
    const down = await createTempEngine({ settings: { smtp: { host: '127.0.0.1', port: await freePort(), secure: 'none', user: 'ig', pass: SMTP_PASS } } });
    try {
      await down.engine.users.create(ADMIN_SCOPE, { id: 'alice', email: 'alice@example.test' });
      await down.engine.installs.insert(makeInstallRecord({ id: 'dddd00000000000000000000d', user: 'alice', title: 'Down', notification: ['backup'] }));
      expect(() => down.engine.notifications.notify({ type: 'backup', installId: 'dddd00000000000000000000d' })).not.toThrow();
      await down.engine.notifications.drain();
      const entries = (await down.engine.logs.list(ADMIN_SCOPE, { offset: 0, limit: 100 })).items.filter((l) => l.cmd === 'notifications/send');
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({ severity: 'error', user: 'alice', install: 'dddd00000000000000000000d', message: expect.stringMatching(/^The backup notification to alice@example\.test could not be sent: E[A-Z]+: .*ECONNREFUSED/) });
      expect(JSON.stringify(entries)).not.toContain(SMTP_PASS);
    } finally {
      await down.close();
    }
  });

  test('off (no smtp_host): nothing is queued', async () => {
    const off = await createTempEngine();
    try {
      expect(off.engine.notifications.enabled).toBe(false);
      off.engine.notifications.notify({ type: 'backup', installId: 'x' });
      await off.engine.notifications.drain();
      expect((await off.engine.logs.list(ADMIN_SCOPE, { offset: 0, limit: 100 })).items).toEqual([]);
    } finally {
      await off.close();
    }
  });
});
