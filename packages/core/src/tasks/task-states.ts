import { EngineError, type TaskStatus } from '@installgate/contracts';

/** The task states (spec §6 [R]), one frozen table used both in SQL and in TypeScript (pg-boss JOB_STATES). */
export const STATUS = Object.freeze({
  queued: 'queued',
  processing: 'processing',
  complete: 'complete',
  failed: 'failed',
} as const satisfies { [S in TaskStatus]: S });

/**
 * Every legal move. processing → queued is a retry after a retryable error; complete and failed are final
 * (a failed task is never re-run by itself: restores must not repeat unasked).
 */
export const ALLOWED_TRANSITIONS = Object.freeze({
  queued: ['processing', 'failed'],
  processing: ['complete', 'failed', 'queued'],
  complete: [],
  failed: [],
} as const satisfies { [S in TaskStatus]: readonly TaskStatus[] });

/** True when a task may move from `from` to `to`. */
export function canTransition(from: TaskStatus, to: TaskStatus): boolean {
  return (ALLOWED_TRANSITIONS[from] as readonly TaskStatus[]).includes(to);
}

/** True for states no task leaves. */
export function isFinal(status: TaskStatus): boolean {
  return ALLOWED_TRANSITIONS[status].length === 0;
}

/**
 * Checks a move and returns the new state. An illegal move is a bug in the caller (the runner decides moves),
 * so it throws internal_error with both states in `details`.
 */
export function transition(from: TaskStatus, to: TaskStatus): TaskStatus {
  if (!canTransition(from, to)) {
    throw new EngineError('internal_error', { message: `illegal task transition ${from} → ${to}`, details: { from, to } });
  }
  return to;
}
