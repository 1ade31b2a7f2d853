/**
 * Installing with `content=<template id>` (spec §2.1): the template's application at the version it was captured
 * from, with the template's files and database instead of a blank site. The input is checked as for any install
 * (content=no at the template's version: URL, folder, fields, database, release available); the task then runs
 * the restore-to steps on the template's archive (staging folder, tables under a temporary prefix, swap, new
 * database settings, driver.relocate for URLs/paths/prefix) plus one step that gives the copy the new admin
 * login, password, email and site title through the application's own code (WordPress: php/wordpress/set-fields.php,
 * credentials on stdin). Any failure undoes every step: no record, no folder, no database is left.
 */
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { EngineError, type Backup, type Install, type Template } from '@installgate/contracts';
import type { Scope } from '../access/actor';
import { templateFilePath } from '../templates/template-files';
import type { Step } from '../tasks/run-workflow';
import type { AppDeps, RunOptions } from './app-deps';
import { runLoggedWorkflow } from './run-logged-workflow';
import { checkEnvironment, checkInput, type InstallPlan, type OperationResult } from './install-application';
import { notificationsOf, type InstallRequest } from './install-request';
import { restoreSteps, type RestoreRun } from './restore-backup';
import type { RestorePlan } from './restore-plan';
import { checkEmpty, folderBusy, folderLockKey } from './resolve-target';

/** The template named by `content`, if this caller may install it at this URL's owner (spec §2.2 scopes). */
async function templateFor(deps: AppDeps, scope: Scope, id: string): Promise<Template> {
  try {
    return await deps.templates.get(scope, id);
  } catch (e) {
    // The template was named by `content`, not by an `id` of this call.
    if (e instanceof EngineError && e.errcode === 'template_not_found') throw new EngineError('template_not_found', { errfield: 'content', message: `No template ${id}; content is yes, no or a template id (GET /templates).` });
    if (e instanceof EngineError && e.errcode === 'invalid_argument_user') throw new EngineError('invalid_argument_user', { errfield: 'content', message: `Template ${id} is private to its owner.` });
    throw e;
  }
}

/** Input checks of a template install (dryrun=input stops after this). */
async function planTemplateInstall(deps: AppDeps, scope: Scope, req: InstallRequest, templateId: string): Promise<{ plan: InstallPlan; template: Template }> {
  const template = await templateFor(deps, scope, templateId);
  if (template.template_application !== req.application) {
    throw new EngineError('invalid_argument_content', { errfield: 'content', message: `Template ${templateId} is a ${template.template_application} template; install it with POST /browser/${template.template_application}/install.` });
  }
  if (req.version !== undefined && req.version !== '' && req.version !== template.version) {
    throw new EngineError('invalid_argument_version', { errfield: 'version', message: `Template ${templateId} installs ${template.template_application} ${template.version}, the version it was made from.` });
  }
  // As a blank install of the template's version: a release that is no longer installable is refused here.
  // The template's archive is unpacked with this server's file calls: a website on another server is refused.
  const plan = await checkInput(deps, scope, { ...req, content: 'no', version: template.version }, { allowRemote: false });
  // `user` templates are their creator's only (spec §2.2), also when an admin installs for another account.
  if (template.template_scope === 'user' && plan.target.owner.id !== template.user) {
    throw new EngineError('invalid_argument_user', { errfield: 'content', message: `Template ${templateId} is private to ${template.user}; it cannot be installed for ${plan.target.owner.id}.` });
  }
  const odd = template.tables.filter((t) => template.db_prefix === '' || !t.startsWith(template.db_prefix));
  if (odd.length > 0) throw new EngineError('invalid_argument_content', { errfield: 'content', message: `Template ${templateId} holds tables without its table prefix; it cannot be installed.` });
  return { plan, template };
}

/** The template's archive is there and is the one that was captured (size and sha256). */
async function checkArchive(deps: AppDeps, template: Template): Promise<string> {
  const file = templateFilePath(deps.settings.templatesDir!, template.template_filename);
  const st = file ? await fs.promises.stat(file).catch(() => null) : null;
  const broken = (why: string) => new EngineError('template_not_found', { errfield: 'content', message: `The archive of template ${template.id} ${why}; delete the template and capture it again.` });
  if (!file || !st?.isFile()) throw broken('is missing');
  if (template.template_size && st.size !== template.template_size) throw broken('has changed since it was captured');
  if (template.template_sha256) {
    const hash = createHash('sha256');
    await pipeline(fs.createReadStream(file), hash);
    if (hash.digest('hex') !== template.template_sha256) throw broken('has changed since it was captured');
  }
  return file;
}

/**
 * The record the restore steps start from: the template's install record with the new install's own choices
 * (fields, policies, notifications) already in place; save-record then sets id, URL, path, owner, database.
 */
