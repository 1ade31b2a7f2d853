import { ADMIN_SCOPE } from '../access/actor';
import { createTempEngine, type TempEngine } from '../testing/temp-engine';
import { errcodeOf, seedAccounts } from '../testing/test-accounts';

describe('backup schedules', () => {
  let t: TempEngine;
  let s: Awaited<ReturnType<typeof seedAccounts>>;
  beforeEach(async () => {
    t = await createTempEngine();
    s = await seedAccounts(t.engine);
  });
  afterEach(() => t.close());

  it('has the three documented built-ins', async () => {
    const list = await t.engine.schedules.list(ADMIN_SCOPE);
    expect(list.map((x) => [x.id, x.daily, x.weekly, x.monthly])).toEqual([
      ['weeklymonthly', 0, 1, 1],
      ['dailyweeklymonthly', 1, 1, 1],
      ['daily30', 30, 0, 0],
    ]);
    expect(list.every((x) => x.enabled && !x.forced && x.location === '')).toBe(true);
  });

  it('stores schedules with documented defaults and finds them by id', async () => {
    const { schedules } = t.engine;
    const made = await schedules.insert({ name: 'Hourly-ish', weekly: 2 });
    expect(made).toEqual({ id: expect.stringMatching(/^[a-z0-9]{32}$/), name: 'Hourly-ish', daily: 1, weekly: 2, monthly: 0, enabled: true, forced: false, location: '' });
    expect(await schedules.get(made.id)).toEqual(made);
    expect((await schedules.get('daily30')).daily).toBe(30);
    expect((await schedules.list(s.u1)).map((x) => x.id)).toContain(made.id);
    expect(await errcodeOf(schedules.get('nope'))).toBe('schedule_not_found');
    expect(await errcodeOf(schedules.insert({ id: 'daily30', name: 'x' }))).toBe('invalid_argument_id');
    expect(await errcodeOf(schedules.insert({ name: 'x', daily: -1 }))).toBe('invalid_argument_daily');
    expect(await errcodeOf(schedules.list(s.u1, { user: 'u2' }))).toBe('invalid_argument_user');
  });
});
