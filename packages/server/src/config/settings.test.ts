import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ini from 'ini';
import { loadSettings } from './settings';

function tmpHome(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'ig-settings-'));
}

describe('loadSettings', () => {
  test('first start generates a key into settings.ini, owner-readable only', () => {
    const home = tmpHome();
    const s = loadSettings({ INSTALLGATE_HOME: home });
    expect(s.key_generated).toBe(true);
    expect(s.key.length).toBeGreaterThanOrEqual(32);
    const file = ini.parse(fs.readFileSync(path.join(home, 'settings.ini'), 'utf8'));
    expect(file.key).toBe(s.key);
    expect(file.admin).toBe('admin');
    expect(fs.statSync(path.join(home, 'settings.ini')).mode & 0o077).toBe(0);
    // Second start keeps the key.
    const again = loadSettings({ INSTALLGATE_HOME: home });
    expect(again.key).toBe(s.key);
    expect(again.key_generated).toBe(false);
  });

  test('environment variables override settings.ini', () => {
    const home = tmpHome();
    fs.writeFileSync(path.join(home, 'settings.ini'), 'key=filekey123\nkey2=second-key\nadmin=root\nport=9000\ndb_url=mysql://a:b@127.0.0.1:3306\n');
    const s = loadSettings({ INSTALLGATE_HOME: home, INSTALLGATE_PORT: '8181', INSTALLGATE_API_KEY: 'envkey-abcdef', INSTALLGATE_HOST: '127.0.0.2' });
    expect(s).toMatchObject({ port: 8181, key: 'envkey-abcdef', key2: 'second-key', admin: 'root', host: '127.0.0.2', db_url: 'mysql://a:b@127.0.0.1:3306' });
    expect(s.key_generated).toBe(false);
    expect(loadSettings({ INSTALLGATE_HOME: home }).port).toBe(9000);
  });

  test('a broken setting stops the start with its name', () => {
    const home = tmpHome();
    fs.writeFileSync(path.join(home, 'settings.ini'), 'key=filekey123\ndefault_autoup=sometimes\n');
    expect(() => loadSettings({ INSTALLGATE_HOME: home })).toThrow(/default_autoup/);
    expect(() => loadSettings({ INSTALLGATE_HOME: tmpHome(), INSTALLGATE_PORT: 'eighty' })).toThrow(/INSTALLGATE_PORT/);
  });

  test('smtp_* settings: off by default; read with their defaults; a password stays text', () => {
    expect(loadSettings({ INSTALLGATE_HOME: tmpHome() })).toMatchObject({ smtp: { host: '' }, notification_disabled: [] });
    const home = tmpHome();
    fs.writeFileSync(path.join(home, 'settings.ini'), [
      'key=filekey123', 'smtp_host=mail.example.test', 'smtp_port=2525', 'smtp_secure=starttls', 'smtp_tls_verify=no',
      'smtp_user=sites', 'smtp_pass="p#ss;word"', 'smtp_from=Sites <sites@example.test>', 'notification_disabled=template, template_error', '',
    ].join('\n'));
    expect(loadSettings({ INSTALLGATE_HOME: home })).toMatchObject({
      smtp: { host: 'mail.example.test', port: 2525, secure: 'starttls', tlsVerify: false, user: 'sites', pass: 'p#ss;word', from: 'Sites <sites@example.test>' },
      notification_disabled: ['template', 'template_error'],
    });
    fs.writeFileSync(path.join(home, 'settings.ini'), 'key=filekey123\nsmtp_host=m\nsmtp_user=u\nsmtp_pass=true\n');
    expect(loadSettings({ INSTALLGATE_HOME: home }).smtp).toMatchObject({ secure: 'auto', tlsVerify: true, pass: 'true' });
  });

  test('a broken smtp setting stops the start with its name and without the password', () => {
    const home = tmpHome();
    fs.writeFileSync(path.join(home, 'settings.ini'), 'key=filekey123\nsmtp_host=m\nsmtp_pass=Hunter2-secret\nsmtp_port=smtp\n');
    expect(() => loadSettings({ INSTALLGATE_HOME: home })).toThrow(/smtp_port/);
    fs.writeFileSync(path.join(home, 'settings.ini'), 'key=filekey123\nsmtp_host=m\nsmtp_pass=Hunter2-secret\nsmtp_secure=ssl\n');
    let message = '';
    try {
      loadSettings({ INSTALLGATE_HOME: home });
    } catch (e) {
      message = String(e);
    }
    expect(message).toMatch(/smtp_secure/);
    expect(message).not.toContain('Hunter2-secret');
  });
});
