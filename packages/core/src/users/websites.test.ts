import type { Website } from '@installgate/contracts';
import { checkVhosts, normaliseWebsitePath, normaliseWebsites, parseVhostKey } from './websites';

const owner = { userId: 'bob', parent: 'admin', homesRoot: '/home', existing: [] as Website[] };

function errcode(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return (e as { errcode: string }).errcode;
  }
  throw new Error('did not throw');
}

describe('vhosts', () => {
  it('parses URL and bare-domain keys', () => {
    expect(parseVhostKey('http://Website.com')).toEqual({ scheme: 'http', host: 'website.com', segments: [] });
    expect(parseVhostKey('https://website.com:8443/shop/')).toEqual({ scheme: 'https', host: 'website.com', port: 8443, segments: ['shop'] });
    // The scheme's default port is no port at all.
    expect(parseVhostKey('https://website.com:443')).toEqual({ scheme: 'https', host: 'website.com', segments: [] });
    expect(parseVhostKey('website.com:8080')).toEqual({ scheme: null, host: 'website.com', port: 8080, segments: [] });
    expect(parseVhostKey('sub.website.com')).toEqual({ scheme: null, host: 'sub.website.com', segments: [] });
    expect(parseVhostKey('bücher.example')).toMatchObject({ host: 'xn--bcher-kva.example' });
  });

  it.each(['ftp://website.com', 'http://user:pw@website.com', 'website.com/a/../b', 'website.com/%2e%2e/b', 'http://website.com/?q=1', '', 'http://'])(
    'refuses the key %j',
    (key) => {
      expect(errcode(() => parseVhostKey(key))).toBe('invalid_argument_vhosts');
    },
  );

  it('normalises document roots and refuses ones that leave the website path', () => {
    expect(checkVhosts({ 'http://a.example': 'public_html/', 'b.example': './httpdocs//x', 'c.example': '' })).toEqual({
      'http://a.example': 'public_html',
      'b.example': 'httpdocs/x',
      'c.example': '',
    });
    for (const bad of ['/var/www', '../other', 'public_html/../../etc', 'C:\\www', 7]) {
      expect(errcode(() => checkVhosts({ 'a.example': bad }))).toBe('invalid_argument_vhosts');
    }
    expect(errcode(() => checkVhosts(['a.example']))).toBe('invalid_argument_vhosts');
  });
});

describe('normaliseWebsitePath', () => {
  it('normalises absolute paths and keeps URIs as given (minus a trailing slash)', () => {
    expect(normaliseWebsitePath('/home/bob/')).toBe('/home/bob');
    expect(normaliseWebsitePath('/home//bob/./site')).toBe('/home/bob/site');
    expect(normaliseWebsitePath('sftp://bob:p%40ss@host.example:22/home/bob/')).toBe('sftp://bob:p%40ss@host.example:22/home/bob');
    for (const bad of ['home/bob', '/home/../etc', '', 'sftp://']) expect(errcode(() => normaliseWebsitePath(bad))).toBe('invalid_argument_path');
  });
});

describe('normaliseWebsites', () => {
  it('fills defaults: generated id, label = first domain, path = homesRoot/user, parent = the user\'s parent', () => {
    const [w] = normaliseWebsites([{ vhosts: { 'http://website.com': 'public_html', 'www.website.com': 'public_html' } }], owner);
    expect(w).toEqual({
      id: expect.stringMatching(/^[a-z0-9]{25}$/),
      label: 'website.com',
      path: '/home/bob',
      server: '',
      email: '',
      vhosts: { 'http://website.com': 'public_html', 'www.website.com': 'public_html' },
      databases: [],
      parent: 'admin',
      url_ip: '',
      path_backups: '/application_backups/',
      mysql_host: 'localhost',
      language: '',
      suspended: false,
    });
  });

  it('accepts reseller as the request spelling of parent', () => {
    const [w] = normaliseWebsites([{ label: 'x', reseller: 'r1' }], owner);
    expect(w.parent).toBe('r1');
    expect(errcode(() => normaliseWebsites([{ reseller: 'r1', parent: 'r2' }], owner))).toBe('invalid_argument_parent');
  });

  it('keeps ids and omitted members of websites sent again (by id, or by label without id)', () => {
    const [first] = normaliseWebsites([{ vhosts: { 'a.example': 'public_html' }, email: 'a@a.example', path: '/srv/a' }], owner);
    const again = normaliseWebsites(
      [{ vhosts: { 'a.example': 'www' } }, { id: first.id === 'zz' ? 'zy' : 'zz', label: 'other' }],
      { ...owner, existing: [first] },
    );
    expect(again[0]).toMatchObject({ id: first.id, email: 'a@a.example', path: '/srv/a', vhosts: { 'a.example': 'www' } });
    expect(again[1]).toMatchObject({ id: 'zz', label: 'other', path: '/home/bob' });
    const byId = normaliseWebsites([{ id: first.id, label: 'renamed' }], { ...owner, existing: [first] });
    expect(byId[0]).toMatchObject({ id: first.id, label: 'renamed', vhosts: { 'a.example': 'public_html' } });
  });

  it('refuses bad lists, unknown members, bad member types and duplicate ids', () => {
    expect(errcode(() => normaliseWebsites({}, owner))).toBe('invalid_argument_websites');
    expect(errcode(() => normaliseWebsites(['x'], owner))).toBe('invalid_argument_websites');
    expect(errcode(() => normaliseWebsites([{ uid: 5 }], owner))).toBe('invalid_argument_websites');
    expect(errcode(() => normaliseWebsites([{ suspended: 'yes' }], owner))).toBe('invalid_argument_suspended');
    expect(errcode(() => normaliseWebsites([{ databases: [{ nope: 1 }] }], owner))).toBe('invalid_argument_databases');
    expect(errcode(() => normaliseWebsites([{ id: 'a' }, { id: 'a' }], owner))).toBe('invalid_argument_websites');
    expect(errcode(() => normaliseWebsites([{ id: 'a b' }], owner))).toBe('invalid_argument_id');
  });
});
