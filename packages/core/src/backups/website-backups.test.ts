import type { User, Website } from '@installgate/contracts';
import { accountBackupRoots, backupRootOf } from './backup-location';
import { remoteBackupRoot } from './website-backups';

const site = (path: string, path_backups = '/application_backups/'): Website => ({ path, path_backups } as Website);

describe('the local backup folder of a website', () => {
  test('on another server: the home without its password plus path_backups, kept inside the home', () => {
    expect(remoteBackupRoot(site('sftp://igweb:s3cr%40t@127.0.0.1:2222/home/igweb/'))).toBe('sftp://igweb@127.0.0.1:2222/home/igweb/application_backups');
    expect(remoteBackupRoot(site('ftp://u:pw@host/', 'backups/daily/'))).toBe('ftp://u@host/backups/daily');
    expect(remoteBackupRoot(site('ftps://u:pw@host:21', ''))).toBe('ftps://u@host:21/application_backups');
    expect(remoteBackupRoot(site('sftp://u:pw@host/home/u', '/'))).toBe('sftp://u@host/home/u');
    expect(remoteBackupRoot(site('sftp://u:pw@host/home/u', '../elsewhere'))).toBeNull();
    expect(remoteBackupRoot(site('/home/u'))).toBeNull();
  });

  test('an account lists the folders of its websites on this server and on others, no password in any', () => {
    const user = { websites: [site('/srv/homes/a'), site('sftp://a:pw@h/home/a'), site('/srv/homes/a')] } as User;
    expect(accountBackupRoots(user)).toEqual(['/srv/homes/a/application_backups', 'sftp://a@h/home/a/application_backups']);
    expect(backupRootOf(site('ftp://a:pw@h/'))).toBe('ftp://a@h/application_backups');
  });
});
