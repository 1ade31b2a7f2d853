import { dueKinds, planRetention, DUE_SLACK_SECONDS, KIND_PERIOD, type AutoBackupRow } from './auto-backup-rules';
import { MAX_RETRY_SECONDS, retryAfter } from '../scheduler/run-scheduled-jobs';

const DAY = 86_400;
const row = (id: string, day: number, kinds: string): AutoBackupRow => ({
  backup_id: id, backup_time: day * DAY, daily: kinds.includes('d'), weekly: kinds.includes('w'), monthly: kinds.includes('m'),
});

test('a kind is due when it has no backup yet or its newest is a period (less the slack) old; count 0 is never due', () => {
  const counts = { daily: 1, weekly: 1, monthly: 0 };
  expect(dueKinds(counts, [], 0)).toEqual(['daily', 'weekly']);
  const rows = [row('a', 0, 'dw')];
  expect(dueKinds(counts, rows, KIND_PERIOD.daily - DUE_SLACK_SECONDS - 1)).toEqual([]);
  expect(dueKinds(counts, rows, KIND_PERIOD.daily - DUE_SLACK_SECONDS)).toEqual(['daily']);
  expect(dueKinds(counts, rows, KIND_PERIOD.weekly - DUE_SLACK_SECONDS)).toEqual(['daily', 'weekly']);
});

test('retention keeps the newest N of each kind; a backup counting as nothing is dropped', () => {
  const rows = [row('d0', 0, 'dwm'), row('d1', 1, 'd'), row('d2', 2, 'd'), row('d7', 7, 'dw'), row('gone', 3, '')];
  const plan = planRetention({ daily: 2, weekly: 1, monthly: 1 }, rows);
  expect(plan.drop.sort()).toEqual(['d1', 'gone']);
  expect(plan.retag).toEqual(new Map([['d0', { daily: false, weekly: false, monthly: true }]]));
  // Counts lowered to 0: every backup of that kind loses it.
  expect(planRetention({ daily: 0, weekly: 0, monthly: 0 }, rows).drop.sort()).toEqual(['d0', 'd1', 'd2', 'd7', 'gone']);
});

test('a failing job waits half an interval, then twice as long after each further failure, at most 6 hours', () => {
  expect([1, 2, 3, 4].map((n) => retryAfter(1000, 300, n) - 1000)).toEqual([150, 300, 600, 1200]);
  expect(retryAfter(1000, 300, 40) - 1000).toBe(MAX_RETRY_SECONDS);
});
