/**
 * Restore and restore-to (spec §2.4, v1 `restore`/`restoreto`). The archive streams from its location once: files
 * are unpacked into a private folder inside the target and tables loaded under a temporary prefix while every
 * entry is checked against the manifest; nothing live is touched before the whole archive matched. Row counts are
 * checked against the manifest; then files and tables swap with the live ones
 * (renames) and the old ones are dropped only after the record is saved. Any failure before that leaves the live
 * site as it was. For an install on a website on another server the archive is unpacked in the system temp folder,
 * then uploaded beside the live files on the website and swapped there (restore-files-target.ts).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EngineError, type Backup, type Install } from '@installgate/contracts';
import type { Scope } from '../access/actor';
import { unpackArchive, type ManifestEntry } from '../archive';
import { openLocation } from '../backups/backup-location';
import { storageFailure } from '../backups/storage-failure';
import { restoreDatabase } from '../dumps';
import { spoolToFile, type Spool } from '../streams/spool-to-file';
import { withAppConnection } from '../runtime/app-database';
import type { Step } from '../tasks/run-workflow';
import type { AppDeps, RunOptions } from './app-deps';
import { runLoggedWorkflow } from './run-logged-workflow';
import type { OperationResult } from './install-application';
import type { DbCredentials } from './ports';
import { planRestore, type RestorePlan, type RestoreRequest } from './restore-plan';
import { renamePrefix, swapTables, type Swap } from './restore-swap';
import { folderBusy, folderLockKey } from './resolve-target';
import { filesTargetOf } from './restore-files-target';
import { recordDb } from './uninstall-application';
import type { SiteFs } from '@installgate/storage';
import { isRemoteHome } from '../sites/site-home';
import { withRemoteSite } from '../sites/with-remote-site';

/** Mutable state of a running restore (install-from-template runs the same steps). */
export interface RestoreRun {
  plan: RestorePlan;
  db: DbCredentials | null;
  createdDb: { db_name: string; db_user: string } | null;
  createdDir: string;
  scratch: string;
  staged: string;
  manifest: ManifestEntry[];
  names: string[];
  swaps: Swap[];
  /** The website connection of a target on another server, open while the task runs. */
  site: SiteFs | null;
}

const notRestorable = (message: string, reason: string) => new EngineError('failed_backup_format', { message, details: { reason } });

/** The install record a backup holds (its own members removed). */
function installOf(b: Backup): Install {
  const { backup_filename: _f, backup_install: _i, backup_location: _l, backup_note: _n, backup_time: _t, backup_expires: _e, ...install } = b;
  return install;
}

async function tablesWithPrefix(db: DbCredentials, prefix: string): Promise<string[]> {
  return withAppConnection(db, async (c) => {
    const [rows] = await c.query('SHOW TABLES LIKE ?', [`${prefix.replace(/[\\%_]/g, '\\$&')}%`]);
    return (rows as Record<string, string>[]).map((r) => Object.values(r)[0]!);
  });
}

async function countRows(db: DbCredentials, tables: string[]): Promise<Record<string, number>> {
  if (tables.length === 0) return {};
  return withAppConnection(db, async (c) => {
    const q = tables.map((t) => `SELECT ? AS t, COUNT(*) AS n FROM \`${t.replace(/`/g, '``')}\``).join(' UNION ALL ');
    const [rows] = await c.query(q, tables);
    return Object.fromEntries((rows as { t: string; n: number }[]).map((r) => [r.t, Number(r.n)]));
  });
}

