/**
 * Clone (spec §2.2 `POST /installs/{id}/clone`, v1 `clone`): a second, working copy of an install at another URL.
 * The destination is checked like an install's (a website of the owner serves the URL, its folder is free); the
 * files are copied by the kernel, the tables stream from a dump of the source into the destination database
 * (a new one unless the caller gives one) under the destination prefix, the copy's config gets its own database
 * settings, and its stored URLs and paths are rewritten serialization-safely (the driver's relocate). With
 * `stage`, the copy remembers its origin (`parent`) and the origin offers it as its sync source (`stage`).
 * Every step has an undo: a failed clone leaves no folder, database, tables or record behind.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EngineError, invalidArgument, type Install } from '@installgate/contracts';
import type { Scope } from '../access/actor';
import { newRecordId } from '../store/new-record-id';
import type { Step } from '../tasks/run-workflow';
import type { AppDeps, RunOptions } from './app-deps';
import { runLoggedWorkflow } from './run-logged-workflow';
import { createDatabaseStep } from './create-database-step';
import { createFolderStep } from './create-folder-step';
import { copyEntries } from './copy-files';
import { copyTables } from './copy-tables';
import { currentContents } from './install-contents';
import type { OperationResult } from './install-application';
import { givenDatabase, required, tablePrefix, type InstallRequest } from './install-request';
import type { DbCredentials } from './ports';
import { renamePrefix } from './restore-swap';
import { checkEmpty, folderBusy, folderLockKey, freeBytes, resolveTarget, type InstallTarget } from './resolve-target';
import { recordDb } from './uninstall-application';
import { refuseRemoteInstall } from '../sites/remote-refusal';

/** Parameters of a clone (v2 names); `user` and `source_user` arrive as the two scopes. */
export interface CloneRequest extends Partial<Pick<InstallRequest, 'url_ip' | 'db_host' | 'db_name' | 'db_user' | 'db_pass' | 'db_prefix'>> {
  url?: string;
  stage?: boolean;
}

interface Plan {
  source: Install;
  target: InstallTarget;
  url: string;
  id: string;
  prefix: string;
  /** The source's database, null when the app keeps none. */
  sourceDb: DbCredentials | null;
  givenDb: DbCredentials | null;
  stage: boolean;
}

interface Run {
  plan: Plan;
  db: DbCredentials | null;
  files: string[];
  tables: string[];
}

/** Preflight, part 1 (dryrun=input): the source, the destination URL and folder, the database settings. */
async function checkInput(deps: AppDeps, scope: Scope, sourceScope: Scope, id: string, req: CloneRequest): Promise<Plan> {
  const source = await deps.installs.get(sourceScope, id).catch((e: unknown) => {
    // Out of reach of `source_user` (not of `user`, the destination owner): say which parameter.
    if (e instanceof EngineError && e.errcode === 'invalid_argument_user' && sourceScope !== scope) throw new EngineError('invalid_argument_user', { errfield: 'source_user', message: 'source_user may not access this install.' });
    throw e;
  });
  if (source.incomplete) throw new EngineError('install_busy', { errfield: 'id', message: 'This install is incomplete (an install or restore did not finish); it cannot be cloned.' });
  // The copy is made with this server's file calls; a destination on another server is refused by resolveTarget.
  refuseRemoteInstall(source, 'clone');
  const url = required(req.url, 'url');
  const target = await resolveTarget(deps, scope, url, { mustBeEmpty: true });
  const inside = path.relative(target.dir, source.path);
  if (!inside.startsWith('..') && !path.isAbsolute(inside)) throw invalidArgument('url', 'A clone cannot go to a folder that contains the install.');
  const sourceDb = recordDb(source);
  const prefix = sourceDb ? tablePrefix(req, source.db_prefix) : '';
  if (sourceDb && source.db_prefix === '' && prefix !== '') throw invalidArgument('db_prefix', 'This install\'s tables have no prefix; they cannot be renamed to another one.');
  const givenDb = sourceDb ? givenDatabase(req, prefix) : null;
  if (sourceDb && !givenDb && !deps.dbServer) throw new EngineError('empty_argument_db_name', { errfield: 'db_name', message: 'No database server is configured: give db_host, db_name, db_user and db_pass.' });
  return { source, target, url, id: newRecordId(), prefix, sourceDb, givenDb, stage: req.stage === true };
}

