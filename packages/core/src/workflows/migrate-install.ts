/**
 * Migrate (spec §2.1 `POST /browser/{id}/migrate`, v1 `import` with `source_url`): copies a WordPress site from
 * another host into the account, then manages it like an import. Files come over the source's FTP/FTPS/SFTP login
 * (the storage package's backends) into a private staging folder and move into place; the tables come from a
 * one-time helper placed in the source's folder and called over HTTP, load under a temporary prefix into a new
 * database and are renamed onto their final names; the copy's config gets its database and its stored URLs and
 * paths are rewritten serialization-safely (the driver's relocate). The tables come before the files: the HTTP
 * side fails most often (wrong source_url, a broken remote database) and takes seconds, the files take minutes.
 * The helper is removed in every outcome; a failed migration leaves no folder, database or record behind.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { EngineError, invalidArgument, type Install } from '@installgate/contracts';
import { downloadTree, type StorageBackend } from '@installgate/storage';
import type { Scope } from '../access/actor';
import { restoreDatabase } from '../dumps';
import { writeConfigAtomic } from '../drivers/php-support';
import { rewriteWpUrlDefines } from '../drivers/wordpress-config';
import { newRecordId } from '../store/new-record-id';
import { runWorkflow, type Step } from '../tasks/run-workflow';
import type { AppDeps, RunOptions } from './app-deps';
import { createFolderStep } from './create-folder-step';
import type { OperationResult } from './install-application';
import { required } from './install-request';
import { migrateRecord, type MigrateRun } from './migrate-record';
import { renderDumpHelper, requestRemoteDump } from './migrate-remote-dump';
import { openSource, parseMigrateSource, readSourceConfig, sourceFailure, type MigrateSource } from './migrate-source';
import type { DbCredentials } from './ports';
import { renamePrefix, swapFiles, swapTables } from './restore-swap';
import { checkEmpty, folderBusy, folderLockKey, freeBytes, resolveTarget, type InstallTarget } from './resolve-target';

/** `POST /browser/{id}/migrate` parameters (v2 names; v1 `source_ftu` arrives as `source_path`). */
export interface MigrateRequest extends MigrateSource {
  application: string;
  url?: string;
  version?: string;
}

/**
 * `source_ftu_key` names a file on this server: an account may only use one inside its own websites' folders, or
 * any caller could make the server read (and probe for) files that are not theirs; so ownership is checked before
 * existence. The server's admin may name any file.
 */
function checkKeyFile(key: string, target: InstallTarget, admin: boolean): void {
  const real = (p: string) => (fs.existsSync(p) ? fs.realpathSync(p) : path.resolve(p));
  if (!admin && !target.owner.websites.some((w) => real(key).startsWith(`${real(w.path)}${path.sep}`))) {
    throw invalidArgument('source_ftu_key', 'The SSH key file must be inside one of the account\'s website folders.');
  }
  if (!fs.existsSync(key) || !fs.statSync(key).isFile()) throw invalidArgument('source_ftu_key', 'The SSH key file does not exist on this server.');
}

/** Preflight, part 1 (dryrun=input): the application, the destination, the source parameters. Nothing is contacted. */
async function checkInput(deps: AppDeps, scope: Scope, req: MigrateRequest): Promise<MigrateRun['plan']> {
  const manifest = deps.catalog.manifest(req.application);
  // The helper and the config reading speak WordPress; other applications have neither.
  if (manifest.driver !== 'wordpress') throw invalidArgument('application', `${manifest.name} cannot be migrated from another server; only WordPress can.`);
  const url = required(req.url, 'url');
  const source = parseMigrateSource(req);
  const target = await resolveTarget(deps, scope, url, { mustBeEmpty: true });
  if (source.location.scheme === 'sftp' && source.location.privateKeyPath) checkKeyFile(source.location.privateKeyPath, target, scope.actor.kind === 'admin');
  if (!deps.dbServer) throw new EngineError('empty_argument_db_name', { errfield: 'db_name', message: 'No database server is configured to create the migrated site\'s database.' });
  return { id: newRecordId(), application: req.application, url: url.replace(/\/+$/, ''), target, source, version: req.version };
}

/** Preflight, part 2 (dryrun=all and every real run): the source answers and holds a WordPress config; disk space. */
async function checkEnvironment(plan: MigrateRun['plan']): Promise<DbCredentials> {
  const backend = await openSource(plan.source);
  try {
    const db = await readSourceConfig(backend, plan.source);
    if ((await freeBytes(plan.target.dir)) < 1024 * 1024) throw new EngineError('failed_filesystem_quota', { message: 'There is no free disk space for the migrated site.' });
    return db;
  } finally {
    await backend.close();
  }
}

