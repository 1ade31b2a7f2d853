import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EngineError } from '@installgate/contracts';
import { StorageError } from '@installgate/storage';
import { parseMigrateSource, sourceFailure } from './migrate-source';

const base = { source_url: 'http://old.example.test/blog/', source_path: 'sftp://me:p%40ss@old.example.test/public_html/blog' };
const refused = (req: Parameters<typeof parseMigrateSource>[0]) => {
  try {
    parseMigrateSource(req);
  } catch (e) {
    return e instanceof EngineError ? { errcode: e.errcode, errfield: e.errfield, message: e.message } : { thrown: String(e) };
  }
  return null;
};

describe('parseMigrateSource', () => {
  it('reads the location, masks its password in the label, trims the URL', () => {
    const s = parseMigrateSource(base);
    expect(s.location).toMatchObject({ scheme: 'sftp', host: 'old.example.test', port: 22, username: 'me', password: 'p@ss', path: '/public_html/blog' });
    expect(s.url).toBe('http://old.example.test/blog');
    expect(s.label).not.toContain('p@ss');
    expect(s.label).not.toContain('p%40ss');
    expect(s.secrets).toEqual(['p@ss']);
    expect(parseMigrateSource({ ...base, source_path: 'ftps://me:x@h/www' }).location).toMatchObject({ scheme: 'ftp', tls: true, port: 21 });
    expect(parseMigrateSource({ ...base, source_path: 'ssh://me:x@h:2222/www' }).location).toMatchObject({ scheme: 'sftp', port: 2222 });
  });

  it('refuses app:// as unsupported, other schemes and malformed URIs on source_path', () => {
    expect(refused({ ...base, source_path: 'app://admin:secret' })).toMatchObject({ errcode: 'invalid_argument_source_path', errfield: 'source_path', message: expect.stringContaining('not supported') });
    expect(refused({ ...base, source_path: 's3://k:s@h/r/b' })).toMatchObject({ errcode: 'invalid_argument_source_path' });
    expect(refused({ ...base, source_path: 'public_html/blog' })).toMatchObject({ errcode: 'invalid_argument_source_path' });
    expect(refused({ ...base, source_path: '' })).toMatchObject({ errcode: 'empty_argument_source_path', errfield: 'source_path' });
    const bad = refused({ ...base, source_path: 'ftp://me:topsecret@/x' });
    expect(bad).toMatchObject({ errcode: 'invalid_argument_source_path' });
    expect(bad!.message).not.toContain('topsecret');
  });

  it('checks source_url and source_url_ip', () => {
    expect(refused({ ...base, source_url: undefined })).toMatchObject({ errcode: 'empty_argument_source_url', errfield: 'source_url' });
    expect(refused({ ...base, source_url: 'ftp://old.example.test/' })).toMatchObject({ errcode: 'invalid_argument_source_url' });
    expect(refused({ ...base, source_url: 'http://u:p@old.example.test/' })).toMatchObject({ errcode: 'invalid_argument_source_url' });
    expect(refused({ ...base, source_url_ip: 'old.example.test' })).toMatchObject({ errcode: 'invalid_argument_source_url_ip', errfield: 'source_url_ip' });
    expect(parseMigrateSource({ ...base, source_url_ip: '::1' }).ip).toBe('::1');
  });

  it('uses source_ftu_key for SFTP without a password, and only then', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ig-migkey-'));
    try {
      const key = join(dir, 'id_ed25519');
      writeFileSync(key, 'not read here');
      expect(parseMigrateSource({ ...base, source_path: 'sftp://me@h/www', source_ftu_key: key }).location).toMatchObject({ keyAuth: true, password: null, privateKeyPath: key });
      expect(refused({ ...base, source_ftu_key: key })).toMatchObject({ errcode: 'invalid_argument_source_ftu_key' });
      expect(refused({ ...base, source_path: 'ftp://me@h/www', source_ftu_key: key })).toMatchObject({ errcode: 'invalid_argument_source_ftu_key' });
      expect(refused({ ...base, source_path: 'sftp://me@h/www', source_ftu_key: 'relative/key' })).toMatchObject({ errcode: 'invalid_argument_source_ftu_key' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

test('sourceFailure: storage codes → failed_filesystem_* on source_path; a missing folder is the source\'s', () => {
  const label = 'sftp://me:*****@h/www';
  expect(sourceFailure(new StorageError('AUTH', 'login refused'), label)).toMatchObject({ errcode: 'failed_filesystem_login', errfield: 'source_path' });
  expect(sourceFailure(new StorageError('CONNECT', 'refused'), label)).toMatchObject({ errcode: 'failed_filesystem_host' });
  expect(sourceFailure(new StorageError('NOT_FOUND', 'gone'), label)).toMatchObject({ errcode: 'failed_filesystem_directory' });
  expect(sourceFailure(new StorageError('PERMISSION', 'no'), label)).toMatchObject({ errcode: 'failed_filesystem_permission' });
  expect(sourceFailure(new StorageError('AUTH', 'x'), label).message).toContain(label);
});
