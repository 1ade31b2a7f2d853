/**
 * Sync (spec §2.2 `POST /installs/{id}/sync` [R], v1 `sync`): pulls the chosen files and tables of a source
 * install (by default the target's stage) into the target. The target is backed up first (no backup, no sync).
 * The source's files are copied into a private folder inside the target and its tables into the target's
 * database under a temporary prefix; then both swap in by renames (restore-swap), the config keeps the target's
 * database settings, and the source's URLs and paths are rewritten to the target's in the copied tables only.
 * A failure at any point puts back what was live: the target stays as it was.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { EngineError, type Install } from '@installgate/contracts';
import type { Scope } from '../access/actor';
import type { Step } from '../tasks/run-workflow';
import type { RunningTask } from '../tasks/task-runner';
import type { AppDeps, RunOptions } from './app-deps';
import { runLoggedWorkflow } from './run-logged-workflow';
import { backupWithinTask } from './backup-install';
import { copyEntries } from './copy-files';
import { copyTables } from './copy-tables';
import { currentContents } from './install-contents';
import type { OperationResult } from './install-application';
import { swapFiles, swapTables, type Swap } from './restore-swap';
import { previewSync, type SyncPreview } from './sync-changes';
import { planSync, type SyncPlan, type SyncRequest } from './sync-plan';

interface Run {
  plan: SyncPlan;
  scope: Scope;
  task: RunningTask;
  scratch: string;
  staged: string;
  tempPrefix: string;
  swaps: Swap[];
}

function steps(deps: AppDeps): Step<Run>[] {
  const database = deps.runtime.database;
  return [
    {
      name: 'backup-target', message: '_tasks_backuping', percent: [0, 30],
      async run(run) {
        const { target, source } = run.plan;
        // The backup's own progress (0–100) shown inside this step's band.
        const t = { task: run.task.task, progress: (m: string, a: number, b: number) => run.task.progress(m, Math.round(a * 0.3), Math.round(b * 0.3)) };
        await backupWithinTask(deps, run.scope, target, `Before sync from ${source.title} (${source.id})`, t);
      },
    },
    {
      name: 'stage-tables', message: '_tasks_shared_copyingfiles', percent: [30, 55],
      async run(run) {
        const { source, sourceDb, targetDb, tables } = run.plan;
        if (!sourceDb || !targetDb || tables.copy.length === 0) return;
        const drop = async () => { await database.dropTables(targetDb, await database.listTables(targetDb, run.tempPrefix)); };
        try {
          await copyTables(sourceDb, tables.copy.map((n) => `${source.db_prefix}${n}`), targetDb, { from: source.db_prefix, to: run.tempPrefix });
        } catch (e) {
          await drop().catch(() => undefined);
          throw e;
        }
        return drop;
      },
    },
    {
      name: 'stage-files', message: '_tasks_shared_copyingfiles', percent: [55, 80],
      async run(run) {
        const { target, source, files } = run.plan;
        run.scratch = await fs.promises.mkdtemp(path.join(target.path, '.ig-sync-'));
        const remove = () => fs.promises.rm(run.scratch, { recursive: true, force: true });
        try {
          run.staged = path.join(run.scratch, 'files');
          await fs.promises.mkdir(run.staged);
          await copyEntries(source.path, run.staged, files.copy, source.exclude_files);
        } catch (e) {
          await remove();
          throw e;
        }
        return remove;
      },
    },
    {
      name: 'swap-in', message: '_tasks_shared_copyingfiles', percent: [80, 95],
      async run(run) {
        const { target, source, targetDb, files, tables } = run.plan;
        const rollback = async () => {
          for (const s of [...run.swaps].reverse()) await s.rollback();
          run.swaps = [];
        };
        try {
          const copied = files.copy.filter((n) => fs.existsSync(path.join(run.staged, n)));
          if (copied.length + files.remove.length > 0) run.swaps.push(await swapFiles(target.path, run.staged, copied, files.remove));
          const tp = target.db_prefix;
          if (targetDb && tables.copy.length + tables.remove.length > 0) {
            const live = new Set(await database.listTables(targetDb, tp));
            const pairs = tables.copy.map((n) => ({ from: `${run.tempPrefix}${n}`, to: `${tp}${n}` }));
            run.swaps.push(await swapTables(targetDb, pairs, tables.remove.map((n) => `${tp}${n}`), live));
          }
          const driver = deps.runtime.driverFor(deps.catalog.manifest(target.application).driver);
          // The source's config (when copied) names the source's database: the target keeps its own.
          if (targetDb && copied.length > 0) await driver.setDatabase({ dir: target.path, db: targetDb });
          if (targetDb && tables.copy.length > 0) {
            await driver.relocate?.({
              dir: target.path,
              from: { url: source.url, path: source.path, prefix: source.db_prefix },
              to: { url: target.url, path: target.path, prefix: tp },
              tables: tables.copy.map((n) => `${tp}${n}`),
            });
          }
        } catch (e) {
          await rollback();
          throw e;
        }
        return rollback;
      },
    },
    {
      name: 'save-record', message: '_tasks_shared_finishing', percent: [95, 100],
      async run(run) {
        const { target } = run.plan;
        const fresh = (await deps.installsRepo.get(target.id)) ?? target;
        const driver = deps.runtime.driverFor(deps.catalog.manifest(target.application).driver);
        const contents = await currentContents(deps, fresh, null);
        const addons = await driver.addons({ dir: fresh.path, url: fresh.url, db: run.plan.targetDb }).catch(() => ({ plugins: fresh.plugins, themes: fresh.themes }));
        const version = await driver.version(fresh.path).catch(() => fresh.version);
        await deps.installsRepo.replace({ ...fresh, ...contents, plugins: addons.plugins, themes: addons.themes, version, time_updated: deps.clock() });
        // Committed: what the sync replaced goes now (a failure here leaves leftovers, never a broken site).
        for (const s of run.swaps) await s.commit().catch((e: unknown) => deps.logger.warn('sync cleanup failed', { install: target.id, detail: String(e) }));
        await fs.promises.rm(run.scratch, { recursive: true, force: true }).catch(() => undefined);
      },
    },
  ];
}

/**
 * Syncs install `id` from `req.source` (default: its stage). Answers the target's record after the sync; a task
 * when backgrounded; for a dry run the changes it would make (SyncPreview).
 */
