import { EngineError, isEngineError, type Install } from '@installgate/contracts';
import { ADMIN_SCOPE } from '../access/actor';
import type { AppDeps } from './app-deps';
import { backupInstall } from './backup-install';
import { deleteBackup } from './delete-backup';
import { AUTO_BACKUP_KINDS, dueKinds, planRetention, type AutoBackupKind, type KindCounts } from './auto-backup-rules';

/** What an install's `autobk` asks for: counts per kind and where the archives go. */
interface AutoBackupPolicy {
  counts: KindCounts;
  bkloc: string;
}

/** What one scheduled run did for an install. */
export type AutoBackupOutcome =
  | { state: 'idle' }
  | { state: 'done'; backup: string; kinds: AutoBackupKind[]; dropped: string[] };

/**
 * `autobk=custom`: the install's own counts and `bkloc`. `autobk=schedule`: the schedule's counts; its location,
 * else the install's `bkloc`. A missing or disabled schedule (or `none`) takes no backups.
 */
async function policyOf(deps: AppDeps, install: Install): Promise<AutoBackupPolicy | null> {
  const own = install.bkloc || 'local';
  if (install.autobk === 'custom') {
    return { counts: { daily: install.autobk_daily, weekly: install.autobk_weekly, monthly: install.autobk_monthly }, bkloc: own };
  }
  if (install.autobk !== 'schedule') return null;
  const schedule = await deps.schedules.get(install.autobk_schedule).catch((e: unknown) => {
    if (isEngineError(e) && e.errcode === 'schedule_not_found') return null;
    throw e;
  });
  if (!schedule?.enabled) return null;
  return { counts: { daily: schedule.daily, weekly: schedule.weekly, monthly: schedule.monthly }, bkloc: schedule.location || own };
}

/** The installs the autobk job looks at: every one whose `autobk` is not `none`. */
export async function autoBackupTargets(deps: AppDeps): Promise<string[]> {
  const rows = (await deps.installsRepo.query().select('id', 'record').orderBy('id')) as { id: string; record: string }[];
  return rows.map((r) => deps.installsRepo.fromRow(r)).filter((i) => i.autobk !== 'none' && !i.incomplete).map((i) => i.id);
}

/**
 * Retention after a new automatic backup: every kind keeps its newest `counts[kind]` backups; automatic backups
 * left counting as nothing are deleted (archive and record, as DELETE /backups/{id}). A deletion that fails stays
 * queued (the row counts as nothing) and is tried again after the next automatic backup. Manual backups have no
 * row and are never looked at.
 */
async function applyRetention(deps: AppDeps, installId: string, counts: KindCounts): Promise<string[]> {
  const plan = planRetention(counts, await deps.autoBackups.list(installId));
  for (const [id, kinds] of plan.retag) await deps.autoBackups.retag(id, kinds);
  const dropped: string[] = [];
  for (const id of plan.drop) {
    await deps.autoBackups.retag(id, { daily: false, weekly: false, monthly: false });
    try {
      await deleteBackup(deps, ADMIN_SCOPE, id, { background: false, dryrun: 'none', force: false });
      await deps.autoBackups.remove(id);
      dropped.push(id);
    } catch (e) {
      deps.logger.warn('an automatic backup beyond its retention could not be deleted; will retry', { backup: id, detail: e instanceof Error ? e.message : String(e) });
    }
  }
  return dropped;
}

/** A failure before the backup's task existed (its location cannot be resolved): recorded as a failed task too. */
async function recordEarlyFailure(deps: AppDeps, install: Install, err: EngineError): Promise<void> {
  await deps.logs.write({
    user: install.user, cmd: 'installs/backup', install: install.id, url: install.url, title: install.title,
    severity: 'error', message: `Automatic backup of ${install.title} failed: ${err.message}`,
  });
  // CASE: install_busy comes from the task runner, which has recorded the failed task already.
  if (err.errcode === 'install_busy') return;
  await deps.runner.run({
    cmd: 'installs/backup', user: install.user, installId: install.id, url: install.url, title: install.title, label: '_tasks_backuping',
    payload: { install: install.id },
  }, async () => { throw err; }, { background: false }).catch(() => undefined);
}

/**
 * The `autobk` job for one install at the engine clock's now: when a kind is due, one backup counting as every due
 * kind, then retention. Failures are thrown (after being recorded as a failed task and in the activity log); the
 * scheduler holds the job back until its next pass.
 */
export async function autoBackupInstall(deps: AppDeps, installId: string): Promise<AutoBackupOutcome> {
  const install = await deps.installsRepo.get(installId);
  if (!install || install.incomplete) return { state: 'idle' };
  const policy = await policyOf(deps, install);
  if (!policy) return { state: 'idle' };
  const now = deps.clock();
  const kinds = dueKinds(policy.counts, await deps.autoBackups.list(installId), now);
  if (kinds.length === 0) return { state: 'idle' };
  let started = false;
  try {
    const r = await backupInstall(deps, ADMIN_SCOPE, installId, { expiry: 'never', bkloc: policy.bkloc, backup_note: `Automatic backup (${kinds.join(', ')})` }, { background: false, dryrun: 'none' }, {
      taskStarted: () => { started = true; },
      alsoRecord: (b, trx) => deps.autoBackups.insert(installId, {
        backup_id: b.id, backup_time: b.backup_time,
        ...(Object.fromEntries(AUTO_BACKUP_KINDS.map((k) => [k, kinds.includes(k)])) as Record<AutoBackupKind, boolean>),
      }, trx),
    });
    const dropped = await applyRetention(deps, installId, policy.counts);
    return { state: 'done', backup: r.data!.id, kinds, dropped };
  } catch (e) {
    const err = isEngineError(e) ? e : new EngineError('internal_error', { cause: e });
    if (!started) await recordEarlyFailure(deps, install, err);
    throw err;
  }
}
