import { EngineError, isEngineError, type Notification, type Task } from '@installgate/contracts';
import type { Logger } from '../engine-context';
import { redactText } from '../secrets/redact';
import type { TasksService } from './tasks-service';
import type { StoredTask } from './task-row';

/** What a running operation receives: its task, and a way to report progress (persisted, also a lease heartbeat). */
export interface RunningTask {
  task: StoredTask;
  progress(message: string, percentMin: number, percentMax: number): Promise<void>;
}

/** What a long operation declares about itself when it is started. */
export interface TaskSpec {
  /** v2 `resource/action` name (spec §6), e.g. `browser/install`. */
  cmd: string;
  user: string;
  installId?: string;
  url?: string;
  title?: string;
  wsLabel?: string;
  /** i18n key of the headline, e.g. `_tasks_installing`. */
  label: string;
  /** What is kept in the task row: never secrets (passwords stay in memory with the running operation). */
  payload?: unknown;
  /**
   * Take the install's lock for the whole task: one mutating task per install (spec, enforced in the database).
   * Several keys are taken in order, all or none (an install also locks its folder: see folderLockKey).
   */
  lockInstall?: string | readonly string[];
  /** Values to redact from the stored error of a failed task. */
  secrets?: readonly string[];
  /**
   * The install's notification list (spec §8.3) for when its record is gone at the end: a failed install, clone or
   * restore-to removes the record it made, yet its owner still gets the `_error` mail they asked for.
   */
  notification?: readonly Notification[];
}

/** How a task ended, for whoever acts once it is over (notifications). */
export interface TaskSettled {
  spec: TaskSpec;
  taskId: string;
  /** The failure as stored (the task's secrets redacted); absent when the task completed. */
  error?: { errcode: string; message: string };
}

export interface TaskRunner {
  /**
   * Creates the task row and runs `work` as that task. Foreground: resolves with the result when the work is done,
   * or rejects with its EngineError (the task is then `failed` with that errcode). Background: resolves at once with
   * the task; the work goes on, and its outcome is only in the task row.
   */
  run<T>(spec: TaskSpec, work: (t: RunningTask) => Promise<T>, opts: { background: boolean }): Promise<{ task: Task; result?: T }>;
  /** Waits for every operation started by this runner (graceful stop). */
  drain(): Promise<void>;
}

function lockKeys(spec: TaskSpec): readonly string[] {
  return spec.lockInstall === undefined ? [] : typeof spec.lockInstall === 'string' ? [spec.lockInstall] : spec.lockInstall;
}

/** An in-process task runner over the shared task table (claims are conditional, so several nodes can share it). */
export function createTaskRunner(deps: { tasks: TasksService; logger: Logger; nodeId: string; onSettled?: (s: TaskSettled) => void; onIdle?: (stillIdle: () => boolean) => void }): TaskRunner {
  const { tasks, logger, nodeId } = deps;
  // Called once the task row is final. The listener only queues its work: it must never delay or change the result.
  const settled = (s: TaskSettled) => {
    try {
      deps.onSettled?.(s);
    } catch (e) {
      logger.error('a task-settled listener failed', { task: s.taskId, detail: String(e) });
    }
  };
  const running = new Set<Promise<unknown>>();

  async function execute<T>(spec: TaskSpec, stored: StoredTask, work: (t: RunningTask) => Promise<T>): Promise<T> {
    const claimed = await tasks.claim(stored.id, nodeId);
    if (!claimed) throw new EngineError('internal_error', { message: `task ${stored.id} was taken by another node` });
    const progress = async (message: string, percentMin: number, percentMax: number) => {
      await tasks.progress(stored.id, { message, percentMin, percentMax });
    };
    try {
      const result = await work({ task: claimed, progress });
      await tasks.finish(stored.id);
      settled({ spec, taskId: stored.id });
      return result;
    } catch (e) {
      const err = isEngineError(e) ? e : new EngineError('internal_error', { cause: e });
      // The stored message names the failed step; internals stay in last_error.
      const step = typeof err.details?.step === 'string' ? err.details.step : undefined;
      const shown = step ? new EngineError(err.errcode, { message: `${err.message} (failed at step ${step})`, cause: err.cause ?? err }) : err;
      await tasks.fail(stored.id, err.errcode, shown, spec.secrets ?? []).catch((failErr) => {
        logger.error('could not record a failed task', { task: stored.id, detail: String(failErr) });
      });
      logger.warn('task failed', { task: stored.id, cmd: spec.cmd, errcode: err.errcode, step: err.details?.step });
      settled({ spec, taskId: stored.id, error: { errcode: err.errcode, message: redactText(shown.message, spec.secrets ?? []) } });
      throw err;
    } finally {
      for (const key of lockKeys(spec)) await tasks.releaseInstallLock(key, stored.id).catch(() => undefined);
    }
  }

  return {
    async run(spec, work, opts) {
      const stored = await tasks.create({
        cmd: spec.cmd, user: spec.user, installId: spec.installId, url: spec.url, title: spec.title,
        wsLabel: spec.wsLabel, label: spec.label, payload: spec.payload ?? {},
      });
      if (lockKeys(spec).length > 0) {
        try {
          // A failure fails the task, which releases the keys already taken (tasks.fail).
          for (const key of lockKeys(spec)) await tasks.acquireInstallLock(key, stored.id);
        } catch (e) {
          await tasks.claim(stored.id, nodeId).catch(() => undefined);
          await tasks.fail(stored.id, isEngineError(e) ? e.errcode : 'internal_error', e).catch(() => undefined);
          throw e;
        }
      }
      const promise = execute(spec, stored, work);
      running.add(promise);
      const done = () => {
        running.delete(promise);
        if (running.size === 0) deps.onIdle?.(() => running.size === 0);
      };
      void promise.then(done, done);
      if (opts.background) {
        // The outcome is recorded in the task row; nobody awaits this promise.
        promise.catch(() => undefined);
        return { task: tasks.toTask(await tasks.get(stored.id)) };
      }
      const result = await promise;
      return { task: tasks.toTask(await tasks.get(stored.id)), result };
    },
    async drain() {
      await Promise.allSettled([...running]);
    },
  };
}
