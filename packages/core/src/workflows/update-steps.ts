/**
 * The steps of an update (update-application.ts runs them). Nothing is deleted before the update is committed:
 * - the new release is unpacked and staged in a private folder inside the install's folder (one file system;
 *   update-files.ts: in place here, or uploaded to a website on another server);
 * - the tables are snapshotted (table-snapshot.ts) so the application's own database upgrade runs on copies;
 * - files swap in by renames; what was live is kept aside;
 * - the app's database upgrade runs (WordPress: wp_upgrade(), over HTTP on a remote website), then the result is
 *   checked;
 * - only when the record is saved are the old files and tables dropped.
 * Driver calls go through the install's host (sites/install-host.ts), so local and remote installs share every step.
 */
import * as path from 'node:path';
import { EngineError, type Backup, type Install } from '@installgate/contracts';
import { expiresAt } from '../backups/backups-service';
import type { InstallHost } from '../sites/install-host';
import type { Step } from '../tasks/run-workflow';
import type { RunningTask } from '../tasks/task-runner';
import type { AppDeps } from './app-deps';
import { writeBackup } from './backup-install';
import { releaseSha256 } from './release-checksum';
import { swapInOrder, type Swap } from './restore-swap';
import { snapshotTables, type TableSnapshot } from './table-snapshot';
import { chooseAddonUpdates, type AddonUpdate } from './update-addons';
import { localUpdateFiles, siteUpdateFiles, type UpdateFiles } from './update-files';
import type { UpdatePlan } from './update-plan';

export interface UpdateRun {
  plan: UpdatePlan;
  task: RunningTask;
  /** Where the install lives (its folder here, or its website's open connection). */
  at: InstallHost;
  backup: Backup | null;
  /** The release, unpacked and (once `stage-release` ran) staged; null when the update takes nothing from a release. */
  files: UpdateFiles | null;
  /** Top-level names of the release that replace the live ones (the driver's `keep` left out). */
  names: string[];
  addonUpdates: AddonUpdate[];
  /** Bundled add-ons the install lacks, added by a core update: [add-on folder, entry]. */
  newAddons: [string, string][];
  notes: string[];
  /** The files swapped in (until commit or rollback). */
  swap: Swap | null;
  snapshot: TableSnapshot | null;
  version: string;
  /** Started by the scheduler's autoup job. */
  automatic: boolean;
}

const LIVE_NAME = /^(\.ig-|installgate-sso-)/;

/** The driver's view of the install: its folder (here, or relative to the website home) and host. */
const appOf = (run: UpdateRun) => ({ dir: run.at.dir, url: run.plan.install.url, ...run.at.host });

/** Every add-on folder entry the update swaps: [add-on folder, entry]. */
const addonEntries = (run: UpdateRun): [string, string][] => {
  const folders = run.plan.driver.update?.addonDirs;
  return folders ? [...run.addonUpdates.map((u): [string, string] => [folders[u.kind], u.entry]), ...run.newAddons] : [];
};

export function updateSteps(deps: AppDeps): Step<UpdateRun>[] {
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
      name: 'unpack-release', message: '_tasks_shared_copyingfiles', percent: [20, 30],
      async run(run) {
        const { plan } = run;
        // `current` with no plugins/themes asked has nothing to take from a release.
        if (plan.to === null && plan.plugins === undefined && plan.themes === undefined) return;
        const release = deps.catalog.release(plan.install.application, plan.source);
        if ((await releaseSha256(release.archive)) !== release.sha256) {
          throw new EngineError('internal_error', { message: `The release archive of ${plan.manifest.name} ${plan.source} does not match its checksum; rebuild the application mirror.` });
        }
        const extract = deps.runtime.extractRelease;
        const files = run.at.site ? await siteUpdateFiles(extract, release.archive, run.at.site, run.at.dir) : await localUpdateFiles(extract, release.archive, run.at.dir);
        run.files = files;
        const keep = new Set(plan.driver.update?.keep ?? []);
        run.names = plan.to === null ? [] : files.entries.filter((e) => !keep.has(e));
        return () => files.remove();
      },
    },
    {
      name: 'choose-addons', message: '_tasks_shared_preparing', percent: [30, 32],
      async run(run) {
        const { plan, files } = run;
        const support = plan.driver.update;
        if (!support?.addonDirs || !support.bundledAddons || !files) return;
        const bundled = await support.bundledAddons(files.release);
        const wanted = plan.plugins !== undefined || plan.themes !== undefined;
        const installed = wanted ? await plan.driver.addons({ ...appOf(run), db: plan.db }) : { plugins: [], themes: [] };
        for (const kind of ['plugins', 'themes'] as const) {
          const choice = chooseAddonUpdates(kind, plan[kind], installed[kind], bundled[kind], plan.source);
          run.addonUpdates.push(...choice.updates);
          run.notes.push(...choice.notes);
          // A core update brings the release's new bundled add-ons along, as WordPress's own core update does.
          if (plan.to === null) continue;
          const folder = support.addonDirs[kind];
          for (const b of bundled[kind]) {
            if (!(await files.exists(path.posix.join(folder, b.entry)))) run.newAddons.push([folder, b.entry]);
          }
        }
      },
    },
    {
      name: 'stage-release', message: '_tasks_shared_copyingfiles', percent: [32, 45],
      async run(run) {
        // Only what the swap takes: the core's entries and the chosen add-ons (a website on another server gets
        // nothing else uploaded). Nothing live changes here; the unpack step's undo removes the staging.
        await run.files?.stage([...run.names, ...addonEntries(run).map(([folder, entry]) => path.posix.join(folder, entry))]);
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
        const { files } = run;
        if (!files) return;
        const core = run.names.length ? [() => files.swap('', run.names)] : [];
        const swap = await swapInOrder([...core, ...addonEntries(run).map(([folder, entry]) => () => files.swap(folder, [entry]))]);
        run.swap = swap;
        return async () => { await swap.rollback(); run.swap = null; };
      },
    },
    {
      name: 'upgrade-database', message: '_tasks_upgrade_running', percent: [70, 90],
      async run(run) {
        const { plan } = run;
        if (plan.to === null || !plan.driver.update?.upgradeDatabase) return;
        await plan.driver.update.upgradeDatabase(appOf(run));
      },
    },
    {
      name: 'verify-update', message: '_tasks_shared_finishing', percent: [90, 95],
      async run(run) {
        const { plan } = run;
        run.version = await plan.driver.version(run.at.dir, run.at.host);
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
        const fresh = (await deps.installsRepo.get(plan.install.id)) ?? plan.install;
        const addons = plan.driver.update?.addonDirs ? await plan.driver.addons({ ...appOf(run), db: plan.db }) : null;
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
        await run.swap?.commit().catch(warn);
        await run.snapshot?.commit().catch(warn);
        await run.files?.remove().catch(warn);
      },
    },
  ];
}
