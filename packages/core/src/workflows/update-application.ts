/**
 * Updates an install (spec §2.2 `POST /installs/{id}/update`, v1 `update`/`upgrade`): the core to a newer release
 * and/or plugins and themes to the copies a release bundles, on this server or on a website on another server
 * (SFTP/FTP). The preflight is update-plan.ts, the steps update-steps.ts. A failure at any step swaps everything
 * back, so the site is byte-for-byte what it was, and the task fails naming the step. With `revert`, a backup is
 * taken first (no backup, no update).
 */
import { EngineError, type Install } from '@installgate/contracts';
import type { Scope } from '../access/actor';
import { redactText } from '../secrets/redact';
import { withInstallHost } from '../sites/install-host';
import { runWorkflow } from '../tasks/run-workflow';
import type { RunningTask } from '../tasks/task-runner';
import type { AppDeps, RunOptions } from './app-deps';
import type { OperationResult } from './install-application';
import { folderBusy, folderLockKey } from './resolve-target';
import { checkUpdateEnvironment, planUpdate, type UpdatePlan, type UpdateRequest } from './update-plan';
import { updateSteps, type UpdateRun } from './update-steps';

export type { UpdateRequest } from './update-plan';

function summary(plan: UpdatePlan, run: UpdateRun): string {
  const parts: string[] = [];
  if (plan.to) parts.push(`${plan.manifest.name} ${plan.from} → ${plan.to}`);
  for (const u of run.addonUpdates) parts.push(`${u.kind === 'plugins' ? 'plugin' : 'theme'} ${u.id} ${u.from} → ${u.to}`);
  if (parts.length === 0) parts.push('nothing needed updating');
  return `Updated ${plan.install.title}: ${parts.join('; ')}.${run.notes.length ? ` ${run.notes.join(' ')}` : ''}`;
}

/** How the scheduler's automatic update (auto-update.ts) runs an update; absent for an update a caller asks for. */
export interface UpdateHooks {
  /** The update is automatic: the task payload says so, and a success sets `version_autouped`. */
  automatic?: boolean;
  /** Called once the task row exists (a failure before it has no failed task to show). */
  taskStarted?: () => void;
}

/** Runs an update (preflight, then a task). Answers the install record after the update. */
export async function updateApplication(deps: AppDeps, scope: Scope, id: string, req: UpdateRequest, opts: RunOptions, hooks: UpdateHooks = {}): Promise<OperationResult<Install>> {
  const plan = await planUpdate(deps, scope, id, req);
  if (opts.dryrun === 'input') return { data: null, dryrun: true };
  if (opts.dryrun === 'all' || opts.background !== 'quick') await checkUpdateEnvironment(deps, plan);
  if (opts.dryrun === 'all') return { data: null, dryrun: true };
  const { install } = plan;
  const secrets = [install.db_pass].filter((s) => s !== '');
  const entry = { user: install.user, cmd: 'installs/update', install: id, url: install.url, title: install.title };
  const run: UpdateRun = {
    plan, task: undefined as unknown as RunningTask, at: { dir: install.path, host: {}, site: null, remote: null }, backup: null, files: null,
    names: [], addonUpdates: [], newAddons: [], notes: [], swap: null, snapshot: null, version: plan.from, automatic: hooks.automatic === true,
  };
  const { task } = await deps.runner.run({
    cmd: 'installs/update', user: install.user, installId: id, url: install.url, title: install.title, label: '_tasks_upgrading',
    payload: { install: id, from: plan.from, to: plan.to ?? 'current', ...(run.automatic ? { automatic: true } : {}) },
    lockInstall: [id, folderLockKey(install.path)], secrets,
  }, async (t) => {
    run.task = t;
    hooks.taskStarted?.();
    try {
      if (opts.background === 'quick') await checkUpdateEnvironment(deps, plan);
      // One website connection for the whole update of a remote install (staging, swaps, PHP over HTTP, undo).
      await withInstallHost(deps, install, (at) => {
        run.at = at;
        return runWorkflow(updateSteps(deps), run, t.progress, (step, e) => deps.logger.error('undo failed', { step, install: id, detail: String(e) }));
      });
    } catch (e) {
      const err = e instanceof EngineError ? e : new EngineError('internal_error', { cause: e });
      const { step, undoFailures, ...details } = err.details ?? {};
      const undone = Array.isArray(undoFailures) && undoFailures.length > 0
        ? `putting the site back failed at ${undoFailures.join(', ')} (see the server log)`
        : 'the site was put back as it was';
      const kept = run.backup ? ` The backup ${run.backup.id} (${run.backup.backup_filename}) taken before the update is kept.` : '';
      const message = redactText(`Updating ${install.title} failed${typeof step === 'string' ? ` at step ${step}` : ''}; ${undone}: ${err.message}${kept}`, secrets);
      await deps.logs.write({ ...entry, severity: 'error', message }, secrets);
      // The step is in the message itself, for the caller (foreground) and the task alike.
      throw new EngineError(err.errcode, { message, errfield: err.errfield, details: { ...details, failedStep: step, undoFailures }, cause: err.cause ?? err });
    }
    await deps.logs.write({ ...entry, message: summary(plan, run) }, secrets);
  }, { background: opts.background !== false }).catch((e: unknown) => { throw folderBusy(e, install.path); });
  if (opts.background !== false) return { data: null, task };
  return { data: (await deps.installsRepo.get(id)) ?? null, task };
}
