import { EngineError } from '@installgate/contracts';
import { implicitWebsites } from './implicit-websites';

describe('implicitWebsites (spec §4.7)', () => {
  const websites = [{ label: 'main', path: '/home/bob', vhosts: { 'http://bob.test': 'public_html' }, suspended: 'no' }];

  it('returns the user and the websites in v2 form', () => {
    expect(implicitWebsites({ cmd: 'install', user: 'bob', websites })).toStrictEqual({
      user: 'bob', websites: [{ label: 'main', path: '/home/bob', vhosts: { 'http://bob.test': 'public_html' }, suspended: false }],
    });
  });
  it('reads websites sent as a JSON string or a PHP-style form array', () => {
    expect(implicitWebsites({ cmd: 'installs', user: 'bob', websites: JSON.stringify(websites) })?.websites).toHaveLength(1);
    expect(implicitWebsites({ cmd: 'installs', user: 'bob', websites: { 0: websites[0] } })?.websites).toHaveLength(1);
  });
  it('returns null without user or websites', () => {
    expect(implicitWebsites({ cmd: 'installs', websites })).toBeNull();
    expect(implicitWebsites({ cmd: 'installs', user: 'bob' })).toBeNull();
    expect(implicitWebsites({ cmd: 'installs', user: 'bob', websites: '' })).toBeNull();
  });
  it('returns null for edituser, whose own payload the websites are', () => {
    expect(implicitWebsites({ cmd: 'edituser', user: 'bob', websites })).toBeNull();
  });
  it('refuses unreadable websites', () => {
    expect(() => implicitWebsites({ cmd: 'installs', user: 'bob', websites: '{oops' })).toThrow(EngineError);
    expect(() => implicitWebsites({ cmd: 'installs', user: 'bob', websites: [1, 2] })).toThrow(EngineError);
  });
});
