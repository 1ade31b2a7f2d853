import { MASK, collectSecretValues, isSecretKey, redactObject, redactText, redactUri } from './redact';

describe('redactUri', () => {
  it.each([
    ['sftp://bob:s3cret@host.example:22/backups', `sftp://bob:${MASK}@host.example:22/backups`],
    ['ftp://user:pass@server/directory', `ftp://user:${MASK}@server/directory`],
    ['s3://AKIA:abc/def+ghi@s3.us-east-1.amazonaws.com/us-east-1/bucket/prefix', `s3://AKIA:${MASK}@s3.us-east-1.amazonaws.com/us-east-1/bucket/prefix`],
    ['webdav://u:p@ss@dav.example/f', `webdav://u:${MASK}@dav.example/f`],
    ['dropbox3://AccountId:RefreshToken@vhfs35tzjvyhukc', `dropbox3://AccountId:${MASK}@vhfs35tzjvyhukc`],
    ['ssh://user@server/directory', 'ssh://user@server/directory'],
    ['https://host.example:8443/path@thing', 'https://host.example:8443/path@thing'],
    ['https://host.example/a:b@c', 'https://host.example/a:b@c'],
    ['local', 'local'],
    ['file://localhost/backup_test', 'file://localhost/backup_test'],
  ])('%s → %s', (uri, expected) => {
    expect(redactUri(uri)).toBe(expected);
  });
});

describe('redactText', () => {
  it('masks every given secret, its URL-encoded form and URI passwords', () => {
    const text = 'db pass dAtAbAsEpAs5//0rD, encoded dAtAbAsEpAs5%2F%2F0rD, uri sftp://bob:pw1@h/x and "ftp://a:b@c"';
    const out = redactText(text, ['dAtAbAsEpAs5//0rD']);
    expect(out).toBe(`db pass ${MASK}, encoded ${MASK}, uri sftp://bob:${MASK}@h/x and "ftp://a:${MASK}@c"`);
  });

  it('masks the longest secret first and ignores empty secrets', () => {
    expect(redactText('abc abcdef', ['abc', 'abcdef', ''])).toBe(`${MASK} ${MASK}`);
    expect(redactText('nothing here', [])).toBe('nothing here');
  });
});

describe('redactObject', () => {
  it('masks secret-looking keys anywhere, their values elsewhere, and URIs in strings', () => {
    const meta = {
      db_pass: 'hunter22',
      note: 'the password is hunter22',
      nested: { passwd: 'pw', list: [{ token: 't0k', key2: 'k2' }, 'sftp://x:y@z/'] },
      website: { path: 'sftp://bob:secretpw@host/home', databases: [{ user: 'u', pass: 'dbpw' }] },
      harmless: 7,
    };
    const out = redactObject(meta, ['extra-secret']);
    expect(out).toEqual({
      db_pass: MASK,
      note: `the password is ${MASK}`,
      nested: { passwd: MASK, list: [{ token: MASK, key2: MASK }, `sftp://x:${MASK}@z/`] },
      website: { path: `sftp://bob:${MASK}@host/home`, databases: [{ user: 'u', pass: MASK }] },
      harmless: 7,
    });
    expect(JSON.stringify(out)).not.toMatch(/hunter22|secretpw|dbpw|t0k/);
    // The input is not modified.
    expect(meta.db_pass).toBe('hunter22');
  });

  it('survives cycles and errors', () => {
    const a: Record<string, unknown> = { secret: 's' };
    a.self = a;
    expect(redactObject(a)).toEqual({ secret: MASK, self: '[circular]' });
    expect(redactObject({ err: new Error('login ftp://u:p@h failed') })).toEqual({ err: `login ftp://u:${MASK}@h failed` });
  });

  it('recognises secret keys by name', () => {
    for (const k of ['passwd', 'db_pass', 'pass', 'password', 'key', 'key2', 'secret', 'token', 'api_key', 'refresh_token', 'DB_PASS']) expect(isSecretKey(k)).toBe(true);
    for (const k of ['user', 'passive', 'keys', 'db_name', 'url']) expect(isSecretKey(k)).toBe(false);
    expect(collectSecretValues({ a: { db_pass: 'x' }, b: [{ token: 5 }] })).toEqual(['x', '5']);
  });
});
