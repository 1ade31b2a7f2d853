import * as fs from 'node:fs';
import * as path from 'node:path';
import { EngineError, invalidArgument, type Install, type Task } from '@installgate/contracts';
import type { Scope } from '../access/actor';
import { newRecordId } from '../store/new-record-id';
import type { AppDeps, RunOptions } from './app-deps';
import { runLoggedWorkflow } from './run-logged-workflow';
import { createDatabaseStep } from './create-database-step';
import { createFolderStep } from './create-folder-step';
import { contentChoice, givenDatabase, installFields, notificationsOf, tablePrefix, type InstallRequest } from './install-request';
import type { Addons, DbCredentials, InstallFields, ManifestPort } from './ports';
import { checkEmpty, checkFolderOn, checkRemoteFolder, isWebServerEntry, requireRemoteSupport, folderBusy, folderLockKey, freeBytes, parseSize, resolveTarget, type InstallTarget } from './resolve-target';
import type { SiteFs } from '@installgate/storage';
import { createSiteFolderStep, siteEntries, siteHost, siteOf, uploadRelease } from './site-install-steps';
import { withRemoteSite } from '../sites/with-remote-site';
import { siteFailure } from '../sites/site-failure';
import type { Step } from '../tasks/run-workflow';
import { numericVersion, satisfiesRange } from './version-range';
import { checkBackupPolicy } from './backup-policy';
import { releaseSha256 } from './release-checksum';
import { installFromTemplate } from './install-from-template';

/** What an install call answers: the new record, or a task when backgrounded, or a passed dry run. */
export interface OperationResult<T> {
  data: T | null;
  task?: Task;
  dryrun?: true;
}

/** Everything decided before the task starts (the preflight's result). */
export interface InstallPlan {
  req: InstallRequest;
  manifest: ManifestPort;
  version: string;
  target: InstallTarget;
  fields: InstallFields;
  prefix: string;
  givenDb: DbCredentials | null;
  content: 'yes' | 'no';
  id: string;
}

/** Mutable state of the running workflow. */
interface Run {
  plan: InstallPlan;
  db: DbCredentials | null;
  entries: string[];
  version: string;
  tables: string[];
  /** From the driver's install(), when it read them on the way; else finish-install asks the driver. */
  addons?: Addons;
  /** The website's files when it is on another server (opened by the task, closed when it ends). */
  site: SiteFs | null;
}

/** Preflight, part 1 (dryrun=input stops here): input, application, version, URL, folder, fields. */
export async function checkInput(deps: AppDeps, scope: Scope, req: InstallRequest, opts: { allowRemote: boolean } = { allowRemote: true }): Promise<InstallPlan> {
  const manifest = deps.catalog.manifest(req.application);
  const version = req.version ?? deps.catalog.newestInstallable(req.application);
  const release = deps.catalog.get(req.application, { version })[0];
  if (!release || !release.install) throw new EngineError('invalid_argument_version', { errfield: 'version', message: `${manifest.name} ${version} cannot be installed; see GET /browser/${manifest.id}.` });
  const target = await resolveTarget(deps, scope, req.url, { mustBeEmpty: true, allowRemote: opts.allowRemote });
  requireRemoteSupport(target, deps.runtime.driverFor(manifest.driver), manifest.name);
  const fields = installFields(req, { ownerEmail: target.owner.email, domain: target.resolved.domain, languages: release.languages.length ? release.languages : ['en'] });
  const prefix = tablePrefix(req, manifest.default_prefix);
  const givenDb = manifest.db === 'none' ? null : givenDatabase(req, prefix);
  if (manifest.db !== 'none' && !givenDb && !deps.dbServer) {
    throw new EngineError('empty_argument_db_name', { errfield: 'db_name' });
  }
  const content = contentChoice(req.content);
  // Template content is installed by install-from-template, which checks the input here with content=no.
  if (content.kind === 'template') throw invalidArgument('content');
  await checkBackupPolicy(deps, scope, req);
  return { req, manifest, version, target, fields, prefix, givenDb, content: content.kind, id: newRecordId() };
}

