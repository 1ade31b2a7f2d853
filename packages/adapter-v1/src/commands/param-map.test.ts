import { EngineError, NOTIFICATIONS } from '@installgate/contracts';
import { PARAM_MAP } from './param-map';

const up = (params: Record<string, unknown>) => PARAM_MAP.toV2(params);
const down = (params: Record<string, unknown>) => PARAM_MAP.toV1(params);

describe('v1 parameter values (spec §4.5, §1.8)', () => {
  it('renames hyphenated v1 parameters', () => {
    expect(up({
      'filter-version-available': 'yes', 'filter-version-available-minor': 'no', 'filter-ownedaccounts': '',
      'delete-backups': 'true', 'from-version': '5.0', 'versions-available-from': '5.1',
    })).toStrictEqual({
      filter_version_available: true, filter_version_available_minor: false, filter_ownedaccounts: true,
      delete_backups: true, from_version: '5.0', versions_available_from: '5.1',
    });
  });
  it('autoup: 0/1/2 → none/minor/all, custom → minor, v2 names pass', () => {
    expect(['0', '1', '2', 'custom', 'minor', 'all'].map((v) => (up({ autoup: v }) as { autoup: string }).autoup))
      .toEqual(['none', 'minor', 'all', 'minor', 'minor', 'all']);
  });
  it('autoup_plugins/autoup_themes: 0/1/2 → none/all/custom; autoup_backup 0/1 → none/all', () => {
    expect(up({ autoup_plugins: '1', autoup_themes: 2, autoup_backup: '0' }))
      .toStrictEqual({ autoup_plugins: 'all', autoup_themes: 'custom', autoup_backup: 'none' });
  });
  it('notification: comma list → array, all → the 14 v1 types, "" → []', () => {
    expect(up({ notification: 'update_available,update' })).toStrictEqual({ notification: ['update_available', 'update'] });
    expect(up({ notification: 'all' })).toStrictEqual({ notification: NOTIFICATIONS.slice(0, 14) });
    expect(up({ notification: '' })).toStrictEqual({ notification: [] });
  });
  it('revert yes/no → boolean', () => {
    expect(up({ revert: 'yes' })).toStrictEqual({ revert: true });
    expect(up({ revert: 'no' })).toStrictEqual({ revert: false });
  });
  it.each([['1', 'input'], ['2', 'all'], ['yes', 'all'], ['', 'all'], [2, 'all'], ['input', 'input'], ['none', 'none']])(
    'dryrun=%j → %s', (value, expected) => {
      expect(up({ dryrun: value })).toStrictEqual({ dryrun: expected });
    },
  );
  it.each([['quick', 'quick'], ['1', true], ['', true], ['yes', true], [false, false]])('background=%j → %j', (value, expected) => {
    expect(up({ background: value })).toStrictEqual({ background: expected });
  });
  it('autobk: schedule id → schedule + autobk_schedule; custom stays; "" and none → none', () => {
    expect(up({ autobk: 'dailyweeklymonthly' })).toStrictEqual({ autobk: 'schedule', autobk_schedule: 'dailyweeklymonthly' });
    expect(up({ autobk: 'custom', autobk_daily: '3' })).toStrictEqual({ autobk: 'custom', autobk_schedule: '', autobk_daily: '3' });
    expect(up({ autobk: '' })).toStrictEqual({ autobk: 'none', autobk_schedule: '' });
    expect(up({ autobk: 'none' })).toStrictEqual({ autobk: 'none', autobk_schedule: '' });
    expect(up({ autobk: 'schedule', autobk_schedule: 'daily30' })).toStrictEqual({ autobk: 'schedule', autobk_schedule: 'daily30' });
  });
  it('force present → true; delete true → true; stage true → true', () => {
    expect(up({ force: '', delete: 'true', stage: 'true' })).toStrictEqual({ force: true, delete: true, stage: true });
  });
  it('update plugin/theme: * → [], comma list → array, under the v2 names', () => {
    expect(up({ plugin: '*', theme: 'twentytwentyfive,astra' })).toStrictEqual({ plugins: [], themes: ['twentytwentyfive', 'astra'] });
    expect(up({ plugins: ['akismet'] })).toStrictEqual({ plugins: ['akismet'] });
  });
  it('source_ftu and source_ftu_key stay as given; unknown parameters pass', () => {
    expect(up({ source_ftu: 'app://a:b', source_ftu_key: '/k', login: 'admin', passwd: 'x' }))
      .toStrictEqual({ source_ftu: 'app://a:b', source_ftu_key: '/k', login: 'admin', passwd: 'x' });
  });
  it('rejects values a strict codec cannot read', () => {
    for (const bad of [{ revert: 'maybe' }, { autoup_backup: '2' }, { delete: 'soon' }, { websites: '{not json' }]) {
      expect(() => up(bad)).toThrow(EngineError);
    }
  });
  it('writes the canonical v1 spelling back, leaving out defaults', () => {
    expect(down({ dryrun: 'none', background: false, force: false, autoup: 'minor', plugins: [], notification: ['a', 'b'] }))
      .toStrictEqual({ dryrun: undefined, background: undefined, force: undefined, autoup: '1', plugin: '*', notification: 'a,b' });
  });
});
