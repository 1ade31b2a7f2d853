import { LocalSiteFs } from './local-site-fs';
import { openSiteFs, parseSiteHome } from './open-site-fs';
import { StorageError } from '../storage-error';

const refusal = (p: Promise<unknown>): Promise<StorageError> =>
  p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => {
      expect(e).toBeInstanceOf(StorageError);
      return e as StorageError;
    },
  );

describe('openSiteFs / parseSiteHome', () => {
  it('an absolute folder is a LocalSiteFs labelled by its path', async () => {
    const site = await openSiteFs('/var/www/site');
    expect(site).toBeInstanceOf(LocalSiteFs);
    expect(site.label).toBe('/var/www/site');
    await site.close();
  });

  it('decodes URL-encoded credentials and labels the URI without the password', () => {
    const sftp = parseSiteHome('sftp://us%40er:p%40ss%3Aw%25rd%2Fx@example.com:2222/home/u/public_html');
    expect(sftp.config).toMatchObject({ scheme: 'sftp', username: 'us@er', password: 'p@ss:w%rd/x', host: 'example.com', port: 2222, path: '/home/u/public_html' });
    expect(sftp.label).toBe('sftp://us%40er@example.com:2222/home/u/public_html');
    const key = parseSiteHome('ssh://u:public-key@example.com/srv/site');
    expect(key.config).toMatchObject({ keyAuth: true, password: null });
    expect(key.label).toBe('ssh://u:public-key@example.com/srv/site');
    const ftps = parseSiteHome('ftps://u:s3cret%23@ftp.example.com/public_html?tls_verify=0');
    expect(ftps.config).toMatchObject({ scheme: 'ftp', tls: true, tlsVerify: false, password: 's3cret#' });
    expect(ftps.label).toBe('ftps://u@ftp.example.com/public_html?tls_verify=0');
  });

  it('refuses other schemes, relative folders and malformed URIs with PROTOCOL, never quoting the password', async () => {
    for (const home of ['webdav://u:topsecret@h/x', 's3://AK:topsecret@h/r/b', 'file:///var/www', 'relative/folder', 'sftp://u:topsecret@h:99999/x']) {
      const err = await refusal(openSiteFs(home));
      expect(err.code).toBe('PROTOCOL');
      expect(err.message).not.toContain('topsecret');
    }
    expect((await refusal(openSiteFs('webdav://u:pw@h/x'))).message).toMatch(/sftp:\/\/, ssh:\/\/, ftp:\/\/ or ftps:\/\//);
  });
});