export async function syncInstall(deps: AppDeps, scope: Scope, id: string, req: SyncRequest, opts: RunOptions): Promise<OperationResult<Install | SyncPreview>> {
  const plan = await planSync(deps, scope, id, req);
  const { target, source } = plan;
  const preflight = async () => {
    for (const i of [target, source]) {
      if (!fs.existsSync(i.path)) throw new EngineError('failed_filesystem_directory', { message: `The folder of install ${i.id} (${i.path}) no longer exists.` });
    }
    if (plan.sourceDb) await deps.runtime.database.checkCredentials(plan.sourceDb);
    if (plan.targetDb) await deps.runtime.database.checkCredentials(plan.targetDb);
  };
  if (opts.dryrun !== 'none') {
    if (opts.dryrun === 'all') await preflight();
    return { data: await previewSync(plan), dryrun: true };
  }
  if (opts.background !== 'quick') await preflight();
  const secrets = [target.db_pass, source.db_pass].filter((s) => s !== '');
  const entry = { user: target.user, cmd: 'installs/sync', install: target.id, url: target.url, title: target.title };
  const { task } = await deps.runner.run({
    cmd: 'installs/sync', user: target.user, installId: target.id, url: target.url, title: target.title, label: '_tasks_syncing',
    payload: { install: target.id, source: source.id, files: plan.files, tables: plan.tables },
    lockInstall: [target.id, source.id], secrets,
  }, async (t) => {
    const run: Run = { plan, scope, task: t, scratch: '', staged: '', tempPrefix: `igs${randomBytes(3).toString('hex')}_`, swaps: [] };
    const parts = [plan.files.copy.length + plan.files.remove.length ? `files ${[...plan.files.copy, ...plan.files.remove].join(', ')}` : '', plan.tables.copy.length + plan.tables.remove.length ? `tables ${[...plan.tables.copy, ...plan.tables.remove].join(', ')}` : ''].filter(Boolean);
    await runLoggedWorkflow(deps, {
      steps: steps(deps), run, progress: t.progress, installId: target.id, secrets, entry,
      before: async () => { if (opts.background === 'quick') await preflight(); },
      failed: (err) => `Syncing ${target.title} from ${source.url} failed: ${err.message}`,
      done: () => `Synced ${target.title} from ${source.url}: ${parts.join('; ') || 'nothing chosen'}.`,
    });
  }, { background: opts.background !== false });
  if (opts.background !== false) return { data: null, task };
  return { data: (await deps.installsRepo.get(target.id)) ?? null, task };
}
