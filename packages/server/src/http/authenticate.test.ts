import { authenticate, keyMatches } from './authenticate';

describe('keyMatches', () => {
  test('either configured key is accepted; anything else is not', () => {
    expect(keyMatches('k1-secret', ['k1-secret', 'k2-secret'])).toBe(true);
    expect(keyMatches('k2-secret', ['k1-secret', 'k2-secret'])).toBe(true);
    expect(keyMatches('k1-secre', ['k1-secret', 'k2-secret'])).toBe(false);
    expect(keyMatches('', ['k1-secret', ''])).toBe(false);
    expect(keyMatches(undefined, ['k1-secret'])).toBe(false);
    expect(keyMatches(['k1-secret'], ['k1-secret'])).toBe(false);
  });
  test('an empty key2 never matches an empty presented key', () => {
    expect(keyMatches('', ['abc', ''])).toBe(false);
  });
});

describe('authenticate', () => {
  const keys = ['the-key-123'];
  test('header wins; the key parameter counts only where allowed (v1)', () => {
    expect(() => authenticate('the-key-123', {}, false, keys)).not.toThrow();
    expect(() => authenticate(undefined, { key: 'the-key-123' }, true, keys)).not.toThrow();
    expect(() => authenticate(undefined, { key: 'the-key-123' }, false, keys)).toThrow(expect.objectContaining({ errcode: 'invalid_api_key' }));
    expect(() => authenticate('wrong', { key: 'the-key-123' }, true, keys)).toThrow(expect.objectContaining({ errcode: 'invalid_api_key' }));
  });
});
