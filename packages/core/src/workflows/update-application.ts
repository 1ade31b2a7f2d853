/**
 * Updates an install (spec §2.2 `POST /installs/{id}/update`, v1 `update`/`upgrade`): the core to a newer release
 * and/or plugins and themes to the copies a release bundles. Nothing is deleted before the update is committed:
 * - the new release is unpacked into a private folder inside the install's folder (one file system);
 * - the tables are snapshotted (table-snapshot.ts) so the application's own database upgrade runs on copies;
 * - files swap in by renames (restore-swap.ts); what was live is kept aside;
 * - the app's database upgrade runs (WordPress: wp_upgrade()), then the result is checked;
 * - only when the record is saved are the old files and tables dropped.
 * A failure at any step swaps everything back, so the site is byte-for-byte what it was, and the task fails
 * naming the step. With `revert`, a backup is taken first (no backup, no update).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EngineError, type Backup, type Install } from '@installgate/contracts';
import type { Scope } from '../access/actor';
import { expiresAt } from '../backups/backups-service';
import { redactText } from '../secrets/redact';
import { runWorkflow, type Step } from '../tasks/run-workflow';
import type { RunningTask } from '../tasks/task-runner';
import type { AppDeps, RunOptions } from './app-deps';
import { writeBackup } from './backup-install';
import type { OperationResult } from './install-application';
import { releaseSha256 } from './release-checksum';
import { swapFiles, type Swap } from './restore-swap';
import { folderBusy, folderLockKey } from './resolve-target';
import { snapshotTables, type TableSnapshot } from './table-snapshot';
import { chooseAddonUpdates, type AddonUpdate } from './update-addons';
import { checkUpdateEnvironment, planUpdate, type UpdatePlan, type UpdateRequest } from './update-plan';

export type { UpdateRequest } from './update-plan';

interface Run {
  plan: UpdatePlan;
  task: RunningTask;
  backup: Backup | null;
  scratch: string;
  /** The source release, unpacked. */
  release: string;
  /** Top-level names of the release that replace the live ones (the driver's `keep` left out). */
  names: string[];
  addonUpdates: AddonUpdate[];
  /** Bundled add-ons the install lacks, added by a core update: [add-on folder, entry]. */
  newAddons: [string, string][];
  notes: string[];
  swaps: Swap[];
  snapshot: TableSnapshot | null;
  version: string;
  /** Started by the scheduler's autoup job. */
  automatic: boolean;
}

const LIVE_NAME = /^(\.ig-|installgate-sso-)/;