/** Removes the helper from the source; a second attempt on a fresh connection when the first one failed. */
async function removeHelper(deps: AppDeps, run: MigrateRun, backend: StorageBackend, name: string): Promise<void> {
  try {
    await backend.remove(name);
    return;
  } catch { /* the connection may have died during a long dump: try once more on a new one */ }
  const fresh = await openSource(run.plan.source);
  try {
    await fresh.remove(name);
  } catch (e) {
    deps.logger.error('migrate helper not removed', { install: run.plan.id, helper: name, source: run.plan.source.label, detail: sourceFailure(e, run.plan.source.label).message });
    throw new EngineError('failed_filesystem_permission', { errfield: 'source_path', message: `The migration helper ${name} could not be removed from ${run.plan.source.label}; delete it there by hand.` });
  } finally {
    await fresh.close();
  }
}

function steps(deps: AppDeps, backend: StorageBackend): Step<MigrateRun>[] {
  const database = deps.runtime.database;
  const save = async (run: MigrateRun) => {
    const stored = await deps.installsRepo.get(run.plan.id);
    await deps.installsRepo.replace({ ...migrateRecord(deps, run), time_created: stored?.time_created ?? deps.clock() });
  };
  return [
    {
      name: 'register-install', message: '_tasks_shared_preparing', percent: [0, 5],
      async run(run) {
        // Recorded first: a server killed mid-migration leaves an `incomplete` record an uninstall can clean up.
        await deps.installsRepo.insert(migrateRecord(deps, run));
        return async () => { await deps.installsRepo.remove(run.plan.id); await deps.resources.forget(run.plan.id); };
      },
    },
    createFolderStep<MigrateRun>(deps),
    {
      name: 'create-database', message: '_tasks_shared_creatingdatabase', percent: [10, 15],
      async run(run) {
        const created = await database.createAppDatabase(deps.dbServer!, { hint: `${run.plan.target.owner.id}_${run.plan.application}` });
        run.db = { ...created, db_prefix: run.sourceDb!.db_prefix };
        await deps.resources.record(run.plan.id, { created_db_name: created.db_name, created_db_user: created.db_user });
        await save(run);
        return async () => { await database.dropAppDatabase(deps.dbServer!, { db_name: created.db_name, db_user: created.db_user }); };
      },
    },
    {
      name: 'copy-database', message: '_tasks_shared_copyingfiles', percent: [15, 40],
      async run(run) {
        const db = run.db!;
        const prefix = run.sourceDb!.db_prefix;
        const temp = `igm${randomBytes(3).toString('hex')}_`;
        const helper = renderDumpHelper(run.sourceDb!);
        run.secrets.push(helper.secret);
        await backend.put(helper.name, Readable.from([Buffer.from(helper.text)])).catch((e: unknown) => Promise.reject(sourceFailure(e, run.plan.source.label)));
        try {
          const dump = await requestRemoteDump(run.plan.source.url, run.plan.source.ip, helper, run.secrets);
          await restoreDatabase(db, dump.body, { tablePrefixRewrite: { from: prefix, to: temp } });
          if (!dump.complete()) throw new EngineError('invalid_argument_source_url', { errfield: 'source_url', message: 'The source site\'s database dump ended before it was complete; its server may have stopped the helper (time or memory limit).' });
          run.sourcePath = dump.sourcePath;
        } finally {
          await removeHelper(deps, run, backend, helper.name);
        }
        // Loaded under a temporary prefix, so that a half-loaded set never looks like the site; one RENAME finishes it.
        const loaded = await database.listTables(db, temp);
        const pairs = loaded.map((t) => ({ from: t, to: renamePrefix(t, temp, prefix) }));
        await (await swapTables(db, pairs, [], new Set())).commit();
        run.tables = pairs.map((p) => p.to);
        await save(run);
      },
    },
    {
      name: 'copy-files', message: '_tasks_shared_copyingfiles', percent: [40, 85],
      async run(run) {
        const dir = run.plan.target.dir;
        // The folder was free (checked under the folder's lock): undo empties it, also after a half-done copy.
        const clean = async () => {
          for (const e of await fs.promises.readdir(dir).catch(() => [] as string[])) await fs.promises.rm(path.join(dir, e), { recursive: true, force: true });
        };
        try {
          const staged = await fs.promises.mkdtemp(path.join(dir, '.ig-migrate-'));
          // A helper left behind by an earlier failed migration is never copied along.
          await downloadTree(backend, staged, { skip: (k) => /^installgate-migrate-[0-9a-f]+\.php$/.test(k) }).catch((e: unknown) => Promise.reject(sourceFailure(e, run.plan.source.label)));
          const names = (await fs.promises.readdir(staged)).sort();
          const swap = await swapFiles(dir, staged, names, []);
          await swap.commit();
          await fs.promises.rm(staged, { recursive: true, force: true });
          run.files = names;
        } catch (e) {
          await clean();
          throw e;
        }
        await save(run);
        return clean;
      },
    },
    {
      name: 'configure-app', message: '_tasks_shared_finishing', percent: [85, 95],
      async run(run) {
        const { target, source, url } = run.plan;
        const driver = deps.runtime.driverFor(deps.catalog.manifest(run.plan.application).driver);
        await driver.setDatabase({ dir: target.dir, db: run.db! });
        // A URL pinned in wp-config.php (WP_HOME/WP_SITEURL) would send visitors back to the old host.
        const config = path.join(target.dir, 'wp-config.php');
        const text = await fs.promises.readFile(config, 'utf8');
        const pinned = rewriteWpUrlDefines(text, source.url, url);
        if (pinned !== text) await writeConfigAtomic(config, pinned);
        await driver.relocate?.({
          dir: target.dir,
          from: { url: source.url, path: run.sourcePath || target.dir, prefix: run.db!.db_prefix },
          to: { url, path: target.dir, prefix: run.db!.db_prefix },
        });
      },
    },
    {
      name: 'finish-migrate', message: '_tasks_shared_finishing', percent: [95, 100],
      async run(run) {
        const { plan } = run;
        const driver = deps.runtime.driverFor(deps.catalog.manifest(plan.application).driver);
        run.version = await driver.version(plan.target.dir);
        if (plan.version !== undefined && plan.version !== run.version) {
          throw new EngineError('invalid_argument_version', { errfield: 'version', message: `The migrated files are WordPress ${run.version}, not ${plan.version}.` });
        }
        const found = await driver.detect(plan.target.dir);
        run.fields = found?.fields ?? {};
        const addons = await driver.addons({ dir: plan.target.dir, url: plan.url, db: run.db });
        run.addons = addons;
        const res = await deps.resources.get(plan.id);
        const stored = await deps.installsRepo.get(plan.id);
        await deps.installsRepo.replace({ ...migrateRecord(deps, run), time_created: stored?.time_created ?? deps.clock(), incomplete: false, path_created: res.created_path });
      },
    },
  ];
}

