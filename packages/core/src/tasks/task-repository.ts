import type { Knex } from 'knex';
import { EngineError, defaultMessage, isEngineError, type Errcode, type ListPage, type Task, type TaskStatus } from '@installgate/contracts';
import { fromRow, toTask, type StoredTask, type TaskRow } from './task-row';
import { isUniqueViolation } from '../db/unique-violation';
import { redactText } from '../secrets/redact';
import { paginate, type PageRequest } from '../store/paginate';
import { createTaskIdGenerator } from './task-ids';
import { STATUS, transition } from './task-states';


/** What creating a task needs; everything but cmd and user has a neutral default. */
export interface TaskCreate {
  cmd: string;
  user: string;
  installId?: string;
  wsLabel?: string;
  url?: string;
  title?: string;
  label?: string;
  message?: string;
  payload?: unknown;
  maxAttempts?: number;
}

/** A progress report of a running task (graphile-style: persisted, and a heartbeat of the task's lease). */
export interface TaskProgress {
  percentMin?: number;
  percentMax?: number;
  message?: string;
  rate?: number;
}

/** The message a task gets when its node died under it. */
export const INTERRUPTED_MESSAGE = 'interrupted by a server restart';

/** Longest last_error kept: a stack trace is useful, a megabyte of output is not. */
const MAX_LAST_ERROR = 8000;

const clampPercent = (n: number) => Math.min(100, Math.max(0, Math.round(n)));

/** A cause as text for last_error: name, message and stack, redacted and bounded. */
function describeCause(cause: unknown, secrets: readonly string[]): string {
  const text = cause instanceof Error ? cause.stack ?? `${cause.name}: ${cause.message}` : String(cause);
  return redactText(text, secrets).slice(0, MAX_LAST_ERROR);
}

