import { formatLocationUri, redactUri } from './format-location-uri';
import { redactConfig, type LocationConfig } from './location-config';
import { LocationUriError, parseLocationUri } from './location-uri';

const reasonOf = (uri: string): string => {
  try {
    parseLocationUri(uri);
    return 'parsed';
  } catch (err) {
    expect(err).toBeInstanceOf(LocationUriError);
    return (err as LocationUriError).reason;
  }
};

describe('parseLocationUri', () => {
  it('local and file://', () => {
    expect(parseLocationUri('local')).toEqual({ scheme: 'local', path: null });
    expect(parseLocationUri('file://localhost/backup_test')).toEqual({ scheme: 'local', path: '/backup_test' });
    expect(parseLocationUri('file:///srv/backups/')).toEqual({ scheme: 'local', path: '/srv/backups' });
    expect(parseLocationUri('file://localhost/My%20Backups')).toEqual({ scheme: 'local', path: '/My Backups' });
    expect(reasonOf('file://otherhost/x')).toBe('malformed');
  });

  it('ftp and ftps (explicit TLS, default port 21 — spec §9 #21)', () => {
    expect(parseLocationUri('ftp://abcDEF:ghiJKL@website.com:21/backup_test')).toEqual({
      scheme: 'ftp',
      tls: false,
      host: 'website.com',
      port: 21,
      username: 'abcDEF',
      password: 'ghiJKL',
      path: '/backup_test',
      tlsVerify: true,
    });
    expect(parseLocationUri('ftps://user:pass@server/directory')).toMatchObject({ scheme: 'ftp', tls: true, port: 21, path: '/directory' });
    expect(parseLocationUri('ftps://abcDEF:ghiJKL@website.com:22/backup_test')).toMatchObject({ tls: true, port: 22 });
    expect(parseLocationUri('ftp://server')).toMatchObject({ username: '', password: '', path: '/' });
    expect(parseLocationUri('ftps://u:p@h/d?tls_verify=0')).toMatchObject({ tlsVerify: false });
  });

  it('sftp and ssh, with password or public-key', () => {
    expect(parseLocationUri('sftp://abcDEF:ghiJKL@website.com:22/backup_test')).toEqual({
      scheme: 'sftp',
      uriScheme: 'sftp',
      host: 'website.com',
      port: 22,
      username: 'abcDEF',
      password: 'ghiJKL',
      keyAuth: false,
      path: '/backup_test',
    });
    expect(parseLocationUri('ssh://user:pass@server/directory')).toMatchObject({ uriScheme: 'ssh', port: 22, password: 'pass', keyAuth: false });
    expect(parseLocationUri('ssh://user:public-key@server/directory')).toMatchObject({ password: null, keyAuth: true });
    expect(reasonOf('sftp://server/dir')).toBe('malformed'); // no user
  });

  it('webdav and webdavs', () => {
    expect(parseLocationUri('webdav://User:Pass@Endpoint/Folder')).toEqual({
      scheme: 'webdav',
      tls: false,
      host: 'Endpoint',
      port: 80,
      username: 'User',
      password: 'Pass',
      path: '/Folder',
      tlsVerify: true,
    });
    expect(parseLocationUri('webdavs://user:pass@server/backups')).toMatchObject({ tls: true, port: 443 });
    expect(parseLocationUri('webdavs://user:pass@server:8443/a/b/')).toMatchObject({ port: 8443, path: '/a/b' });
  });

  it('s3, v2 form: AccessKey:SecretKey@Endpoint/Region/Bucket/Folder', () => {
    expect(parseLocationUri('s3://123ABC:12abAB@s3.us-east-1.amazonaws.com/us-east-1/s3.myhost.com/testprefix')).toEqual({
      scheme: 's3',
      form: 'v2',
      accessKeyId: '123ABC',
      secretAccessKey: '12abAB',
      endpoint: 's3.us-east-1.amazonaws.com',
      endpointScheme: 'https',
      region: 'us-east-1',
      bucket: 's3.myhost.com',
      prefix: 'testprefix',
      tlsVerify: true,
    });
    expect(parseLocationUri('s3://k:s@minio.lan:9000/eu-1/bucket?endpoint_scheme=http')).toMatchObject({
      endpoint: 'minio.lan:9000',
      endpointScheme: 'http',
      bucket: 'bucket',
      prefix: '',
    });
    expect(parseLocationUri('s3://k:s@e/r/b/deep/folder/')).toMatchObject({ prefix: 'deep/folder' });
  });

  it('s3, v1 form: key:secret@bucket-id.region-id (AWS)', () => {
    expect(parseLocationUri('s3://aws-access-key:aws-secret-key@bucket-id.eu-west-1')).toEqual({
      scheme: 's3',
      form: 'v1',
      accessKeyId: 'aws-access-key',
      secretAccessKey: 'aws-secret-key',
      endpoint: null,
      endpointScheme: 'https',
      region: 'eu-west-1',
      bucket: 'bucket-id',
      prefix: '',
      tlsVerify: true,
    });
    expect(parseLocationUri('s3://k:s@my.dotted.bucket.us-gov-west-1')).toMatchObject({ bucket: 'my.dotted.bucket', region: 'us-gov-west-1' });
  });

  it('URL-decodes user and password, and tolerates an unencoded @ in the password', () => {
    expect(parseLocationUri('ftp://me%40example.com:p%40ss%3Aw%2Frd%20x@host/d')).toMatchObject({ username: 'me@example.com', password: 'p@ss:w/rd x' });
    expect(parseLocationUri('ftp://user:p@ss@host/d')).toMatchObject({ username: 'user', password: 'p@ss', host: 'host' });
    expect(parseLocationUri('s3://AK:se%2Bcr%2Fet@e/r/b')).toMatchObject({ secretAccessKey: 'se+cr/et' });
  });

  it('recognises OAuth and unsupported schemes and refuses them', () => {
    for (const uri of ['dropbox2://auth-id:token@app-id', 'dropbox3://AccountId:RefreshToken@vhfs35tzjvyhukc', 'gdrive://google:RefreshToken@drive.google.com']) {
      expect(reasonOf(uri)).toBe('oauth_required');
      try {
        parseLocationUri(uri);
      } catch (err) {
        expect((err as Error).message).toMatch(/OAuth/);
        expect((err as Error).message).not.toContain('RefreshToken');
        expect((err as Error).message).not.toContain('token');
      }
    }
    expect(reasonOf('rackspace://AccountId:SecretKey@Container')).toBe('unsupported');
    expect(reasonOf('gopher://host/x')).toBe('unsupported');
  });

  it('refuses malformed URIs', () => {
    const malformed = [
      'ftp:///backup_test', // no host
      'ftp://user:pass@/dir', // no host
      'ftp://u:p@host:99999/d', // bad port
      'ftp://u:p@host:abc/d', // bad port
      'ftp://u:p@host:0/d', // bad port
      's3://k:s@endpoint/us-east-1', // missing bucket (v2)
      's3://k:s@bucket-without-region', // missing bucket/region (v1)
      's3://k:s@bucket.com', // 'com' is no region
      's3://@e/r/b', // no credentials
      '1234567890abcdefghij12345', // a location id
      'not a uri',
      'ftp://u:p%ZZ@host/d', // bad percent-encoding
      'ftp://u:p@host/a/../b', // dot segments
      'ftp://u:pa#ss@host/d', // unencoded #
      'ftp://u:p@host/d?tls_verify=0', // option for another scheme
      'ftps://u:p@host/d?tls_verify=maybe',
    ];
    for (const uri of malformed) expect([uri, reasonOf(uri)]).toEqual([uri, 'malformed']);
  });

  it('never puts the password in an error message', () => {
    for (const uri of ['ftp://u:Secr3tPass@host:99999/d', 's3://k:Secr3tPass@endpoint/us-east-1', 'ftp://u:Secr3tPass@/d']) {
      try {
        parseLocationUri(uri);
        throw new Error('parsed');
      } catch (err) {
        expect((err as Error).message).not.toContain('Secr3tPass');
      }
    }
  });
});

