import { EngineError } from '@installgate/contracts';
import { AUTOUP, AUTOUP_ADDONS, AUTOUP_BACKUP, ISO_DATE_UNIX, NOTIFICATION_LIST, V1_NOTIFICATIONS, YES_NO, asText, intEnum, strEnum } from './codecs';

function errorOf(fn: () => unknown): EngineError {
  try {
    fn();
  } catch (e) {
    if (e instanceof EngineError) return e;
    throw e;
  }
  throw new Error('expected an EngineError');
}

describe('autoup (spec §4.5 ruling, pinned)', () => {
  it('maps 0/1/2 to none/minor/all and back', () => {
    expect([0, 1, 2].map((v) => AUTOUP.toV2(v, 'autoup'))).toEqual(['none', 'minor', 'all']);
    expect(['none', 'minor', 'all'].map((v) => AUTOUP.toV1(v, 'autoup'))).toEqual([0, 1, 2]);
  });
  it('reads 1 as minor, from a number or a query string', () => {
    expect(AUTOUP.toV2(1, 'autoup')).toBe('minor');
    expect(AUTOUP.toV2('1', 'autoup')).toBe('minor');
  });
  it('reads the notes\' `custom` as minor and never emits it', () => {
    expect(AUTOUP.toV2('custom', 'autoup')).toBe('minor');
    expect(AUTOUP.toV1('custom', 'autoup')).toBe(1);
    expect(AUTOUP.v1Values).toEqual([0, 1, 2]);
    expect([0, 1, 2].map((v) => AUTOUP.toV2(v, 'autoup'))).not.toContain('custom');
  });
  it('rejects other values with invalid_argument_<field>', () => {
    const e = errorOf(() => AUTOUP.toV2(3, 'autoup'));
    expect([e.errcode, e.errfield]).toEqual(['invalid_argument_autoup', 'autoup']);
    expect(errorOf(() => AUTOUP.toV1('sometimes', 'autoup')).errcode).toBe('invalid_argument_autoup');
  });
});

describe('the two integer orders (spec §9 #3)', () => {
  it('autoup_plugins/autoup_themes: 1 = all, 2 = custom', () => {
    expect([0, 1, 2].map((v) => AUTOUP_ADDONS.toV2(v, 'autoup_plugins'))).toEqual(['none', 'all', 'custom']);
    expect(AUTOUP_ADDONS.toV1('custom', 'autoup_plugins')).toBe(2);
  });
  it('autoup: 1 = minor, 2 = all', () => {
    expect(AUTOUP.toV2(1, 'autoup')).toBe('minor');
    expect(AUTOUP.toV2(2, 'autoup')).toBe('all');
  });
  it('autoup_backup: 0/1 = none/all, 2 is invalid', () => {
    expect([0, 1].map((v) => AUTOUP_BACKUP.toV2(v, 'autoup_backup'))).toEqual(['none', 'all']);
    expect(errorOf(() => AUTOUP_BACKUP.toV2('2', 'autoup_backup')).errfield).toBe('autoup_backup');
  });
});

describe('enum tables', () => {
  it('refuse a table that is not injective', () => {
    // @ts-expect-error the compiler rejects it too
    expect(() => intEnum({ 0: 'none', 1: 'none' }, { note: 'x' })).toThrow(/not injective/);
    // @ts-expect-error the compiler rejects it too
    expect(() => strEnum({ a: 'x', b: 'x' }, { note: 'x' })).toThrow(/not injective/);
  });
  it('asText writes the v1 value as text (request parameters)', () => {
    expect(asText(AUTOUP).toV1('minor', 'autoup')).toBe('1');
    expect(asText(AUTOUP).v1Values).toEqual(['0', '1', '2']);
  });
  it('yes/no flags', () => {
    expect(YES_NO.toV2('yes', 'suspended')).toBe(true);
    expect(YES_NO.toV2('no', 'suspended')).toBe(false);
    expect(YES_NO.toV2(true, 'suspended')).toBe(true);
    expect(YES_NO.toV1(false, 'suspended')).toBe('no');
    expect(errorOf(() => YES_NO.toV2('maybe', 'revert')).errcode).toBe('invalid_argument_revert');
  });
});

describe('notification list', () => {
  it('comma string ↔ array; "" ↔ []', () => {
    expect(NOTIFICATION_LIST.toV2('update_available,update,update_error', 'notification')).toEqual(['update_available', 'update', 'update_error']);
    expect(NOTIFICATION_LIST.toV2('', 'notification')).toEqual([]);
    expect(NOTIFICATION_LIST.toV1([], 'notification')).toBe('');
    expect(NOTIFICATION_LIST.toV1(['backup', 'sync'], 'notification')).toBe('backup,sync');
  });
  it('`all` is the 14 v1 types', () => {
    expect(NOTIFICATION_LIST.toV2('all', 'notification')).toEqual(V1_NOTIFICATIONS);
    expect(V1_NOTIFICATIONS).toHaveLength(14);
    expect(V1_NOTIFICATIONS).not.toContain('sync');
  });
  it('accepts a PHP-style array', () => {
    expect(NOTIFICATION_LIST.toV2(['backup', 'clone'], 'notification')).toEqual(['backup', 'clone']);
  });
});

describe('browser date ↔ time', () => {
  it('reads YYYY-MM-DD as midnight UTC and writes the day back', () => {
    expect(ISO_DATE_UNIX.toV2('2021-01-23', 'date')).toBe(1611360000);
    expect(ISO_DATE_UNIX.toV1(1611360000, 'time')).toBe('2021-01-23');
    expect(ISO_DATE_UNIX.toV1(1611360000 + 3600, 'time')).toBe('2021-01-23');
  });
  it('rejects impossible dates', () => {
    expect(errorOf(() => ISO_DATE_UNIX.toV2('2024-02-31', 'date')).errcode).toBe('invalid_argument_date');
    expect(errorOf(() => ISO_DATE_UNIX.toV2('yesterday', 'date')).errfield).toBe('date');
  });
});