/** Preflight, part 2 (dryrun=all and every real run): requirements, disk space, database connection. */
export async function checkEnvironment(deps: AppDeps, plan: InstallPlan): Promise<void> {
  const release = deps.catalog.get(plan.req.application, { version: plan.version })[0]!;
  const req = release.requirements;
  const php = numericVersion(await deps.runtime.phpVersion());
  if (!satisfiesRange(php, req.php)) {
    throw new EngineError('invalid_argument_version_unmetrequirements', { errfield: 'version', message: `${plan.manifest.name} ${plan.version} needs PHP ${req.php}; this server has ${php}.` });
  }
  // A website on another server is reached here, not in checkInput: dryrun=input never connects, dryrun=all does.
  if (plan.target.remote) await checkRemoteFolder(deps, plan.target.remote);
  const needed = parseSize(req.diskspace);
  // SFTP and FTP have no portable free-space query: on another server the upload's own quota error tells.
  if (needed > 0 && !plan.target.remote && (await freeBytes(plan.target.dir)) < needed) {
    throw new EngineError('failed_filesystem_quota', { message: `${plan.manifest.name} needs ${req.diskspace} of free disk space.` });
  }
  if (plan.manifest.db === 'none') return;
  if (plan.givenDb) {
    await deps.runtime.database.checkCredentials(plan.givenDb);
    const clash = await deps.runtime.database.listTables(plan.givenDb, plan.prefix);
    if (clash.length > 0) throw invalidArgument('db_prefix', `The database already has tables with the prefix ${plan.prefix}; choose another db_prefix.`);
  }
  const mysql = numericVersion(await deps.runtime.database.serverVersion(plan.givenDb ?? deps.dbServer!));
  if (!satisfiesRange(mysql, req.mysql)) {
    throw new EngineError('invalid_argument_version_unmetrequirements', { errfield: 'version', message: `${plan.manifest.name} ${plan.version} needs MySQL/MariaDB ${req.mysql}; the database server has ${mysql}.` });
  }
}

/** The new install's record; `incomplete` until the last step clears it (a crash leaves it flagged). */
function newRecord(deps: AppDeps, run: Run, now: number): Install {
  const { plan } = run;
  const r = plan.req;
  const info = deps.catalog.updateInfo(r.application, run.version);
  return {
    id: plan.id, agent: deps.agent, application: r.application,
    autobk: r.autobk ?? 'none', autobk_schedule: r.autobk === 'schedule' ? r.autobk_schedule ?? '' : '',
    autobk_daily: r.autobk_daily ?? 0, autobk_weekly: r.autobk_weekly ?? 0, autobk_monthly: r.autobk_monthly ?? 0,
    autoup: r.autoup ?? deps.settings.defaultAutoup, autoup_backup: r.autoup_backup ?? 'all',
    autoup_plugins: r.autoup_plugins ?? 'all', autoup_themes: r.autoup_themes ?? 'all', bkloc: r.bkloc ?? 'local',
    cache_files: 0, cache_numbackups: 0, cache_preview: 0, cache_tables: 0, cache_time: 0, cache_numerrors: 0, cache_numwarnings: 0,
    db_host: run.db?.db_host ?? '', db_type: run.db ? 'mysql' : '', db_name: run.db?.db_name ?? '', db_user: run.db?.db_user ?? '',
    db_pass: run.db?.db_pass ?? '', db_prefix: run.db ? plan.prefix : '',
    login: plan.fields.login, email: plan.fields.email, language: plan.fields.language, sitetitle: plan.fields.sitetitle,
    sitetagline: plan.fields.sitetagline ?? '', limitloginattempts: 'no', twofactor: 'no',
    exclude_files: [], failures: [], file: '', files: [...run.entries].sort(), incomplete: true,
    link_admin: plan.manifest.link_admin, notification: notificationsOf(r), parent: '', path: plan.target.dir,
    path_created: '', plugins: [], stage: '', tables: [...run.tables].sort(), themes: [],
    time_created: now, time_updated: now, title: plan.fields.sitetitle, url: r.url,
    url_domain: plan.target.resolved.domain, user: plan.target.owner.id, version: run.version,
    version_autouped: '', version_autouped_attempts: 0,
    version_available: info.version_available, version_available_minor: info.version_available_minor,
    version_updates_available: info.version_updates_available,
  };
}

