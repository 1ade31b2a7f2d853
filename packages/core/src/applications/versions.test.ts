import { compareVersions, isMinorUpdate, isNewLine, isVersion, newestFirst } from './versions';

describe('versions', () => {
  it('compares numerically, component by component; a missing component is 0', () => {
    expect(compareVersions('6.10', '6.9')).toBe(1);
    expect(compareVersions('6.4.10', '6.4.9')).toBe(1);
    expect(compareVersions('6.5', '6.5.0')).toBe(0);
    expect(compareVersions('1.0.0', '1.0.1')).toBe(-1);
    expect(compareVersions('2.0.0', '10.0.0')).toBe(-1);
    expect(['6.1.9', '6.10.0', '6.5.5', '6.4.5', '6.9'].sort(newestFirst)).toEqual(['6.10.0', '6.9', '6.5.5', '6.4.5', '6.1.9']);
  });

  it('accepts only dot-separated numbers', () => {
    for (const ok of ['1', '6.4', '6.4.5', '1.2.3.4.5.6']) expect(isVersion(ok)).toBe(true);
    for (const bad of ['', '6.', '.6', '6.4-beta', 'v6', '6..4', ' 6.4', '1.2.3.4.5.6.7', 6.4, null]) expect(isVersion(bad)).toBe(false);
    expect(() => compareVersions('6.x', '6.4')).toThrow(TypeError);
  });

  it.each([
    ['6.4.3', '6.4.5', 2, true],
    ['6.4', '6.4.5', 2, true],
    ['6.4.5', '6.5.5', 2, false],
    ['6.4', '6.5', 2, false],
    ['1.0.0', '1.0.1', 2, true],
    ['1.0.1', '1.1.0', 2, false],
    ['1.1.0', '2.0.0', 2, false],
    ['1.0.1', '2.0.0', 2, false],
    ['6.4.5', '6.4.5', 2, false],
    ['6.4.5', '6.4.3', 2, false],
    ['1.0.0', '1.9.0', 1, true],
    ['1.0.0', '2.0.0', 1, false],
  ])('isMinorUpdate(%s → %s, %d) = %s', (from, to, n, minor) => {
    expect(isMinorUpdate(from, to, n)).toBe(minor);
  });

  it('a version opens a new line when every component after minor_components is 0', () => {
    expect(isNewLine('6.5.0', 2)).toBe(true);
    expect(isNewLine('6.5', 2)).toBe(true);
    expect(isNewLine('2.0.0', 2)).toBe(true);
    expect(isNewLine('6.5.5', 2)).toBe(false);
    expect(isNewLine('1.0.1', 2)).toBe(false);
  });
});
