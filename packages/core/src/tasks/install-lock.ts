import type { Knex } from 'knex';
import { EngineError, type TaskStatus } from '@installgate/contracts';
import { isUniqueViolation } from '../db/unique-violation';
import { isFinal } from './task-states';

/**
 * "One mutating task per install", enforced by the database: `install_locks.install_id` is the primary key,
 * so of two nodes racing for one install exactly one insert succeeds, whatever the dialect.
 */
export interface InstallLocks {
  /**
   * Gives install `installId` to task `taskId`. Idempotent for the holder. A lock left by a task that has ended
   * (or no longer exists) is taken over. Otherwise throws EngineError('install_busy') with the holder's task id
   * in `details.task` and the key in `details.lock`; an unknown `taskId` throws task_not_found.
   */
  acquire(installId: string, taskId: string): Promise<void>;
  /** Releases the lock if `taskId` holds it. Returns whether it did. Idempotent. */
  release(installId: string, taskId: string): Promise<boolean>;
  /** The id of the live task holding the install, or undefined when it is free. */
  holder(installId: string): Promise<string | undefined>;
}

/** Install locks over the `install_locks` table. */
export function createInstallLocks(db: Knex, clock: () => number): InstallLocks {
  const statusOf = async (taskId: string) =>
    ((await db('tasks').where({ id: taskId }).first('status')) as { status: TaskStatus } | undefined)?.status;

  /** The current lock row, with stale locks (holder gone or final) removed on the way. */
  async function liveHolder(installId: string): Promise<string | undefined> {
    const row = (await db('install_locks').where({ install_id: installId }).first('task_id')) as { task_id: string } | undefined;
    if (!row) return undefined;
    const status = await statusOf(row.task_id);
    if (status === undefined || isFinal(status)) {
      await db('install_locks').where({ install_id: installId, task_id: row.task_id }).delete();
      return undefined;
    }
    return row.task_id;
  }

  return {
    async acquire(installId, taskId) {
      if ((await statusOf(taskId)) === undefined) throw new EngineError('task_not_found', { errfield: 'task' });
      for (let attempt = 0; attempt < 3; attempt++) {
        try {
          await db('install_locks').insert({ install_id: installId, task_id: taskId, locked_at: clock() });
          return;
        } catch (cause) {
          if (!isUniqueViolation(cause)) throw cause;
        }
        const holder = await liveHolder(installId);
        if (holder === taskId) return;
        if (holder !== undefined) {
          throw new EngineError('install_busy', { errfield: 'id', details: { task: holder, lock: installId } });
        }
        // CASE: the lock was stale and has just been removed: try again.
      }
      throw new EngineError('install_busy', { errfield: 'id', details: { lock: installId } });
    },

    async release(installId, taskId) {
      const n = await db('install_locks').where({ install_id: installId, task_id: taskId }).delete();
      return Number(n) > 0;
    },

    holder: liveHolder,
  };
}
