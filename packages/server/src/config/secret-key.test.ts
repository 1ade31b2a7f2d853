import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ini from 'ini';
import { makeInstallRecord } from '@installgate/core';
import { createMemoryLogger } from '../logger';
import { startServer } from '../server';
import { loadSettings } from './settings';

function tmpHome(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'ig-secret-key-'));
}

const settingsFile = (home: string) => path.join(home, 'settings.ini');

describe('settings.ini secret_key', () => {
  test('first start generates a 32-byte key into settings.ini (0600) and the next start keeps it', () => {
    const home = tmpHome();
    const s = loadSettings({ INSTALLGATE_HOME: home });
    expect(s.secret_key).toHaveLength(32);
    expect(s.secret_key_generated).toBe(true);
    expect(Buffer.from(ini.parse(fs.readFileSync(settingsFile(home), 'utf8')).secret_key, 'base64')).toEqual(s.secret_key);
    expect(fs.statSync(settingsFile(home)).mode & 0o077).toBe(0);
    const again = loadSettings({ INSTALLGATE_HOME: home });
    expect(again.secret_key).toEqual(s.secret_key);
    expect(again.secret_key_generated).toBe(false);
  });

  test('an existing settings.ini without secret_key gets one appended: comments and settings stay, the file becomes 0600', () => {
    const home = tmpHome();
    const before = '; our production box\nkey=filekey123\nadmin=root\n; smtp below\nsmtp_host=mail.example.test';
    fs.writeFileSync(settingsFile(home), before, { mode: 0o644 });
    const s = loadSettings({ INSTALLGATE_HOME: home });
    const text = fs.readFileSync(settingsFile(home), 'utf8');
    expect(text.startsWith(`${before}\n`)).toBe(true);
    expect(text).toMatch(/; secret_key encrypts the passwords/);
    expect(s).toMatchObject({ key: 'filekey123', admin: 'root', key_generated: false, secret_key_generated: true });
    expect(fs.statSync(settingsFile(home)).mode & 0o077).toBe(0);
  });

  test('an empty or malformed secret_key stops the start without echoing it, and is never replaced', () => {
    const home = tmpHome();
    for (const line of ['secret_key=', 'secret_key=bm90LWEta2V5', `secret_key=${'A'.repeat(43)}!`]) {
      fs.writeFileSync(settingsFile(home), `key=filekey123\n${line}\n`);
      let message = '';
      try {
        loadSettings({ INSTALLGATE_HOME: home });
      } catch (e) {
        message = String(e);
      }
      expect(message).toMatch(/secret_key is not valid/);
      expect(message).not.toContain('bm90LWEta2V5');
      expect(fs.readFileSync(settingsFile(home), 'utf8')).toBe(`key=filekey123\n${line}\n`);
    }
  });

  test('a data directory whose secret_key line was lost refuses to start instead of re-keying its passwords', async () => {
    const home = tmpHome();
    const env = { INSTALLGATE_HOME: home, INSTALLGATE_PORT: '0' };
    const first = await startServer(loadSettings(env), createMemoryLogger());
    await first.engine.installs.insert(makeInstallRecord({ db_pass: 'KeepMe-123' }));
    await first.close();

    // The operator restores an old settings.ini (no secret_key) next to the current state database.
    const lines = fs.readFileSync(settingsFile(home), 'utf8').split('\n').filter((l) => !l.startsWith('secret_key='));
    fs.writeFileSync(settingsFile(home), lines.join('\n'));
    const regenerated = loadSettings(env);
    expect(regenerated.secret_key_generated).toBe(true);
    const refused = await startServer(regenerated, createMemoryLogger()).then(() => 'started', (e: unknown) => String(e));
    expect(refused).toMatch(/had no secret_key=, so a new key was generated at this start/);
    expect(refused).toMatch(/Put back the secret_key= line/);
    expect(refused).not.toContain('KeepMe-123');
  });
});