/** The restore steps; an install from a template runs them too, with its own step before save-record. */
export function restoreSteps(deps: AppDeps): Step<RestoreRun>[] {
  const database = deps.runtime.database;
  return [
    {
      name: 'prepare-target', message: '_tasks_shared_preparing', percent: [0, 10],
      async run(run) {
        const { plan } = run;
        const undo: (() => Promise<void>)[] = [];
        try {
          const prepared = await filesTargetOf(run).prepare(run);
          run.createdDir = prepared.createdDir;
          run.scratch = prepared.scratch;
          undo.push(prepared.undo);
          run.staged = path.join(run.scratch, 'files');
          await fs.promises.mkdir(run.staged);
          if (plan.usesDb) {
            let db = plan.db;
            if (db) {
              try {
                await database.checkCredentials(db);
              } catch (e) {
                // The database is gone: make a new one, unless the caller gave it or said db=manual (spec §2.4).
                if (plan.dbGiven || plan.manual || !deps.dbServer) throw e;
                db = null;
              }
            }
            if (!db) {
              const created = await database.createAppDatabase(deps.dbServer!, { hint: `${plan.owner}_${plan.backup.application}` });
              run.createdDb = { db_name: created.db_name, db_user: created.db_user };
              undo.push(() => database.dropAppDatabase(deps.dbServer!, run.createdDb!));
              db = { ...created, db_prefix: plan.prefix };
            }
            run.db = db;
          }
        } catch (e) {
          for (const u of undo.reverse()) await u().catch(() => undefined);
          throw e;
        }
        return async () => { for (const u of undo.reverse()) await u(); };
      },
    },
    {
      name: 'unpack-archive', message: '_tasks_shared_copyingfiles', percent: [10, 75],
      async run(run) {
        const { plan } = run;
        const dropTemp = async () => {
          if (run.db) await database.dropTables(run.db, await tablesWithPrefix(run.db, plan.tempPrefix));
        };
        const { object, backup } = plan;
        const backend = await openLocation(deps, object.location_ref, object.local_root, backup.backup_location, backup.user);
        // The dump is set aside (a private temp file) and loaded from there while the files after it unpack: the
        // database server and the unpacking then work at the same time.
        const loadAbort = new AbortController();
        let spool: Spool | null = null;
        let loading: Promise<unknown> | null = null;
        try {
          const input = await backend.get(object.object_key).catch((e: unknown) => { throw storageFailure(e, backup.backup_location); });
          // One pass: files go to the private staging folder, tables under the temporary prefix; only when the
          // whole archive matched its manifest (the last entry) does the swap touch the live site.
          const res = await unpackArchive(input, run.staged, {
            onDump: async (sql) => {
              if (!run.db) return void sql.resume();
              spool = spoolToFile(sql, { signal: loadAbort.signal });
              const file = await spool.done;
              loading = restoreDatabase(run.db, fs.createReadStream(file), { signal: loadAbort.signal, tablePrefixRewrite: { from: backup.db_prefix, to: plan.tempPrefix } });
              loading.catch(() => undefined);
            },
          });
          // A failed load does not stop the unpacking: when the archive itself is damaged (a garbled dump fails to
          // load long before gzip's checksum at the end says why), that is the error to report.
          if (loading) await loading;
          if (res.meta.record.application !== backup.application) {
            throw notRestorable(`The archive holds ${res.meta.record.application}, not ${backup.application}.`, 'meta');
          }
          run.names = res.entries;
          run.manifest = res.manifest;
        } catch (e) {
          loadAbort.abort();
          await (loading as Promise<unknown> | null)?.catch(() => undefined);
          await dropTemp().catch(() => undefined);
          throw e instanceof EngineError ? e : storageFailure(e, backup.backup_location);
        } finally {
          await (spool as Spool | null)?.cleanup();
          await backend.close().catch(() => undefined);
        }
        return dropTemp;
      },
    },
    {
      name: 'check-restore', message: '_tasks_shared_finishing', percent: [75, 80],
      async run(run) {
        const { plan } = run;
        const expected = run.manifest.filter((e): e is Extract<ManifestEntry, { type: 'rows' }> => e.type === 'rows');
        if (run.db && expected.length > 0) {
          const temp = expected.map((e) => renamePrefix(e.table, plan.backup.db_prefix, plan.tempPrefix));
          const counted = await countRows(run.db, temp);
          const wrong = expected.filter((e, i) => counted[temp[i]!] !== e.rows);
          if (wrong.length > 0) {
            throw notRestorable(`Restored row counts differ from the backup's manifest (${wrong.slice(0, 3).map((e) => `${e.table}: ${e.rows} expected`).join(', ')}).`, 'rows');
          }
        }
        for (const e of run.manifest) {
          if (e.type !== 'file' || !e.path.startsWith('files/')) continue;
          const st = await fs.promises.lstat(path.join(run.staged, e.path.slice('files/'.length))).catch(() => null);
          if (!st?.isFile() || st.size !== e.size) throw notRestorable(`${e.path} was not restored as the manifest says.`, 'files');
        }
      },
    },
    {
      name: 'swap-in', message: '_tasks_shared_copyingfiles', percent: [80, 90],
      async run(run) {
        const { plan } = run;
        const files = await filesTargetOf(run).swap(run);
        run.swaps.push(files);
        if (run.db) {
          try {
            const pairs = plan.backup.tables.map((t) => ({ from: renamePrefix(t, plan.backup.db_prefix, plan.tempPrefix), to: renamePrefix(t, plan.backup.db_prefix, plan.prefix) }));
            const liveTables = new Set(await tablesWithPrefix(run.db, plan.prefix));
            const sameDb = plan.live && plan.live.db_name === run.db.db_name;
            run.swaps.push(await swapTables(run.db, pairs, sameDb ? plan.live!.tables : [], liveTables));
          } catch (e) {
            await files.rollback();
            run.swaps = [];
            throw e;
          }
        }
        return async () => {
          for (const s of [...run.swaps].reverse()) await s.rollback();
          run.swaps = [];
        };
      },
    },
    {
      name: 'configure-app', message: '_tasks_shared_finishing', percent: [90, 95],
      async run(run) {
        const { plan } = run;
        const driver = deps.runtime.driverFor(deps.catalog.manifest(plan.backup.application).driver);
        const host = filesTargetOf(run).host(deps, run);
        // The restored config names the database the backup was made from; rewrite it only when that changed.
        const was = recordDb(plan.backup);
        if (run.db && (!was || (['db_host', 'db_name', 'db_user', 'db_pass', 'db_prefix'] as const).some((k) => was[k] !== run.db![k]))) {
          await driver.setDatabase({ ...host, db: run.db });
        }
        const from = { url: plan.backup.url, path: plan.backup.path, prefix: plan.backup.db_prefix };
        // A record path on another server is a URI, not what the site's data holds: only URLs and prefixes move then.
        const to = { url: plan.url, path: isRemoteHome(plan.dir) || isRemoteHome(from.path) ? from.path : plan.dir, prefix: run.db ? plan.prefix : '' };
        if (driver.relocate && (from.url !== to.url || from.path !== to.path || (run.db && from.prefix !== to.prefix))) await driver.relocate({ ...host, from, to });
      },
    },
    {
      name: 'save-record', message: '_tasks_shared_finishing', percent: [95, 100],
      async run(run) {
        const { plan } = run;
        const now = deps.clock();
        const base = installOf(plan.backup);
        const record: Install = {
          ...base, id: plan.installId, url: plan.url, url_domain: plan.domain, path: plan.dir, user: plan.owner,
          files: [...run.names].sort(), incomplete: false, time_updated: now,
          time_created: plan.live?.time_created ?? (plan.mode === 'restoreto' ? now : base.time_created),
          tables: run.db ? plan.backup.tables.map((t) => renamePrefix(t, plan.backup.db_prefix, plan.prefix)).sort() : [],
          db_host: run.db?.db_host ?? '', db_name: run.db?.db_name ?? '', db_user: run.db?.db_user ?? '', db_pass: run.db?.db_pass ?? '',
          db_prefix: run.db ? plan.prefix : '', db_type: run.db ? 'mysql' : '',
          parent: plan.mode === 'restoreto' ? '' : base.parent, stage: plan.mode === 'restoreto' ? '' : base.stage,
          path_created: run.createdDir || (plan.live?.path_created ?? ''),
        };
        if (plan.live) await deps.installsRepo.replace(record);
        else await deps.installsRepo.insert(record);
        if (run.createdDb) await deps.resources.record(plan.installId, { created_db_name: run.createdDb.db_name, created_db_user: run.createdDb.db_user });
        if (run.createdDir) await deps.resources.record(plan.installId, { created_path: run.createdDir });
        // Committed: what was live before goes now (a failure here only leaves leftovers, never a broken site).
        for (const s of run.swaps) await s.commit().catch((e: unknown) => deps.logger.warn('restore cleanup failed', { install: plan.installId, detail: String(e) }));
        await fs.promises.rm(run.scratch, { recursive: true, force: true }).catch(() => undefined);
      },
    },
  ];
}

