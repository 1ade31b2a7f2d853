import { freePort, startSmtpSink, type SmtpSink } from '@installgate/testkit';
import { EngineError } from '@installgate/contracts';
import { createSmtpMailer } from './smtp-mailer';
import { checkSmtpSettings } from './smtp-settings';

const PASS = 'S3cret-smtp-pass!';
const mail = { subject: 'Backup created: Blog', text: 'Hello alice,\n\nA backup was created.\n', html: '<p>Hello alice,</p>' };

/** The failure of a send that must fail: the EngineError it threw. */
async function sendFailure(p: Promise<void>): Promise<EngineError> {
  const e = await p.then(() => null, (err: unknown) => err);
  expect(e).toBeInstanceOf(EngineError);
  return e as EngineError;
}

describe('smtp mailer against a real SMTP server on loopback', () => {
  let plain: SmtpSink;
  let secured: SmtpSink;
  beforeAll(async () => {
    plain = await startSmtpSink();
    secured = await startSmtpSink({ auth: { user: 'mailer', pass: PASS }, starttls: true });
  });
  afterAll(async () => {
    await plain?.stop();
    await secured?.stop();
  });

  it('sends text and HTML from smtp_from to the owner, without AUTH when no user is set', async () => {
    const m = createSmtpMailer(checkSmtpSettings({ host: '127.0.0.1', port: plain.port, from: 'Installgate <ig@example.test>' })!);
    await m.send('alice@example.test', mail);
    m.close();
    const got = await plain.nth(1);
    expect(got).toMatchObject({ from: 'ig@example.test', to: ['alice@example.test'], user: '', secure: false });
    expect(got.raw).toMatch(/^Subject: Backup created: Blog\r?$/m);
    expect(got.raw).toContain('A backup was created.');
    expect(got.raw).toContain('text/html');
  });

  it('STARTTLS and AUTH: the session is upgraded before the login', async () => {
    const m = createSmtpMailer(checkSmtpSettings({ host: '127.0.0.1', port: secured.port, secure: 'starttls', tlsVerify: false, user: 'mailer', pass: PASS, from: 'ig@example.test' })!);
    await m.send('bob@example.test', mail);
    m.close();
    expect(await secured.nth(1)).toMatchObject({ to: ['bob@example.test'], user: 'mailer', secure: true });
  });

  it('a certificate that does not verify is refused unless smtp_tls_verify=no', async () => {
    const m = createSmtpMailer(checkSmtpSettings({ host: '127.0.0.1', port: secured.port, secure: 'starttls', user: 'mailer', pass: PASS })!);
    const e = await sendFailure(m.send('bob@example.test', mail));
    m.close();
    expect(e.errcode).toBe('service_unavailable');
    // smtp-server's built-in certificate is self-signed (and expired): verification is what refuses it.
    expect(e.message).toMatch(/^ESOCKET: .*certificate/);
    expect(e.message).not.toContain(PASS);
  });

  it('a refused login fails with EAUTH and the password appears nowhere in the error', async () => {
    const wrong = `${PASS}-wrong`;
    const m = createSmtpMailer(checkSmtpSettings({ host: '127.0.0.1', port: secured.port, secure: 'starttls', tlsVerify: false, user: 'mailer', pass: wrong })!);
    const e = await sendFailure(m.send('bob@example.test', mail));
    m.close();
    expect(e.message).toMatch(/^EAUTH: /);
    expect(JSON.stringify({ message: e.message, details: e.details, cause: String(e.cause) })).not.toContain(wrong);
    expect(e.cause).toBeUndefined();
  });

  it('a server that is down fails with a connection error', async () => {
    const m = createSmtpMailer(checkSmtpSettings({ host: '127.0.0.1', port: await freePort(), user: 'mailer', pass: PASS })!);
    const e = await sendFailure(m.send('bob@example.test', mail));
    m.close();
    expect(e.message).toMatch(/^(ECONNECTION|ESOCKET): .*ECONNREFUSED/);
    expect(e.message).not.toContain(PASS);
  });
});