function steps(deps: AppDeps): Step<Run>[] {
  return [
    {
      name: 'backup-install', message: '_tasks_backuping', percent: [0, 20],
      async run(run) {
        const { plan } = run;
        if (!plan.backupTo) return;
        run.backup = await writeBackup(deps, plan.install, plan.backupTo, { note: `Before updating ${plan.manifest.name} ${plan.from}${plan.to ? ` to ${plan.to}` : ''}`, expires: expiresAt('never', deps.clock()) }, run.task);
        // Kept whatever happens next: it is the owner's copy of the site before the update.
      },
    },
    {
      name: 'unpack-release', message: '_tasks_shared_copyingfiles', percent: [20, 40],
      async run(run) {
        const { plan } = run;
        // `current` with no plugins/themes asked has nothing to take from a release.
        if (plan.to === null && plan.plugins === undefined && plan.themes === undefined) return;
        const release = deps.catalog.release(plan.install.application, plan.source);
        if ((await releaseSha256(release.archive)) !== release.sha256) {
          throw new EngineError('internal_error', { message: `The release archive of ${plan.manifest.name} ${plan.source} does not match its checksum; rebuild the application mirror.` });
        }
        run.scratch = await fs.promises.mkdtemp(path.join(plan.install.path, '.ig-update-'));
        const remove = () => fs.promises.rm(run.scratch, { recursive: true, force: true });
        try {
          run.release = path.join(run.scratch, 'release');
          await fs.promises.mkdir(run.release);
          const { entries } = await deps.runtime.extractRelease(release.archive, run.release, { stripTopFolder: true });
          const keep = new Set(plan.driver.update?.keep ?? []);
          run.names = plan.to === null ? [] : entries.filter((e) => !keep.has(e));
        } catch (e) {
          await remove().catch(() => undefined);
          throw e;
        }
        return remove;
      },
    },
    {
      name: 'choose-addons', message: '_tasks_shared_preparing', percent: [40, 45],
      async run(run) {
        const { plan } = run;
        const support = plan.driver.update;
        if (!support?.addonDirs || !support.bundledAddons || !run.release) return;
        const bundled = await support.bundledAddons(run.release);
        const wanted = plan.plugins !== undefined || plan.themes !== undefined;
        const installed = wanted ? await plan.driver.addons({ dir: plan.install.path, url: plan.install.url, db: plan.db }) : { plugins: [], themes: [] };
        for (const kind of ['plugins', 'themes'] as const) {
          const choice = chooseAddonUpdates(kind, plan[kind], installed[kind], bundled[kind], plan.source);
          run.addonUpdates.push(...choice.updates);
          run.notes.push(...choice.notes);
          // A core update brings the release's new bundled add-ons along, as WordPress's own core update does.
          if (plan.to === null) continue;
          const folder = support.addonDirs[kind];
          for (const b of bundled[kind]) {
            if (!fs.existsSync(path.join(plan.install.path, folder, b.entry))) run.newAddons.push([folder, b.entry]);
          }
        }
      },
    },
    {
      name: 'mark-updating', message: '_tasks_shared_preparing', percent: [45, 46],
      async run(run) {
        // From here until the record is saved the site is between two releases: a server killed meanwhile leaves
        // the record flagged incomplete (spec: restore a backup), not one that claims a working site.
        const setIncomplete = async (incomplete: boolean) => {
          const fresh = await deps.installsRepo.get(run.plan.install.id);
          if (fresh) await deps.installsRepo.replace({ ...fresh, incomplete });
        };
        await setIncomplete(true);
        return () => setIncomplete(false);
      },
    },
    {
      name: 'snapshot-tables', message: '_tasks_shared_preparing', percent: [46, 55],
      async run(run) {
        const { plan } = run;
        // Only the application's own upgrade changes tables; add-on files alone need no snapshot.
        if (!plan.db || plan.to === null || !plan.driver.update?.upgradeDatabase) return;
        run.snapshot = await snapshotTables(plan.db, plan.db.db_prefix);
        return async () => { await run.snapshot!.rollback(); run.snapshot = null; };
      },
    },
    {
      name: 'swap-files', message: '_tasks_shared_copyingfiles', percent: [55, 70],
      async run(run) {
        const { plan } = run;
        const dir = plan.install.path;
        const undo = async () => {
          for (const s of [...run.swaps].reverse()) await s.rollback();
          run.swaps = [];
        };
        try {
          if (run.names.length) run.swaps.push(await swapFiles(dir, run.release, run.names, []));
          const folders = plan.driver.update?.addonDirs;
          for (const u of run.addonUpdates) {
            const folder = folders![u.kind];
            run.swaps.push(await swapFiles(path.join(dir, folder), path.join(run.release, folder), [u.entry], []));
          }
          for (const [folder, entry] of run.newAddons) {
            run.swaps.push(await swapFiles(path.join(dir, folder), path.join(run.release, folder), [entry], []));
          }
        } catch (e) {
          await undo();
          throw e;
        }
        return undo;
      },
    },
    {
      name: 'upgrade-database', message: '_tasks_upgrade_running', percent: [70, 90],
      async run(run) {
        const { plan } = run;
        if (plan.to === null || !plan.driver.update?.upgradeDatabase) return;
        await plan.driver.update.upgradeDatabase({ dir: plan.install.path, url: plan.install.url });
      },
    },
    {
      name: 'verify-update', message: '_tasks_shared_finishing', percent: [90, 95],
      async run(run) {
        const { plan } = run;
        run.version = await plan.driver.version(plan.install.path);
        const expected = plan.to ?? plan.from;
        if (run.version !== expected) {
          throw new EngineError('internal_error', { message: `After the update the files say ${plan.manifest.name} ${run.version}, not ${expected}.` });
        }
      },
    },
    {
      name: 'save-record', message: '_tasks_shared_finishing', percent: [95, 100],
      async run(run) {
        const { plan } = run;
        const dir = plan.install.path;
        const fresh = (await deps.installsRepo.get(plan.install.id)) ?? plan.install;
        const addons = plan.driver.update?.addonDirs ? await plan.driver.addons({ dir, url: plan.install.url, db: plan.db }) : null;
        const tables = plan.db ? await deps.runtime.database.listTables(plan.db, plan.db.db_prefix) : [];
        const record: Install = {
          ...fresh,
          ...deps.catalog.updateInfo(plan.install.application, run.version),
          version: run.version,
          // Spec §7.1: the failed-attempts count starts over after any successful update; version_autouped is
          // the version an automatic update last reached (a manual update leaves it as it was).
          version_autouped_attempts: 0,
          ...(run.automatic && plan.to !== null ? { version_autouped: run.version } : {}),
          incomplete: false,
          time_updated: deps.clock(),
          files: [...new Set([...fresh.files, ...run.names])].filter((n) => !LIVE_NAME.test(n)).sort(),
          tables: plan.db ? tables.filter((t) => !/^ig[0-9a-f]{6}[ac]_/.test(t)).sort() : fresh.tables,
          ...(addons ? { plugins: addons.plugins, themes: addons.themes } : {}),
        };
        await deps.installsRepo.replace(record);
        // Committed: the old files and tables go now (a failure here leaves leftovers, never a broken site).
        const warn = (e: unknown) => deps.logger.warn('update cleanup failed', { install: plan.install.id, detail: String(e) });
        for (const s of run.swaps) await s.commit().catch(warn);
        await run.snapshot?.commit().catch(warn);
        if (run.scratch) await fs.promises.rm(run.scratch, { recursive: true, force: true }).catch(warn);
      },
    },
  ];
}

function summary(plan: UpdatePlan, run: Run): string {
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
  const run: Run = {
    plan, task: undefined as unknown as RunningTask, backup: null, scratch: '', release: '', names: [], addonUpdates: [],
    newAddons: [], notes: [], swaps: [], snapshot: null, version: plan.from, automatic: hooks.automatic === true,
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
      await runWorkflow(steps(deps), run, t.progress, (step, e) => deps.logger.error('undo failed', { step, install: id, detail: String(e) }));
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