describe('formatLocationUri', () => {
  const uris = [
    'local',
    'file://localhost/backup_test',
    'ftp://abcDEF:ghiJKL@website.com/backup_test',
    'ftps://abcDEF:ghiJKL@website.com:22/backup_test',
    'ftps://u:p@h/d?tls_verify=0',
    'sftp://abcDEF:ghiJKL@website.com/backup_test',
    'ssh://user:public-key@server:2222/directory',
    'webdav://User:Pass@Endpoint/Folder',
    'webdavs://user:pass@server/backups',
    's3://123ABC:12abAB@s3.us-east-1.amazonaws.com/us-east-1/s3.myhost.com/testprefix',
    's3://k:s@minio.lan:9000/eu-1/bucket?endpoint_scheme=http',
    's3://aws-access-key:aws-secret-key@bucket-id.eu-west-1',
    'ftp://me%40example.com:p%40ss%3Aw%2Frd%20x@host/My%20Folder/%C3%BC',
    'sftp://u:p@[::1]:2200/x',
  ];

  it.each(uris)('round-trips %s', (uri) => {
    const config = parseLocationUri(uri);
    expect(parseLocationUri(formatLocationUri(config, { withSecrets: true }))).toEqual(config);
  });

  it('writes canonical URIs', () => {
    expect(formatLocationUri(parseLocationUri('ftp://u:p@h:21/d/'), { withSecrets: true })).toBe('ftp://u:p@h/d');
    expect(formatLocationUri(parseLocationUri('FTP://u:p@h/d'), { withSecrets: true })).toBe('ftp://u:p@h/d');
  });

  it('masks secrets unless asked for them', () => {
    expect(formatLocationUri(parseLocationUri('ftp://user:hunter22@host/d'))).toBe('ftp://user:*****@host/d');
    expect(formatLocationUri(parseLocationUri('s3://AK:SECRETKEY@bucket.us-east-1'))).toBe('s3://AK:*****@bucket.us-east-1');
    expect(formatLocationUri(parseLocationUri('ssh://user:public-key@host/d'))).toBe('ssh://user:public-key@host/d');
  });
});