/** Storage and state machine of tasks. Every state change is a conditional UPDATE on the state read before. */
export function createTaskRepository(db: Knex, clock: () => number) {
  const nextId = createTaskIdGenerator();

  async function read(taskId: string, on: Knex = db): Promise<StoredTask> {
    const row = (await on('tasks').where({ id: taskId }).first()) as TaskRow | undefined;
    if (!row) throw new EngineError('task_not_found', { errfield: 'id' });
    return fromRow(row);
  }

  /**
   * Moves a task from its current state to `to` with the given column changes. Retries when another node moved
   * the task between our read and our write, so the transition check always sees the state it replaces.
   */
  async function move(taskId: string, to: TaskStatus, columns: (current: StoredTask) => Record<string, unknown>): Promise<StoredTask> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const current = await read(taskId);
      transition(current.status, to);
      const n = await db('tasks').where({ id: taskId, status: current.status }).update({ ...columns(current), status: to });
      if (Number(n) > 0) return read(taskId);
    }
    throw new EngineError('internal_error', { message: `task ${taskId} keeps changing state; gave up moving it to ${to}` });
  }

  /** Locks held by a task end with it (a final task cannot hold an install). */
  const releaseLocksOf = (taskId: string) => db('install_locks').where({ task_id: taskId }).delete();

  return {
    read,
    fromRow,

    /** Inserts a queued task with a fresh id. */
    async create(input: TaskCreate): Promise<StoredTask> {
      const base = {
        cmd: input.cmd,
        install_id: input.installId ?? '',
        user: input.user,
        ws_label: input.wsLabel ?? '',
        url: input.url ?? '',
        title: input.title ?? '',
        payload: JSON.stringify(input.payload ?? {}),
        status: STATUS.queued,
        label: input.label ?? '',
        message: input.message ?? '',
        percent_min: 0,
        percent_max: 0,
        rate: 0,
        attempts: 0,
        max_attempts: input.maxAttempts ?? 1,
        created_at: clock(),
      };
      for (let attempt = 0; ; attempt++) {
        const id = nextId();
        try {
          await db('tasks').insert({ ...base, id });
          return read(id);
        } catch (cause) {
          // CASE: another node took the same id in the same millisecond: draw again.
          if (!isUniqueViolation(cause) || attempt >= 5) throw cause;
        }
      }
    },

    /**
     * Takes a queued task for `nodeId`: processing, locked, attempts + 1. Returns null when another node got it
     * first (it is already processing). Throws task_not_found, or internal_error for a final task.
     */
    async claim(taskId: string, nodeId: string): Promise<StoredTask | null> {
      const current = await read(taskId);
      if (current.status === STATUS.processing) return null;
      transition(current.status, STATUS.processing);
      const now = clock();
      const n = await db('tasks')
        .where({ id: taskId, status: STATUS.queued })
        .update({ status: STATUS.processing, locked_by: nodeId, locked_at: now, started_at: now, attempts: current.attempts + 1 });
      return Number(n) > 0 ? read(taskId) : null;
    },

    /** Records progress of a processing task and renews its lease. Throws internal_error if it is not processing. */
    async progress(taskId: string, p: TaskProgress): Promise<void> {
      const changes: Record<string, unknown> = { locked_at: clock() };
      if (p.percentMin !== undefined) changes.percent_min = clampPercent(p.percentMin);
      if (p.percentMax !== undefined) changes.percent_max = Math.max(clampPercent(p.percentMax), (changes.percent_min as number | undefined) ?? 0);
      if (p.message !== undefined) changes.message = p.message;
      if (p.rate !== undefined) changes.rate = Math.max(0, Math.round(p.rate));
      const n = await db('tasks').where({ id: taskId, status: STATUS.processing }).update(changes);
      if (Number(n) === 0) {
        const current = await read(taskId);
        throw new EngineError('internal_error', { message: `task ${taskId} is ${current.status}, not processing; progress refused` });
      }
    },

    /** Marks a processing task complete (100 %) and releases its install locks. */
    async finish(taskId: string, opts: { message?: string } = {}): Promise<StoredTask> {
      const done = await move(taskId, STATUS.complete, (cur) => ({
        percent_min: 100,
        percent_max: 100,
        message: opts.message ?? cur.message,
        finished_at: clock(),
      }));
      await releaseLocksOf(taskId);
      return done;
    },

    /**
     * Fails a queued or processing task with `errcode`. The client sees the errcode's message (or the
     * EngineError's own); the internal cause goes to last_error, redacted with `secrets`.
     */
    async fail(taskId: string, errcode: Errcode, internalCause: unknown, secrets: readonly string[] = []): Promise<StoredTask> {
      const shown = isEngineError(internalCause) && internalCause.errcode === errcode ? internalCause.message : defaultMessage(errcode);
      const failed = await move(taskId, STATUS.failed, () => ({
        errcode,
        message: redactText(shown, secrets).slice(0, 1024),
        last_error: describeCause(internalCause, secrets),
        finished_at: clock(),
      }));
      await releaseLocksOf(taskId);
      return failed;
    },

    /**
     * Fails every processing task that is not held by `nodeId`'s live lock: a lock of another node id (a previous
     * run of this server) or none. With `leaseSeconds`, locks renewed within that time are left alone, so nodes
     * sharing one database do not fail each other's live tasks. Returns the tasks it failed.
     */
    async recoverInterrupted(nodeId: string, opts: { leaseSeconds?: number } = {}): Promise<StoredTask[]> {
      const now = clock();
      let qb = db('tasks').where({ status: STATUS.processing }).andWhere((w) => w.whereNull('locked_by').orWhereNot('locked_by', nodeId));
      if (opts.leaseSeconds !== undefined) {
        const staleBefore = now - opts.leaseSeconds;
        qb = qb.andWhere((w) => w.whereNull('locked_at').orWhere('locked_at', '<', staleBefore));
      }
      const rows = (await qb.select('*')) as TaskRow[];
      const recovered: StoredTask[] = [];
      for (const row of rows) {
        const n = await db('tasks')
          .where({ id: row.id, status: STATUS.processing, locked_by: row.locked_by })
          .update({
            status: transition(STATUS.processing, STATUS.failed),
            errcode: 'internal_error',
            message: INTERRUPTED_MESSAGE,
            last_error: `interrupted: lock held by ${row.locked_by ?? '(none)'} since ${row.locked_at ?? '?'}; recovered by ${nodeId}`,
            finished_at: now,
          });
        if (Number(n) > 0) {
          await releaseLocksOf(row.id);
          recovered.push(await read(row.id));
        }
      }
      return recovered;
    },

    /** One page of tasks of the given owners (null = all), newest first. */
    list(owners: string[] | null, page: PageRequest): Promise<ListPage<Task>> {
      let qb = db('tasks');
      if (owners !== null) qb = qb.whereIn('user', owners);
      return paginate<TaskRow, Task>(qb, page, (o) => o.orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id', order: 'desc' }]), (r) => toTask(fromRow(r)));
    },

    /** Resets attempts and locks of the owners' queued tasks so the runner takes them again. Returns the count. */
    async restartQueued(owners: string[] | null): Promise<number> {
      let qb = db('tasks').where({ status: STATUS.queued });
      if (owners !== null) qb = qb.whereIn('user', owners);
      const n = await qb.update({ attempts: 0, locked_by: null, locked_at: null, last_error: null });
      return Number(n);
    },
  };
}

/** The task repository (type of createTaskRepository). */
export type TaskRepository = ReturnType<typeof createTaskRepository>;