/** The install folder's names, but for login helpers placed for a moment. */
async function entriesOf(run: Run): Promise<string[]> {
  const names = run.plan.target.remote ? await siteEntries(run) : await fs.promises.readdir(run.plan.target.dir);
  return names.filter((e) => !e.startsWith('installgate-') && !isWebServerEntry(e));
}

/**
 * The install steps, each with its undo (spec: a failed install undoes what it did and leaves no record). The
 * record is kept up to date as steps complete, so that a server killed mid-install leaves an `incomplete` record
 * that names its database, tables and files, and an uninstall of it removes them.
 */
function steps(deps: AppDeps, remote: boolean): Step<Run>[] {
  const db = deps.runtime.database;
  const save = async (run: Run) => {
    const stored = await deps.installsRepo.get(run.plan.id);
    await deps.installsRepo.replace({ ...newRecord(deps, run, deps.clock()), time_created: stored?.time_created ?? deps.clock() });
  };
  return [
    {
      name: 'register-install', message: '_tasks_shared_preparing', percent: [0, 5],
      async run(run) {
        await deps.installsRepo.insert(newRecord(deps, run, deps.clock()));
        return async () => { await deps.installsRepo.remove(run.plan.id); await deps.resources.forget(run.plan.id); };
      },
    },
    remote ? createSiteFolderStep<Run>(deps) : createFolderStep<Run>(deps),
    createDatabaseStep<Run>(deps, { percent: [10, 20], needed: (run) => run.plan.manifest.db !== 'none', app: (run) => run.plan.manifest.id, save }),
    {
      name: 'copy-files', message: '_tasks_shared_copyingfiles', percent: [20, 50],
      async run(run) {
        const release = deps.catalog.release(run.plan.req.application, run.plan.version);
        // Remembered per archive (same inode, size, mtime, ctime): the 15 MB are read once, not on every install.
        if ((await releaseSha256(release.archive)) !== release.sha256) {
          throw new EngineError('internal_error', { message: `The release archive of ${run.plan.manifest.name} ${run.plan.version} does not match its checksum; rebuild the application mirror.` });
        }
        if (remote) {
          const up = await uploadRelease(deps, run, release.archive);
          run.entries = up.entries;
          await save(run);
          return up.undo;
        }
        const dir = run.plan.target.dir;
        // The folder was empty (checked in preflight), so undo removes everything in it, also when extraction
        // failed half-way (the step's own failure runs no undo of its own: clean up here first).
        const clean = async () => {
          const now = (await fs.promises.readdir(dir).catch(() => [] as string[])).filter((e) => !isWebServerEntry(e));
          for (const e of now) await fs.promises.rm(path.join(dir, e), { recursive: true, force: true });
        };
        try {
          run.entries = (await deps.runtime.extractRelease(release.archive, dir, { stripTopFolder: true })).entries;
        } catch (e) {
          await clean();
          throw e;
        }
        await save(run);
        return clean;
      },
    },
    {
      name: 'run-installer', message: '_tasks_install_running', percent: [50, 90],
      async run(run) {
        const driver = deps.runtime.driverFor(run.plan.manifest.driver);
        const out = await driver.install({
          dir: remote ? siteOf(run).rel : run.plan.target.dir, url: run.plan.req.url, db: run.db,
          fields: run.plan.fields, content: run.plan.content, dbHostForInstall: run.plan.req.db_host_ip,
          ...(remote ? siteHost(deps, run) : {}),
        });
        run.version = out.version;
        run.tables = out.tables;
        run.addons = out.addons;
        run.entries = await entriesOf(run);
        await save(run);
        const given = run.plan.givenDb;
        // A database the customer brought keeps everything but the tables this install created.
        if (given) return async () => { await db.dropTables(given, await db.listTables(given, run.plan.prefix)); };
      },
    },
    {
      name: 'finish-install', message: '_tasks_shared_finishing', percent: [90, 100],
      async run(run) {
        const driver = deps.runtime.driverFor(run.plan.manifest.driver);
        const addons = run.addons ?? (await driver.addons({
          dir: remote ? siteOf(run).rel : run.plan.target.dir, url: run.plan.req.url, db: run.db, ...(remote ? siteHost(deps, run) : {}),
        }));
        const entries = await entriesOf(run);
        const res = await deps.resources.get(run.plan.id);
        const record: Install = {
          ...newRecord(deps, { ...run, entries }, deps.clock()),
          time_created: (await deps.installsRepo.get(run.plan.id))?.time_created ?? deps.clock(),
          plugins: addons.plugins, themes: addons.themes, incomplete: false,
          path_created: res.created_path,
        };
        await deps.installsRepo.replace(record);
      },
    },
  ];
}

