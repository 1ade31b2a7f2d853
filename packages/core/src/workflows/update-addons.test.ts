import { chooseAddonUpdates, compareAddonVersions } from './update-addons';

const installed = [
  { id: 'twentytwentythree', version: '1.0', activated: true, autoup: 'all' as const },
  { id: 'twentytwentytwo', version: '1.3', activated: false, autoup: 'all' as const },
  { id: 'mine', version: '2.0', activated: false, autoup: 'none' as const },
];
const bundled = [
  { id: 'twentytwentythree', version: '1.1', entry: 'twentytwentythree' },
  { id: 'twentytwentytwo', version: '1.3', entry: 'twentytwentytwo' },
  { id: 'twentytwentyfour', version: '1.1', entry: 'twentytwentyfour' },
];

test('compareAddonVersions compares numbers, not text', () => {
  expect(compareAddonVersions('1.10', '1.9')).toBe(1);
  expect(compareAddonVersions('1.1', '1.1.0')).toBe(0);
  expect(compareAddonVersions('5.0.2', '5.3')).toBe(-1);
});

test('not asked: nothing', () => {
  expect(chooseAddonUpdates('themes', undefined, installed, bundled, '6.2.6')).toEqual({ updates: [], notes: [] });
});

test('all: the installed ones the release bundles newer; the others reported, not pretended', () => {
  const c = chooseAddonUpdates('themes', [], installed, bundled, '6.2.6');
  expect(c.updates).toEqual([{ kind: 'themes', id: 'twentytwentythree', entry: 'twentytwentythree', from: '1.0', to: '1.1' }]);
  expect(c.notes).toEqual([
    expect.stringContaining('twentytwentytwo 1.3 is already at or above'),
    expect.stringContaining('The theme mine cannot be updated'),
  ]);
});

test('named: not installed → theme_not_found; not bundled → invalid_argument_themes; errfield themes', () => {
  expect(() => chooseAddonUpdates('themes', ['twentytwentyfour'], installed, bundled, '6.4.5')).toThrow(expect.objectContaining({ errcode: 'theme_not_found', errfield: 'themes' }));
  expect(() => chooseAddonUpdates('themes', ['mine'], installed, bundled, '6.4.5')).toThrow(expect.objectContaining({ errcode: 'invalid_argument_themes', errfield: 'themes' }));
  expect(() => chooseAddonUpdates('plugins', ['akismet'], [], [], '6.4.5')).toThrow(expect.objectContaining({ errcode: 'plugin_not_found', errfield: 'plugins' }));
  expect(chooseAddonUpdates('themes', ['twentytwentythree', 'twentytwentythree'], installed, bundled, '6.2.6').updates).toHaveLength(1);
});
