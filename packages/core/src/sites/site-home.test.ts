import { isRemoteHome, publicHome, relativeToHome } from './site-home';

describe('site-home', () => {
  test('local paths are not remote; URIs are', () => {
    expect(isRemoteHome('/home/u')).toBe(false);
    expect(isRemoteHome('sftp://u:p@h/home/u')).toBe(true);
    expect(isRemoteHome('ftps://u:p@h:21')).toBe(true);
  });

  test('publicHome cuts the password, also an encoded one and one holding an unencoded slash', () => {
    expect(publicHome('sftp://igweb:s3cr%40t@127.0.0.1:2222/home/igweb/')).toBe('sftp://igweb@127.0.0.1:2222/home/igweb');
    expect(publicHome('ftp://u:pa/ss@host/www')).toBe('ftp://u@host/www');
    expect(publicHome('sftp://u@host/x')).toBe('sftp://u@host/x');
    expect(publicHome('sftp://host/x')).toBe('sftp://host/x');
    expect(publicHome('/home/u/')).toBe('/home/u/');
  });

  test('relativeToHome finds the folder below the home, by whole segments only', () => {
    const home = 'sftp://u:secret@h:22/srv/home';
    expect(relativeToHome(home, 'sftp://u@h:22/srv/home/public_html/blog')).toBe('public_html/blog');
    expect(relativeToHome(home, 'sftp://u@h:22/srv/home')).toBe('');
    expect(relativeToHome(home, 'sftp://u@h:22/srv/homeX/a')).toBeNull();
    expect(relativeToHome(home, 'sftp://v@h:22/srv/home/a')).toBeNull();
    expect(relativeToHome('/srv/home', '/srv/home/a/b')).toBe('a/b');
  });
});
