import type { Website } from '@installgate/contracts';
import { maskWebsite, unmaskWebsite } from './website-secrets';

const stored: Website = {
  id: 'w1', label: 'site', path: 'sftp://igweb:S3cr%40t@web1.example:22/home/igweb', server: '', email: '', vhosts: {},
  databases: [{ type: 'mysql', host: 'localhost', user: 'u', name: 'db', pass: 'Db-Pass-1' }], parent: 'admin', url_ip: '',
  path_backups: '/application_backups/', mysql_host: 'localhost', language: '', suspended: false,
};

describe('website secrets in answers', () => {
  test('answers mask the URI password and database passwords', () => {
    const m = maskWebsite(stored);
    expect(m.path).toBe('sftp://igweb:*****@web1.example:22/home/igweb');
    expect(m.databases[0]!.pass).toBe('*****');
  });

  test('an answer sent back unchanged keeps the stored secrets', () => {
    expect(unmaskWebsite(maskWebsite(stored), stored)).toEqual(stored);
  });

  test('a masked password never travels to another host, user or path', () => {
    for (const path of ['sftp://igweb:*****@evil.example:22/home/igweb', 'sftp://other:*****@web1.example:22/home/igweb', 'sftp://igweb:*****@web1.example:2222/home/igweb', 'ftp://igweb:*****@web1.example:22/home/igweb']) {
      const out = unmaskWebsite({ ...maskWebsite(stored), path }, stored);
      expect(out.path).toBe(path);
      // Regression (review): the database password followed a website whose home moved to another server.
      expect(out.databases[0]!.pass).toBe('*****');
    }
    const movedDb = unmaskWebsite({ ...maskWebsite(stored), mysql_host: 'db.evil.example' }, stored);
    expect(movedDb.databases[0]!.pass).toBe('*****');
  });

  test('a new password is taken as given', () => {
    const out = unmaskWebsite({ ...stored, path: 'sftp://igweb:New-Pass@web1.example:22/home/igweb' }, stored);
    expect(out.path).toBe('sftp://igweb:New-Pass@web1.example:22/home/igweb');
  });
});