/** Preflight, part 2 (dryrun=all and every real run): the source can be read, the destination database works. */
async function checkEnvironment(deps: AppDeps, plan: Plan): Promise<void> {
  if (!fs.existsSync(plan.source.path)) throw new EngineError('failed_filesystem_directory', { message: `The folder of this install (${plan.source.path}) no longer exists.` });
  if (plan.sourceDb) await deps.runtime.database.checkCredentials(plan.sourceDb);
  if (plan.givenDb) {
    await deps.runtime.database.checkCredentials(plan.givenDb);
    const clash = await deps.runtime.database.listTables(plan.givenDb, plan.prefix);
    if (clash.length > 0) throw invalidArgument('db_prefix', `The database already has tables with the prefix ${plan.prefix}; choose another db_prefix.`);
  }
  if ((await freeBytes(plan.target.dir)) < 1024 * 1024) throw new EngineError('failed_filesystem_quota', { message: 'There is no free disk space for the clone.' });
}

/** The clone's record: the source's settings at the new place, with its own database; `incomplete` until done. */
function cloneRecord(run: Run, now: number): Install {
  const { plan } = run;
  const s = plan.source;
  return {
    ...s, id: plan.id, url: plan.url, url_domain: plan.target.resolved.domain, path: plan.target.dir, user: plan.target.owner.id,
    db_host: run.db?.db_host ?? '', db_name: run.db?.db_name ?? '', db_user: run.db?.db_user ?? '', db_pass: run.db?.db_pass ?? '',
    db_prefix: run.db ? plan.prefix : '', db_type: run.db ? 'mysql' : '',
    files: [...run.files].sort(), tables: [...run.tables].sort(), incomplete: true, path_created: '',
    parent: plan.stage ? s.id : '', stage: '', time_created: now, time_updated: now, file: '', failures: [],
    cache_files: 0, cache_numbackups: 0, cache_preview: 0, cache_tables: 0, cache_time: 0, cache_numerrors: 0, cache_numwarnings: 0,
    version_autouped: '', version_autouped_attempts: 0,
  };
}

function steps(deps: AppDeps): Step<Run>[] {
  const database = deps.runtime.database;
  const save = async (run: Run) => {
    const stored = await deps.installsRepo.get(run.plan.id);
    await deps.installsRepo.replace({ ...cloneRecord(run, deps.clock()), time_created: stored?.time_created ?? deps.clock() });
  };
  return [
    {
      name: 'register-install', message: '_tasks_shared_preparing', percent: [0, 5],
      async run(run) {
        // Recorded first: a server killed mid-clone leaves an `incomplete` record an uninstall can clean up.
        await deps.installsRepo.insert(cloneRecord(run, deps.clock()));
        return async () => { await deps.installsRepo.remove(run.plan.id); await deps.resources.forget(run.plan.id); };
      },
    },
    createFolderStep<Run>(deps),
    createDatabaseStep<Run>(deps, { percent: [10, 15], needed: (run) => run.plan.sourceDb !== null, app: (run) => run.plan.source.application, save }),
    {
      name: 'copy-files', message: '_tasks_shared_copyingfiles', percent: [15, 60],
      async run(run) {
        const { source, target } = run.plan;
        const dir = target.dir;
        // The folder was free (checked under the folder's lock): undo empties it, also after a half-done copy.
        const clean = async () => {
          for (const e of await fs.promises.readdir(dir).catch(() => [] as string[])) await fs.promises.rm(path.join(dir, e), { recursive: true, force: true });
        };
        // A clone into a folder inside the install: that folder is not part of what is copied.
        const { files } = await currentContents(deps, source, null);
        const names = files.filter((n) => {
          const rel = path.relative(path.join(source.path, n), dir);
          return rel.startsWith('..') || path.isAbsolute(rel);
        });
        try {
          await copyEntries(source.path, dir, names, source.exclude_files);
        } catch (e) {
          await clean();
          throw e;
        }
        run.files = names.filter((n) => fs.existsSync(path.join(dir, n)));
        await save(run);
        return clean;
      },
    },
    {
      name: 'copy-tables', message: '_tasks_shared_copyingfiles', percent: [60, 85],
      async run(run) {
        const { source, sourceDb, prefix, givenDb } = run.plan;
        if (!sourceDb || !run.db) return;
        const { tables } = await currentContents(deps, source, null);
        const copied = tables.map((t) => renamePrefix(t, source.db_prefix, prefix));
        const db = run.db;
        // In a created database its drop undoes this; in the caller's, only the tables this clone made go.
        const drop = async () => { if (givenDb) await database.dropTables(db, copied); };
        try {
          await copyTables(sourceDb, tables, db, { from: source.db_prefix, to: prefix });
        } catch (e) {
          await drop().catch(() => undefined);
          throw e;
        }
        run.tables = copied;
        await save(run);
        return drop;
      },
    },
    {
      name: 'configure-app', message: '_tasks_shared_finishing', percent: [85, 95],
      async run(run) {
        const { source, target, url, prefix } = run.plan;
        const driver = deps.runtime.driverFor(deps.catalog.manifest(source.application).driver);
        if (run.db) await driver.setDatabase({ dir: target.dir, db: run.db });
        await driver.relocate?.({
          dir: target.dir,
          from: { url: source.url, path: source.path, prefix: source.db_prefix },
          to: { url, path: target.dir, prefix: run.db ? prefix : '' },
        });
      },
    },
    {
      name: 'finish-clone', message: '_tasks_shared_finishing', percent: [95, 100],
      async run(run) {
        const { plan } = run;
        const res = await deps.resources.get(plan.id);
        const stored = await deps.installsRepo.get(plan.id);
        await deps.installsRepo.replace({ ...cloneRecord(run, deps.clock()), time_created: stored?.time_created ?? deps.clock(), incomplete: false, path_created: res.created_path });
        if (plan.stage) {
          // The origin offers its stage as the default sync source (spec §7.1 `stage`).
          const origin = await deps.installsRepo.get(plan.source.id);
          if (origin) await deps.installsRepo.replace({ ...origin, stage: plan.id, time_updated: deps.clock() });
        }
      },
    },
  ];
}

