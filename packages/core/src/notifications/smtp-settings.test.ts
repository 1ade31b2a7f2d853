import { engineErrorOf as failure } from '../testing/test-accounts';
import { checkDisabledNotifications, checkSmtpSettings } from './smtp-settings';

describe('checkSmtpSettings', () => {
  it('no host (absent, empty, blank) is mail off', () => {
    expect(checkSmtpSettings(undefined)).toBeNull();
    expect(checkSmtpSettings({ host: '' })).toBeNull();
    expect(checkSmtpSettings({ host: '  ', pass: 'x' })).toBeNull();
  });

  it('fills the port of each mode, verification on, and a From address', () => {
    expect(checkSmtpSettings({ host: 'mail.example.test' })).toMatchObject({ port: 25, secure: 'auto', tlsVerify: true, user: '', pass: '', from: expect.stringMatching(/^installgate@/) });
    expect(checkSmtpSettings({ host: 'm', secure: 'starttls' })?.port).toBe(587);
    expect(checkSmtpSettings({ host: 'm', secure: 'tls' })?.port).toBe(465);
    expect(checkSmtpSettings({ host: 'm', port: 2525, from: 'Sites <sites@example.test>' })).toMatchObject({ port: 2525, from: 'Sites <sites@example.test>' });
  });

  it('names the bad setting and never repeats the password', () => {
    const pass = 'very-secret-pw';
    const cases: [Parameters<typeof checkSmtpSettings>[0], string][] = [
      [{ host: 'm', secure: 'ssl' as never, pass, user: 'u' }, 'smtp_secure'],
      [{ host: 'm', port: 70000, pass, user: 'u' }, 'smtp_port'],
      [{ host: 'm x', pass, user: 'u' }, 'smtp_host'],
      [{ host: 'm', pass }, 'smtp_user'],
      [{ host: 'm', from: 'not an address', pass, user: 'u' }, 'smtp_from'],
    ];
    for (const [s, field] of cases) {
      const e = failure(() => checkSmtpSettings(s));
      expect({ errcode: e.errcode, errfield: e.errfield }).toEqual({ errcode: 'invalid_argument_settings', errfield: field });
      expect(e.message).not.toContain(pass);
    }
  });
});

describe('checkDisabledNotifications', () => {
  it('accepts §8.3 types and refuses others', () => {
    expect(checkDisabledNotifications(['backup', 'sync_error'])).toEqual(['backup', 'sync_error']);
    expect(checkDisabledNotifications(undefined)).toEqual([]);
    expect(failure(() => checkDisabledNotifications(['backups'])).errfield).toBe('notification_disabled');
  });
});