describe('redactUri and redactConfig', () => {
  it.each([
    ['ftp://user:hunter22@host/dir', 'ftp://user:*****@host/dir'],
    ['ftp://user:p@ss@host/dir', 'ftp://user:*****@host/dir'],
    ['s3://AK:SECRET@s3.amazonaws.com/us-east-1/b/f', 's3://AK:*****@s3.amazonaws.com/us-east-1/b/f'],
    ['dropbox3://AccountId:RefreshToken@vhfs35tzjvyhukc', 'dropbox3://AccountId:*****@vhfs35tzjvyhukc'],
    ['ssh://user:public-key@host/d', 'ssh://user:public-key@host/d'],
    ['ftp://host/dir', 'ftp://host/dir'],
    ['local', 'local'],
  ])('%s → %s', (uri, redacted) => {
    expect(redactUri(uri)).toBe(redacted);
  });

  it('masks more rather than less when the password holds an unencoded /', () => {
    const out = redactUri('ftp://user:pa/ss@host/dir');
    expect(out).not.toContain('pa/ss');
    expect(out).toContain('user');
  });

  it('redactConfig masks every secret field', () => {
    const configs: LocationConfig[] = [
      parseLocationUri('ftp://u:pw123@h/d'),
      parseLocationUri('s3://AK:SECRET@bucket.us-east-1'),
      { ...(parseLocationUri('ssh://u:public-key@h/d') as Extract<LocationConfig, { scheme: 'sftp' }>), privateKey: 'PEM', passphrase: 'pp' },
    ];
    for (const c of configs) expect(JSON.stringify(redactConfig(c))).not.toMatch(/pw123|SECRET"|PEM|"pp"/);
    expect(redactConfig(parseLocationUri('ftp://u:pw123@h/d'))).toMatchObject({ username: 'u', password: '*****' });
  });
});