/**
 * Clones install `id` (visible to `sourceScope`) to `req.url` (owner: the account of `scope`, or the one whose
 * website serves the URL). Answers the new record; a task when backgrounded; nothing for a passed dry run.
 */
export async function cloneInstall(deps: AppDeps, scope: Scope, sourceScope: Scope, id: string, req: CloneRequest, opts: RunOptions): Promise<OperationResult<Install>> {
  const plan = await checkInput(deps, scope, sourceScope, id, req);
  if (opts.dryrun === 'input') return { data: null, dryrun: true };
  if (opts.dryrun === 'all' || opts.background !== 'quick') await checkEnvironment(deps, plan);
  if (opts.dryrun === 'all') return { data: null, dryrun: true };
  const { source } = plan;
  const secrets = [source.db_pass, req.db_pass ?? ''].filter((s) => s !== '');
  const owner = plan.target.owner.id;
  const entry = { user: owner, cmd: 'installs/clone', install: plan.id, url: plan.url, title: source.title };
  const run: Run = { plan, db: null, files: [], tables: [] };
  const { task } = await deps.runner.run({
    cmd: 'installs/clone', user: owner, installId: plan.id, url: plan.url, title: source.title,
    wsLabel: plan.target.resolved.website.label, label: '_tasks_cloning',
    payload: { source: source.id, url: plan.url, stage: plan.stage },
    // The source too: it is read throughout and, for a stage, its record changes at the end.
    lockInstall: [plan.id, folderLockKey(plan.target.dir), source.id], secrets, notification: source.notification,
  }, (t) => runLoggedWorkflow(deps, {
    steps: steps(deps), run, progress: t.progress, installId: plan.id, secrets, entry,
    before: async () => {
      await checkEmpty(plan.target.dir);
      if (opts.background === 'quick') await checkEnvironment(deps, plan);
    },
    failed: (err) => `Cloning ${source.title} (${source.url}) to ${plan.url} failed: ${err.message}`,
    done: () => `Cloned ${source.title} from ${source.url} to ${plan.url}${plan.stage ? ' as its stage' : ''}.`,
  }), { background: opts.background !== false }).catch((e: unknown) => { throw folderBusy(e, plan.target.dir); });
  if (opts.background !== false) return { data: null, task };
  const record = await deps.installsRepo.get(plan.id);
  if (!record) throw new EngineError('internal_error', { message: 'the clone finished but its record is gone' });
  return { data: record, task };
}