/**
 * Installs an application (spec §2.1, v1 `install`): preflight, then a task running the steps. Foreground calls
 * answer the record; background calls answer the task after the preflight (`quick`: before the environment checks).
 */
export async function installApplication(deps: AppDeps, scope: Scope, req: InstallRequest, opts: RunOptions): Promise<OperationResult<Install>> {
  const content = contentChoice(req.content);
  if (content.kind === 'template') return installFromTemplate(deps, scope, req, content.id, opts);
  const plan = await checkInput(deps, scope, req);
  if (opts.dryrun === 'input') return { data: null, dryrun: true };
  if (opts.dryrun === 'all' || opts.background !== 'quick') await checkEnvironment(deps, plan);
  if (opts.dryrun === 'all') return { data: null, dryrun: true };
  const secrets = [plan.fields.passwd, req.db_pass ?? ''].filter((s) => s !== '');
  const run: Run = { plan, db: null, entries: [], version: plan.version, tables: [], site: null };
  const remote = plan.target.remote;
  const { task } = await deps.runner.run({
    cmd: 'browser/install', user: plan.target.owner.id, installId: plan.id, url: req.url,
    title: plan.fields.sitetitle, wsLabel: plan.target.resolved.website.label, label: '_tasks_installing',
    payload: { application: req.application, version: plan.version, url: req.url },
    // The folder too: another install to the same URL that passed its preflight meanwhile must not write into it.
    lockInstall: [plan.id, folderLockKey(plan.target.dir)], secrets, notification: notificationsOf(req),
  }, (t) => withRemoteSite(deps, remote, run, () => runLoggedWorkflow(deps, {
    steps: steps(deps, remote !== null), run, progress: t.progress, installId: plan.id, secrets,
    entry: { user: plan.target.owner.id, cmd: 'browser/install', install: plan.id, url: req.url, title: plan.fields.sitetitle },
    before: async () => {
      // Again under the folder's lock: an install that ended between our preflight and now may have filled it.
      if (run.site && remote) await checkFolderOn(run.site, remote.rel).catch((e: unknown) => Promise.reject(siteFailure(e, run.site!)));
      else await checkEmpty(plan.target.dir);
      if (opts.background === 'quick') await checkEnvironment(deps, plan);
    },
    failed: (err) => `Installing ${plan.manifest.name} at ${req.url} failed: ${err.message}`,
    done: () => `Installed ${plan.manifest.name} ${run.version} at ${req.url}.`,
  })), { background: opts.background !== false }).catch((e: unknown) => { throw folderBusy(e, plan.target.dir); });
  if (opts.background !== false) return { data: null, task };
  const record = await deps.installsRepo.get(plan.id);
  if (!record) throw new EngineError('internal_error', { message: 'the install finished but its record is gone' });
  return { data: record, task };
}
