import * as fs from 'node:fs';
import { EngineError, type Install } from '@installgate/contracts';
import type { Scope } from '../access/actor';
import { newRecordId } from '../store/new-record-id';
import type { AppDeps, RunOptions } from './app-deps';
import type { OperationResult } from './install-application';
import { checkBackupPolicy } from './backup-policy';
import { folderBusy, folderLockKey, requireRemoteSupport, resolveTarget } from './resolve-target';
import { installFolderExists } from '../sites/install-folder';
import { withInstallHost, type InstallHost } from '../sites/install-host';

/** `POST /browser/{id}/import` (v1 `import` without source_url, spec §2.1). */
export interface ImportRequest {
  application: string;
  url: string;
  version?: string;
  url_ip?: string;
}

/** Whether one of the owner's installs lives in `dir` already. */
async function pathIsManaged(deps: AppDeps, owner: string, dir: string): Promise<boolean> {
  for (let offset = 0; ; offset += 1000) {
    const page = await deps.installsRepo.list({ owners: [owner] }, { offset, limit: 1000 });
    if (page.items.some((i) => i.path === dir)) return true;
    if (!page.has_more) return false;
  }
}

/** The names in the install folder, but for Installgate's own short-lived helpers (login files, remote PHP). */
async function folderEntries(h: InstallHost): Promise<string[]> {
  const names = h.site ? (await h.site.list(h.dir)).map((e) => e.name) : await fs.promises.readdir(h.dir);
  return names.filter((e) => !e.startsWith('installgate-')).sort();
}

/**
 * Takes over an application that already runs at `url`: finds its folder through the owner's website, detects the
 * version from its files and the database settings from its config, and registers it. Nothing on disk changes
 * (on a website on another server, the application is read through its SiteFs and its PHP over HTTP, whose helper
 * file is removed again).
 */
export async function importApplication(deps: AppDeps, scope: Scope, req: ImportRequest, opts: RunOptions): Promise<OperationResult<Install>> {
  const manifest = deps.catalog.manifest(req.application);
  const target = await resolveTarget(deps, scope, req.url, { mustBeEmpty: false, allowRemote: true });
  if (await pathIsManaged(deps, target.owner.id, target.dir)) {
    throw new EngineError('invalid_argument_url', { errfield: 'url', message: 'An install at this URL is managed already.' });
  }
  const driver = deps.runtime.driverFor(manifest.driver);
  requireRemoteSupport(target, driver, manifest.name);
  // Where the install will be: its record's path is target.dir (a remote one without the password).
  const at = { user: target.owner.id, path: target.dir, url: req.url };
  const found = await withInstallHost(deps, at, async (h) => ((await installFolderExists(h)) ? driver.detect(h.dir, h.host) : null));
  if (!found) throw new EngineError('invalid_argument_url', { errfield: 'url', message: `No ${manifest.name} install was found in the folder of this URL.` });
  const version = req.version ?? found.version;
  if (req.version !== undefined && req.version !== found.version) {
    // The caller knows better than the files only when the files say nothing; a contradiction is refused.
    throw new EngineError('invalid_argument_version', { errfield: 'version', message: `The files say ${manifest.name} ${found.version}, not ${req.version}.` });
  }
  if (found.db) await deps.runtime.database.checkCredentials(found.db);
  await checkBackupPolicy(deps, scope, {});
  if (opts.dryrun !== 'none') return { data: null, dryrun: true };

  const id = newRecordId();
  const secrets = found.db?.db_pass ? [found.db.db_pass] : [];
  const { task } = await deps.runner.run({
    cmd: 'browser/import', user: target.owner.id, installId: id, url: req.url, title: found.fields.sitetitle ?? manifest.name,
    wsLabel: target.resolved.website.label, label: '_tasks_importing', payload: { application: req.application, url: req.url },
    lockInstall: [id, folderLockKey(target.dir)], secrets,
  }, async (t) => {
    // Again under the folder's lock: another import of this folder may have finished since the check above.
    if (await pathIsManaged(deps, target.owner.id, target.dir)) {
      throw new EngineError('invalid_argument_url', { errfield: 'url', message: 'An install at this URL is managed already.' });
    }
    await t.progress('_tasks_shared_reading', 0, 60);
    const tables = found.db ? await deps.runtime.database.listTables(found.db, found.db.db_prefix) : [];
    const { addons, files } = await withInstallHost(deps, at, async (h) => ({
      addons: await driver.addons({ dir: h.dir, url: req.url, db: found.db, ...h.host }),
      files: await folderEntries(h),
    }));
    const info = deps.catalog.updateInfo(req.application, version);
    const now = deps.clock();
    const title = found.fields.sitetitle ?? manifest.name;
    const record: Install = {
      id, agent: deps.agent, application: req.application, autobk: 'none', autobk_schedule: '', autobk_daily: 0, autobk_weekly: 0,
      autobk_monthly: 0, autoup: deps.settings.defaultAutoup, autoup_backup: 'all', autoup_plugins: 'all', autoup_themes: 'all',
      bkloc: 'local', cache_files: 0, cache_numbackups: 0, cache_preview: 0, cache_tables: 0, cache_time: 0, cache_numerrors: 0,
      cache_numwarnings: 0, db_host: found.db?.db_host ?? '', db_type: found.db ? 'mysql' : '', db_name: found.db?.db_name ?? '',
      db_user: found.db?.db_user ?? '', db_pass: found.db?.db_pass ?? '', db_prefix: found.db?.db_prefix ?? '',
      login: found.fields.login ?? '', email: found.fields.email ?? '', language: found.fields.language ?? 'en', sitetitle: title,
      sitetagline: found.fields.sitetagline ?? '', limitloginattempts: 'no', twofactor: 'no', exclude_files: [], failures: [], file: '',
      files, incomplete: false, link_admin: manifest.link_admin, notification: [], parent: '', path: target.dir, path_created: '',
      plugins: addons.plugins, stage: '', tables: tables.sort(), themes: addons.themes, time_created: now, time_updated: now, title,
      url: req.url, url_domain: target.resolved.domain, user: target.owner.id, version, version_autouped: '', version_autouped_attempts: 0,
      version_available: info.version_available, version_available_minor: info.version_available_minor,
      version_updates_available: info.version_updates_available,
    };
    await t.progress('_tasks_shared_finishing', 60, 100);
    await deps.installsRepo.insert(record);
    await deps.logs.write({ user: target.owner.id, cmd: 'browser/import', install: id, url: req.url, title, message: `Imported ${manifest.name} ${version} at ${req.url}.` }, secrets);
  }, { background: opts.background !== false }).catch((e: unknown) => { throw folderBusy(e, target.dir); });
  if (opts.background !== false) return { data: null, task };
  return { data: (await deps.installsRepo.get(id)) ?? null, task };
}