/** Runs a restore (`mode` restore: in place; restoreto: to `url`). Answers the restored install record. */
export async function restoreBackup(deps: AppDeps, scope: Scope, id: string, req: RestoreRequest, opts: RunOptions, mode: 'restore' | 'restoreto'): Promise<OperationResult<Install>> {
  const plan = await planRestore(deps, scope, id, req, mode);
  if (opts.dryrun === 'input') return { data: null, dryrun: true };
  const preflight = async () => {
    const backend = await openLocation(deps, plan.object.location_ref, plan.object.local_root, plan.backup.backup_location, plan.backup.user);
    try {
      if (!(await backend.stat(plan.object.object_key))) throw new EngineError('backup_not_found', { errfield: 'id', message: `The archive ${plan.backup.backup_filename} is missing from ${plan.backup.backup_location}.` });
    } finally {
      await backend.close().catch(() => undefined);
    }
    if (plan.db && plan.dbGiven) await deps.runtime.database.checkCredentials(plan.db);
  };
  if (opts.dryrun === 'all' || opts.background !== 'quick') await preflight();
  if (opts.dryrun === 'all') return { data: null, dryrun: true };
  const { backup } = plan;
  const secrets = [backup.db_pass, req.db_pass ?? ''].filter((s) => s !== '');
  const cmd = mode === 'restore' ? 'backups/restore' : 'backups/restoreto';
  const entry = { user: plan.owner, cmd, install: plan.installId, url: plan.url, title: backup.title, backup_location: backup.backup_location };
  const run: RestoreRun = { plan, db: null, createdDb: null, createdDir: '', scratch: '', staged: '', manifest: [], names: [], swaps: [], site: null };
  const { task } = await deps.runner.run({
    cmd, user: plan.owner, installId: plan.installId, url: plan.url, title: backup.title, label: '_tasks_restoring',
    payload: { backup: id, install: plan.installId, url: plan.url }, lockInstall: [plan.installId, folderLockKey(plan.dir)], secrets,
    notification: plan.live?.notification ?? backup.notification,
  }, (t) => withRemoteSite(deps, plan.remote, run, () => runLoggedWorkflow(deps, {
    steps: restoreSteps(deps), run, progress: t.progress, installId: plan.installId, secrets, entry,
    before: async () => { if (opts.background === 'quick') await preflight(); },
    failed: (err) => `Restoring ${backup.backup_filename} to ${plan.url} failed: ${err.message}`,
    done: () => `Restored ${backup.backup_filename} to ${plan.url}.`,
  })), { background: opts.background !== false }).catch((e: unknown) => { throw folderBusy(e, plan.dir); });
  if (opts.background !== false) return { data: null, task };
  return { data: (await deps.installsRepo.get(plan.installId)) ?? null, task };
}