/**
 * Migrates the WordPress site at `req.source_url` (files at `req.source_path`) to `req.url` for the account of
 * `scope`. Answers the new record; a task when backgrounded; nothing for a passed dry run.
 */
export async function migrateInstall(deps: AppDeps, scope: Scope, req: MigrateRequest, opts: RunOptions): Promise<OperationResult<Install>> {
  const plan = await checkInput(deps, scope, req);
  if (opts.dryrun === 'input') return { data: null, dryrun: true };
  let sourceDb: DbCredentials | null = null;
  if (opts.dryrun === 'all' || opts.background !== 'quick') sourceDb = await checkEnvironment(plan);
  if (opts.dryrun === 'all') return { data: null, dryrun: true };
  const owner = plan.target.owner.id;
  const run: MigrateRun = { plan, sourceDb, db: null, files: [], tables: [], sourcePath: '', version: '', fields: {}, addons: { plugins: [], themes: [] }, secrets: [...plan.source.secrets, ...(sourceDb?.db_pass ? [sourceDb.db_pass] : [])] };
  const title = 'WordPress';
  const entry = { user: owner, cmd: 'browser/migrate', install: plan.id, url: plan.url, title };
  const { task } = await deps.runner.run({
    cmd: 'browser/migrate', user: owner, installId: plan.id, url: plan.url, title,
    wsLabel: plan.target.resolved.website.label, label: '_tasks_migrating',
    payload: { application: plan.application, url: plan.url, source_url: plan.source.url, source_path: plan.source.label },
    lockInstall: [plan.id, folderLockKey(plan.target.dir)], secrets: run.secrets,
  }, async (t) => {
    let backend: StorageBackend | null = null;
    try {
      await checkEmpty(plan.target.dir);
      if (!run.sourceDb) {
        run.sourceDb = await checkEnvironment(plan);
        if (run.sourceDb.db_pass) run.secrets.push(run.sourceDb.db_pass);
      }
      backend = await openSource(plan.source);
      await runWorkflow(steps(deps, backend), run, t.progress, (step, e) => deps.logger.error('undo failed', { step, install: plan.id, detail: String(e) }));
    } catch (e) {
      const err = e instanceof EngineError ? e : new EngineError('internal_error', { cause: e });
      await deps.logs.write({ ...entry, severity: 'error', message: `Migrating ${plan.source.url} (${plan.source.label}) to ${plan.url} failed: ${err.message}` }, run.secrets);
      throw e;
    } finally {
      await backend?.close();
    }
    await deps.logs.write({ ...entry, title: run.fields.sitetitle ?? title, message: `Migrated WordPress ${run.version} from ${plan.source.url} to ${plan.url}.` }, run.secrets);
  }, { background: opts.background !== false }).catch((e: unknown) => { throw folderBusy(e, plan.target.dir); });
  if (opts.background !== false) return { data: null, task };
  const record = await deps.installsRepo.get(plan.id);
  if (!record) throw new EngineError('internal_error', { message: 'the migration finished but its record is gone' });
  return { data: record, task };
}
