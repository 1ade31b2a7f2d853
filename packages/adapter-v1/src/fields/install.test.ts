import { EngineError } from '@installgate/contracts';
import { toV1Data, toV2Data } from './field-maps';

const up = (r: Record<string, unknown>) => toV2Data('install', r) as Record<string, unknown>;
const down = (r: Record<string, unknown>) => toV1Data('install', r) as Record<string, unknown>;

describe('install field map', () => {
  it('applies the general rule to custom fields: cf-foo ↔ foo', () => {
    expect(up({ 'cf-foo': 'bar', 'cf-login': 'admin' })).toStrictEqual({ foo: 'bar', login: 'admin' });
    expect(down({ foo: 'bar', login: 'admin' })).toStrictEqual({ 'cf-foo': 'bar', 'cf-login': 'admin' });
  });
  it('applies the general rule to other unknown v1 members (list- dropped, hyphens → underscores)', () => {
    expect(up({ 'list-foo-bar': [1], 'some-thing': 2 })).toStrictEqual({ foo_bar: [1], some_thing: 2 });
  });
  it('keeps a custom field named like a core member under its own name', () => {
    expect(up({ 'cf-url': 'x', url: 'https://a.test' })).toStrictEqual({ 'cf-url': 'x', url: 'https://a.test' });
  });
  it('maps owner ↔ user and the table renames', () => {
    expect(up({ owner: 'bob', installer: 'wordpress', time: 5, 'version-available-minor': '6.1' }))
      .toStrictEqual({ user: 'bob', application: 'wordpress', time_created: 5, version_available_minor: '6.1' });
  });
  it('maps autobk both ways', () => {
    expect(up({ autobk: 'weekly1' })).toStrictEqual({ autobk: 'schedule', autobk_schedule: 'weekly1' });
    expect(up({ autobk: 'custom' })).toStrictEqual({ autobk: 'custom', autobk_schedule: '' });
    expect(up({ autobk: '' })).toStrictEqual({ autobk: 'none', autobk_schedule: '' });
    expect(up({ autobk: 'none' })).toStrictEqual({ autobk: 'none', autobk_schedule: '' });
    expect(down({ autobk: 'schedule', autobk_schedule: 'daily30' })).toStrictEqual({ autobk: 'daily30' });
    expect(down({ autobk: 'none', autobk_schedule: '' })).toStrictEqual({ autobk: '' });
    expect(down({ autobk: 'custom', autobk_schedule: '' })).toStrictEqual({ autobk: 'custom' });
  });
  it('maps the auto-update policies with their own integer orders', () => {
    expect(down({ autoup: 'minor', autoup_plugins: 'all', autoup_themes: 'custom', autoup_backup: 'all' }))
      .toStrictEqual({ autoup: 1, 'autoup-plugins': 1, 'autoup-themes': 2, 'autoup-backup': 1 });
    expect(up({ autoup: 2, 'autoup-plugins': 2, 'autoup-themes': 0, 'autoup-backup': 0 }))
      .toStrictEqual({ autoup: 'all', autoup_plugins: 'custom', autoup_themes: 'none', autoup_backup: 'none' });
  });
  it('never emits custom for autoup', () => {
    expect(down({ autoup: 'custom' })).toStrictEqual({ autoup: 1 });
  });
  it('themes: activated ↔ active; plugins keep activated', () => {
    expect(down({ themes: [{ id: 't', activated: true }], plugins: [{ id: 'p', activated: true }] }))
      .toStrictEqual({ 'list-themes': [{ id: 't', active: true }], 'list-plugins': [{ id: 'p', activated: true }] });
  });
});

describe('translation errors', () => {
  it('toV1Data reports a canonical value outside a codec table as internal_error (server fault)', () => {
    try {
      down({ autoup: 'always' });
      throw new Error('expected a throw');
    } catch (e) {
      expect(e).toBeInstanceOf(EngineError);
      expect((e as EngineError).errcode).toBe('internal_error');
      expect((e as EngineError).details).toEqual({ resource: 'install', field: 'autoup' });
    }
  });
  it('toV2Data reports a v1 value outside a codec table as invalid_argument_<field>', () => {
    expect(() => up({ 'autoup-backup': 7 })).toThrow(expect.objectContaining({ errcode: 'invalid_argument_autoup_backup', errfield: 'autoup-backup' }));
  });
});