function sourceRecord(deps: AppDeps, plan: InstallPlan, t: Template): Backup {
  const {
    template_name: _n, template_desc: _d, template_scope: _s, template_application: _a, template_filename: _f, template_install: _i,
    template_time: _t, template_image: _im, template_icon: _ic, template_appcategory: _c, template_size: _z, template_sha256: _h, ...install
  } = t;
  const r = plan.req;
  const info = deps.catalog.updateInfo(r.application, t.version);
  const own: Partial<Install> = {
    agent: deps.agent, user: plan.target.owner.id,
    autobk: r.autobk ?? 'none', autobk_schedule: r.autobk === 'schedule' ? r.autobk_schedule ?? '' : '',
    autobk_daily: r.autobk_daily ?? 0, autobk_weekly: r.autobk_weekly ?? 0, autobk_monthly: r.autobk_monthly ?? 0,
    autoup: r.autoup ?? deps.settings.defaultAutoup, autoup_backup: r.autoup_backup ?? 'all',
    autoup_plugins: r.autoup_plugins ?? 'all', autoup_themes: r.autoup_themes ?? 'all', bkloc: r.bkloc ?? 'local',
    cache_files: 0, cache_numbackups: 0, cache_preview: 0, cache_tables: 0, cache_time: 0, cache_numerrors: 0, cache_numwarnings: 0,
    login: plan.fields.login, email: plan.fields.email, sitetitle: plan.fields.sitetitle, title: plan.fields.sitetitle,
    sitetagline: plan.fields.sitetagline ?? install.sitetagline, language: r.language ? plan.fields.language : install.language,
    notification: notificationsOf(r), failures: [], version_autouped: '', version_autouped_attempts: 0,
    version_available: info.version_available, version_available_minor: info.version_available_minor,
    version_updates_available: info.version_updates_available,
  };
  return {
    ...install, ...own, backup_filename: t.template_filename, backup_install: t.template_install, backup_location: 'template',
    backup_note: '', backup_time: t.template_time, backup_expires: 0,
  };
}

/**
 * Gives the copy its new administrator and title (the template's admin is renamed, not a second one added) and
 * secrets of its own; the record takes the plugins and themes the copy really has.
 */
function applyFieldsStep(deps: AppDeps, plan: InstallPlan, template: Template): Step<RestoreRun> {
  return {
    name: 'apply-install-fields', message: '_tasks_install_running', percent: [93, 95],
    async run(run) {
      const driver = deps.runtime.driverFor(plan.manifest.driver);
      const f = plan.fields;
      const changes = {
        login: f.login, passwd: f.passwd, email: f.email, sitetitle: f.sitetitle,
        ...(f.sitetagline !== undefined ? { sitetagline: f.sitetagline } : {}), ...(plan.req.language ? { language: f.language } : {}),
      };
      await driver.setFields({ dir: run.plan.dir, url: run.plan.url, db: run.db, changes, ...(template.login ? { login: template.login } : {}) });
      if (driver.renewSecrets) await driver.renewSecrets({ dir: run.plan.dir });
      const addons = await driver.addons({ dir: run.plan.dir, url: run.plan.url, db: run.db });
      // save-record, the next step, writes the record from this source record.
      run.plan.backup = { ...run.plan.backup, plugins: addons.plugins, themes: addons.themes };
    },
  };
}

/** Runs an install from a template (called by installApplication when `content` names a template). */
export async function installFromTemplate(deps: AppDeps, scope: Scope, req: InstallRequest, templateId: string, opts: RunOptions): Promise<OperationResult<Install>> {
  const { plan, template } = await planTemplateInstall(deps, scope, req, templateId);
  if (opts.dryrun === 'input') return { data: null, dryrun: true };
  const preflight = async () => {
    await checkEnvironment(deps, plan);
    return checkArchive(deps, template);
  };
  if (opts.dryrun === 'all' || opts.background !== 'quick') await preflight();
  if (opts.dryrun === 'all') return { data: null, dryrun: true };
  const source = sourceRecord(deps, plan, template);
  const usesDb = plan.manifest.db !== 'none' && (template.db_name !== '' || template.tables.length > 0);
  const restorePlan: RestorePlan = {
    backup: source,
    object: { backup_id: template.id, location_ref: 'local', local_root: deps.settings.templatesDir!, object_key: template.template_filename, size: template.template_size, sha256: template.template_sha256, task_id: '' },
    mode: 'restoreto', installId: plan.id, live: null, url: req.url, domain: plan.target.resolved.domain, dir: plan.target.dir, remote: null,
    owner: plan.target.owner.id, db: usesDb ? plan.givenDb : null, dbGiven: plan.givenDb !== null, manual: false, usesDb,
    prefix: usesDb ? plan.prefix : '', tempPrefix: `igt${randomBytes(3).toString('hex')}_`,
  };
  const run: RestoreRun = { plan: restorePlan, db: null, createdDb: null, createdDir: '', scratch: '', staged: '', manifest: [], names: [], swaps: [], site: null };
  const base = restoreSteps(deps);
  const last = base.length - 1; // save-record: the new fields must be in place before the install is listed
  const steps = [...base.slice(0, last), applyFieldsStep(deps, plan, template), base[last]!];
  const secrets = [plan.fields.passwd, req.db_pass ?? ''].filter((s) => s !== '');
  const entry = { user: plan.target.owner.id, cmd: 'browser/install', install: plan.id, url: req.url, title: plan.fields.sitetitle };
  const { task } = await deps.runner.run({
    cmd: 'browser/install', user: plan.target.owner.id, installId: plan.id, url: req.url,
    title: plan.fields.sitetitle, wsLabel: plan.target.resolved.website.label, label: '_tasks_installing',
    payload: { application: req.application, version: template.version, url: req.url, template: template.id },
    lockInstall: [plan.id, folderLockKey(plan.target.dir)], secrets, notification: notificationsOf(req),
  }, (t) => runLoggedWorkflow(deps, {
    steps, run, progress: t.progress, installId: plan.id, secrets, entry,
    before: async () => {
      await checkEmpty(plan.target.dir);
      if (opts.background === 'quick') await preflight();
    },
    failed: (err) => `Installing template "${template.template_name}" at ${req.url} failed: ${err.message}`,
    done: () => `Installed ${plan.manifest.name} ${template.version} from template "${template.template_name}" at ${req.url}.`,
  }), { background: opts.background !== false }).catch((e: unknown) => { throw folderBusy(e, plan.target.dir); });
  if (opts.background !== false) return { data: null, task };
  const record = await deps.installsRepo.get(plan.id);
  if (!record) throw new EngineError('internal_error', { message: 'the install finished but its record is gone' });
  return { data: record, task };
}
