import { TASK_STATUSES, type TaskStatus } from '@installgate/contracts';
import { ALLOWED_TRANSITIONS, STATUS, canTransition, isFinal, transition } from './task-states';

describe('task states', () => {
  it('has one entry per contract status', () => {
    expect(Object.keys(STATUS).sort()).toEqual([...TASK_STATUSES].sort());
    expect(Object.keys(ALLOWED_TRANSITIONS).sort()).toEqual([...TASK_STATUSES].sort());
  });

  const legal: Array<[TaskStatus, TaskStatus]> = [
    ['queued', 'processing'],
    ['queued', 'failed'],
    ['processing', 'complete'],
    ['processing', 'failed'],
    ['processing', 'queued'],
  ];

  it.each(legal)('allows %s → %s', (from, to) => {
    expect(canTransition(from, to)).toBe(true);
    expect(transition(from, to)).toBe(to);
  });

  const illegal = TASK_STATUSES.flatMap((from) => TASK_STATUSES.map((to) => [from, to] as [TaskStatus, TaskStatus])).filter(
    ([f, t]) => !legal.some(([lf, lt]) => lf === f && lt === t),
  );

  it.each(illegal)('refuses %s → %s with internal_error', (from, to) => {
    expect(canTransition(from, to)).toBe(false);
    expect(() => transition(from, to)).toThrow(expect.objectContaining({ errcode: 'internal_error', details: { from, to } }));
  });

  it('treats complete and failed as final', () => {
    expect(TASK_STATUSES.filter(isFinal)).toEqual(['complete', 'failed']);
  });
});
