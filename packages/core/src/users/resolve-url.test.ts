import type { Website } from '@installgate/contracts';
import { normaliseWebsites } from './websites';
import { parseInstallUrl, resolveUrlIn } from './resolve-url';

const owner = { userId: 'bob', parent: 'admin', homesRoot: '/home', existing: [] as Website[] };

const websites = normaliseWebsites(
  [
    {
      label: 'main',
      vhosts: {
        'http://website.com': 'public_html',
        'https://website.com': 'httpsdocs',
        'website.com/shop': 'shop_root',
        'http://website.com/shop/b2b': 'b2b',
        'blog.website.com': 'blog',
      },
    },
    { label: 'second', path: '/srv/second/', vhosts: { 'other.example': '', 'website.com/shop': 'ignored-later-tie' } },
    { label: 'remote', path: 'sftp://bob:pw@files.example/home/bob', vhosts: { 'remote.example': 'www' } },
  ],
  owner,
);

function errcode(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return (e as { errcode: string }).errcode;
  }
  throw new Error('did not throw');
}

describe('resolveUrlIn', () => {
  it.each([
    ['http://website.com', 'main', 'website.com', '/home/bob/public_html', '/home/bob/public_html'],
    ['http://website.com/', 'main', 'website.com', '/home/bob/public_html', '/home/bob/public_html'],
    ['http://WEBSITE.com:8080/blog/', 'main', 'website.com', '/home/bob/public_html', '/home/bob/public_html/blog'],
    ['https://website.com/blog', 'main', 'website.com', '/home/bob/httpsdocs', '/home/bob/httpsdocs/blog'],
    ['website.com/wp', 'main', 'website.com', '/home/bob/public_html', '/home/bob/public_html/wp'],
    ['http://website.com/shop', 'main', 'website.com', '/home/bob/shop_root', '/home/bob/shop_root'],
    ['https://website.com/shop/v2', 'main', 'website.com', '/home/bob/shop_root', '/home/bob/shop_root/v2'],
    ['http://website.com/shop/b2b/x', 'main', 'website.com', '/home/bob/b2b', '/home/bob/b2b/x'],
    ['http://website.com/shopping', 'main', 'website.com', '/home/bob/public_html', '/home/bob/public_html/shopping'],
    ['http://blog.website.com/a/b', 'main', 'blog.website.com', '/home/bob/blog', '/home/bob/blog/a/b'],
    ['http://other.example/x', 'second', 'other.example', '/srv/second', '/srv/second/x'],
    ['http://website.com/my%20blog', 'main', 'website.com', '/home/bob/public_html', '/home/bob/public_html/my blog'],
    ['https://remote.example/site', 'remote', 'remote.example', 'sftp://bob:pw@files.example/home/bob/www', 'sftp://bob:pw@files.example/home/bob/www/site'],
  ])('%s → website %s, %s, docroot %s, path %s', (url, label, domain, docroot, path) => {
    const r = resolveUrlIn(websites, url);
    expect({ label: r.website.label, domain: r.domain, docroot: r.docroot, path: r.path }).toEqual({ label, domain, docroot, path });
  });

  it.each([
    'http://unknown.example/',
    'http://www.website.com/', // no www aliasing
    'ftp://website.com/',
    'http://website.com/../etc',
    'http://website.com/a/%2e%2e/%2e%2e/etc',
    'http://website.com/a/./b',
    'http://website.com/a%2fb',
    'http://website.com/a%5c..',
    'http://website.com/?p=1',
    'http://website.com/#x',
    'http://user:pw@website.com/',
    'http:///nohost',
    'http://website.com/%E0%A4%A',
  ])('refuses %s with invalid_argument_url', (url) => {
    expect(errcode(() => resolveUrlIn(websites, url))).toBe('invalid_argument_url');
  });

  it('refuses an empty URL with empty_argument_url and a user without websites with invalid_argument_url', () => {
    expect(errcode(() => resolveUrlIn(websites, '  '))).toBe('empty_argument_url');
    expect(errcode(() => resolveUrlIn([], 'http://website.com'))).toBe('invalid_argument_url');
  });

  it('regression: a vhost naming a port serves that port only (another port on the host is another website)', () => {
    const two = normaliseWebsites(
      [
        { label: 'alice', path: '/home/alice', vhosts: { 'http://127.0.0.1:5001': 'public_html' } },
        { label: 'any', path: '/home/any', vhosts: { '127.0.0.1': 'www' } },
      ],
      owner,
    );
    expect(resolveUrlIn(two, 'http://127.0.0.1:5001/blog').path).toBe('/home/alice/public_html/blog');
    // Another port: only the port-less vhost serves it.
    expect(resolveUrlIn(two, 'http://127.0.0.1:5002/blog').path).toBe('/home/any/www/blog');
    const alice = normaliseWebsites([{ label: 'alice', path: '/home/alice', vhosts: { 'http://127.0.0.1:5001': 'public_html' } }], owner);
    expect(errcode(() => resolveUrlIn(alice, 'http://127.0.0.1:5002/blog'))).toBe('invalid_argument_url');
    expect(errcode(() => resolveUrlIn(alice, 'http://127.0.0.1/blog'))).toBe('invalid_argument_url');
    const https = normaliseWebsites([{ label: 's', path: '/home/s', vhosts: { 'https://s.example:8443': 'secure' } }], owner);
    expect(resolveUrlIn(https, 'https://s.example:8443/').path).toBe('/home/s/secure');
    expect(errcode(() => resolveUrlIn(https, 'https://s.example/'))).toBe('invalid_argument_url');
  });

  it('parses install URLs without resolving dot segments', () => {
    expect(parseInstallUrl('HTTPS://Example.COM/A/b/')).toEqual({ scheme: 'https', host: 'example.com', segments: ['A', 'b'] });
    expect(parseInstallUrl('example.com')).toEqual({ scheme: 'http', host: 'example.com', segments: [] });
    expect(parseInstallUrl('http://127.0.0.1:8080/x')).toEqual({ scheme: 'http', host: '127.0.0.1', port: 8080, segments: ['x'] });
    expect(parseInstallUrl('https://example.com:443/')).toEqual({ scheme: 'https', host: 'example.com', segments: [] });
  });
});
