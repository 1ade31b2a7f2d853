import { startSmtpSink, type SmtpSink } from '@installgate/testkit';
import { startAppHarness, type AppHarness } from './app-harness';
import { readMail } from './read-mail';

/**
 * `update_available` / `plugin_update_available` mails (spec §8.3) come from the scheduler, not from a task: a pass
 * tells the owner once per newer version. Real installs, a real SMTP server on loopback; "no second mail" is proven
 * by draining the engine's mail queue, never by waiting.
 */
jest.setTimeout(120_000);

let sink: SmtpSink;
let h: AppHarness;

beforeAll(async () => {
  sink = await startSmtpSink({});
  h = await startAppHarness('erin', { settingsIni: `smtp_host=127.0.0.1\nsmtp_port=${sink.port}\nsmtp_secure=none\nsmtp_from=ig@example.test\n` });
}, 180_000);

afterAll(async () => {
  await h?.stopAll();
  await sink?.stop();
}, 60_000);

const pass = async () => {
  const reports = await h.engine.apps.runScheduledJobs({ retrySeconds: 300 });
  await h.engine.notifications.drain();
  return reports.filter((r) => r.kind === 'update_notice');
};
const subjects = () => sink.received.map((m) => readMail(m).subject);

test('an install behind the catalog (v2 at 1.0.0, autoup none): one "Update available" mail naming the newest version; no second one for the same version', async () => {
  const r = await h.v2('post', '/browser/testapp-db/install').send({
    user: 'erin', url: `${h.site}/behind`, sitetitle: 'Behind Site', version: '1.0.0', autoup: 'none', notification: ['update_available'],
  });
  expect(r.body).toMatchObject({ result: true, errcode: null });
  const rec = (await h.v2('get', `/installs/${r.body.data.id}`).query({ user: 'erin' })).body.data;
  expect(rec.version).toBe('1.0.0');
  expect(rec.version_updates_available).toBeGreaterThan(0);

  const first = await pass();
  expect(first).toEqual([expect.objectContaining({ target: rec.id, outcome: 'done' })]);
  expect(subjects()).toEqual(['Update available: Behind Site']);
  const { text } = readMail(sink.received[0]!);
  expect(text).toMatch(/^Event: +update_available$/m);
  expect(text).toMatch(/^Installed version: +1\.0\.0$/m);
  expect(text).toMatch(new RegExp(`^New version: +${rec.version_available.replace(/\./g, '\\.')}$`, 'm'));

  // Told once: the next pass finds the same version already announced.
  expect(await pass()).toEqual([expect.objectContaining({ target: rec.id, outcome: 'idle' })]);
  expect(sink.received).toHaveLength(1);
});

test('v1 install whose list leaves out update_available: no job, no mail', async () => {
  const r = await h.v1({ cmd: 'install', application: 'testapp-db', user: 'erin', url: `${h.site}/quiet`, sitetitle: 'Quiet Site', version: '1.0.0', autoup: '0', notification: 'update' });
  expect(r.body).toMatchObject({ result: true, errcode: null });
  const reports = await pass();
  expect(reports.map((x) => x.target)).not.toContain(r.body.data.id);
  expect(subjects()).toEqual(['Update available: Behind Site']);
});
