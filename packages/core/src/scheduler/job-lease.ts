import type { Knex } from 'knex';
import { isUniqueViolation } from '../db/unique-violation';

/** One scheduled job: a kind (`autobk`, later `autoup`) and what it runs on (an install id). */
export interface JobKey {
  kind: string;
  target: string;
}

/**
 * Leases on `scheduler_jobs`: of several processes sharing the state database, exactly one runs a job at a time.
 * Times are the engine clock's unix seconds, so a lease left by a crashed process expires on the same clock that
 * tests move.
 */
export interface JobLeases {
  /**
   * Takes the job for `owner` until `now + leaseSeconds` when nobody holds it (or the holder's lease has run out)
   * and it is not held back after a failure. Returns null when another caller has it, else how many times in a
   * row the job has failed so far.
   */
  claim(key: JobKey, owner: string, now: number, leaseSeconds: number): Promise<{ failures: number } | null>;
  /**
   * Gives the job back. After a success: `failures` 0, `retryAfter` 0. After a failure: the new count, and until
   * when (unix seconds) nobody may run it.
   */
  release(key: JobKey, owner: string, now: number, after: { retryAfter: number; failures: number }): Promise<void>;
}

export function createJobLeases(db: Knex): JobLeases {
  return {
    async claim(key, owner, now, leaseSeconds) {
      try {
        await db('scheduler_jobs').insert({ ...key, lease_owner: '', lease_until: 0, retry_after: 0, last_run: 0 });
      } catch (e) {
        // CASE: the row exists (made by an earlier pass or by another process just now): the UPDATE decides.
        if (!isUniqueViolation(e)) throw e;
      }
      // One statement: the database applies it to the row atomically, so of two racing processes one sees 1 row.
      const n = await db('scheduler_jobs')
        .where(key)
        .andWhere('lease_until', '<=', now)
        .andWhere('retry_after', '<=', now)
        .update({ lease_owner: owner, lease_until: now + leaseSeconds });
      if (Number(n) !== 1) return null;
      const row = (await db('scheduler_jobs').where(key).first('failures')) as { failures: number | string };
      return { failures: Number(row.failures) };
    },

    async release(key, owner, now, after) {
      await db('scheduler_jobs').where({ ...key, lease_owner: owner }).update({
        lease_owner: '', lease_until: 0, retry_after: after.retryAfter, failures: after.failures, last_run: now,
      });
    },
  };
}
