import { isEngineError } from '@installgate/contracts';
import type { AppDeps } from '../workflows/app-deps';
import { autoBackupInstall, autoBackupTargets } from '../workflows/auto-backup';
import { autoUpdateInstall, autoUpdateTargets } from '../workflows/auto-update';
import { updateNoticeInstall, updateNoticeTargets } from '../workflows/update-notice';
import { createJobLeases } from './job-lease';

/** A kind of scheduled job: what it runs on, and one run for one target (throws when it failed). */
interface ScheduledJobKind {
  targets(deps: AppDeps): Promise<string[]>;
  run(deps: AppDeps, target: string): Promise<{ state: 'idle' } | { state: 'done' }>;
}

/**
 * Every job kind the scheduler runs, in pass order: automatic backups before automatic updates, so a site due for
 * both is backed up at its old version first; update mails last, so what was just updated is not announced. The lease, retry and report handling below is shared.
 */
export const SCHEDULED_JOBS = {
  autobk: { targets: autoBackupTargets, run: autoBackupInstall },
  autoup: { targets: autoUpdateTargets, run: autoUpdateInstall },
  update_notice: { targets: updateNoticeTargets, run: updateNoticeInstall },
} as const satisfies Record<string, ScheduledJobKind>;

export type ScheduledJobName = keyof typeof SCHEDULED_JOBS;

/** How a pass runs. */
export interface PassOptions {
  /**
   * The scheduler's interval. A failed job is held back for half of it (counted from its claim): the next pass
   * tries it again, an extra pass in between (another process) does not. Each further failure in a row doubles
   * the wait, up to MAX_RETRY_SECONDS, so a location that stays broken does not fail a task every pass all day.
   */
  retrySeconds: number;
  /**
   * How long a claim holds when its process dies without giving it back (default 6 hours: longer than any
   * backup should take, so a live process is never overtaken).
   */
  leaseSeconds?: number;
}

/** One job this process ran in a pass. */
export interface JobReport {
  kind: ScheduledJobName;
  target: string;
  outcome: 'idle' | 'done' | 'failed';
  errcode?: string;
  /** What the job did (autobk: the backup, its kinds, the backups retention deleted; autoup: from, to, backup). */
  detail?: Record<string, unknown>;
}

export const DEFAULT_LEASE_SECONDS = 6 * 3600;

/** The longest a failing job waits before it is tried again. */
export const MAX_RETRY_SECONDS = 6 * 3600;

/** Until when a job that has now failed `failures` times in a row (claimed at `now`) is held back. */
export function retryAfter(now: number, retrySeconds: number, failures: number): number {
  return now + Math.min(MAX_RETRY_SECONDS, Math.ceil(retrySeconds / 2) * 2 ** Math.min(failures - 1, 20));
}

/**
 * One scheduler pass: for every kind and target, claim the job in the state database, run it, give it back. A
 * job held by another process (or held back after a failure) is skipped; it is looked at again next pass. Safe to
 * run in several processes on one state database at the same moment: a claim is one conditional UPDATE, and a job
 * decides what is due only after it has the claim, from the shared records.
 */
export async function runScheduledJobs(deps: AppDeps, opts: PassOptions): Promise<JobReport[]> {
  const leases = createJobLeases(deps.db);
  const reports: JobReport[] = [];
  for (const [kind, job] of Object.entries(SCHEDULED_JOBS) as [ScheduledJobName, ScheduledJobKind][]) {
    for (const target of await job.targets(deps)) {
      const key = { kind, target };
      const now = deps.clock();
      const claim = await leases.claim(key, deps.nodeId, now, opts.leaseSeconds ?? DEFAULT_LEASE_SECONDS);
      if (!claim) continue;
      let after = { retryAfter: 0, failures: 0 };
      try {
        const { state, ...detail } = await job.run(deps, target);
        reports.push({ kind, target, outcome: state, ...(state === 'done' ? { detail } : {}) });
      } catch (e) {
        const failures = claim.failures + 1;
        after = { retryAfter: retryAfter(now, opts.retrySeconds, failures), failures };
        const errcode = isEngineError(e) ? e.errcode : 'internal_error';
        deps.logger.warn('a scheduled job failed; it is tried again later', { kind, target, errcode, failures, retry_after: after.retryAfter });
        reports.push({ kind, target, outcome: 'failed', errcode });
      } finally {
        await leases.release(key, deps.nodeId, deps.clock(), after);
      }
    }
  }
  return reports;
}
