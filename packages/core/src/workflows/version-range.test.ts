import { numericVersion, satisfiesRange } from './version-range';

describe('satisfiesRange', () => {
  test.each([
    ['8.2.7', '5.2.5-5.5.999,7.1-', true],
    ['5.4.0', '5.2.5-5.5.999,7.1-', true],
    ['7.0.33', '5.2.5-5.5.999,7.1-', false],
    ['5.6', '5-', true],
    ['4.9', '5-', false],
    ['5.5.9', '-5.5', true],
    ['5.6.0', '-5.5', false],
    ['8.2.7', '', true],
    ['10.11.6', '5.5.5-', true],
    ['7.4.3', '7.4', true],
  ])('%s in %s → %s', (v, r, ok) => {
    expect(satisfiesRange(v, r)).toBe(ok);
  });
  test('numericVersion', () => {
    expect(numericVersion('10.11.6-MariaDB-0+deb12u1')).toBe('10.11.6');
    expect(numericVersion('PHP 8.2.29 (cli)')).toBe('8.2.29');
  });
});
