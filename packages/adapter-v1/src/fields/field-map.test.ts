import { defineFieldMap } from './field-map';
import { rename, same } from './rules';

describe('defineFieldMap', () => {
  it('refuses two rules with the same v2 member and names both', () => {
    expect(() => defineFieldMap('demo', { note: 'n', rules: [rename('a-b', 'a_b', 'n'), rename('ab', 'a_b', 'n')] }))
      .toThrow('field map "demo": rename(a-b ↔ a_b) and rename(ab ↔ a_b) both use the v2 member "a_b"');
  });
  it('refuses two rules with the same v1 member, aliases included', () => {
    expect(() => defineFieldMap('demo', { note: 'n', rules: [same('x'), rename('y', 'z', 'n', { v1Aliases: ['x'] })] }))
      .toThrow(/same\(x ↔ x\) and rename\(y ↔ z\) both use the v1 member "x"/);
  });
  it('refuses a rule without a note', () => {
    expect(() => defineFieldMap('demo', { note: 'n', rules: [rename('a', 'b', ' ')] })).toThrow(/has no note/);
  });

  const map = defineFieldMap('demo', { note: 'n', rules: [rename('a-b', 'a_b', 'n', { v2Aliases: ['ab'] })] });

  it('keeps members without a rule (never drops them)', () => {
    expect(map.toV2({ 'a-b': 1, other: 2 })).toStrictEqual({ a_b: 1, other: 2 });
  });
  it('reads an alias but writes the canonical name', () => {
    expect(map.toV1({ ab: 1 })).toStrictEqual({ 'a-b': 1 });
  });
  it('treats undefined members as absent', () => {
    expect(map.toV2({ 'a-b': undefined, c: undefined })).toStrictEqual({});
  });
  it('keeps a `__proto__` member as data', () => {
    const input = JSON.parse('{"__proto__": {"polluted": true}}') as Record<string, unknown>;
    const out = map.toV2(input) as Record<string, unknown>;
    expect(Object.prototype.hasOwnProperty.call(out, '__proto__')).toBe(true);
    expect((out as { polluted?: boolean }).polluted).toBeUndefined();
  });
});
