/**
 * `POST /installs/{id}/template` (v1 `template`, spec §2.2): the install's files and database, packed by the backup
 * archive writer into the templates folder, plus a template record (spec §8.6). The archive is written under a
 * temporary name and published by rename; the record is written last, so a failed capture lists nothing and
 * leaves no file behind.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { EngineError, invalidArgument, TEMPLATE_APP_CATEGORIES, zTemplateScope, type Install, type Template } from '@installgate/contracts';
import { ADMIN_SCOPE, type Actor, type Scope } from '../access/actor';
import { mayShareTemplates } from '../templates/templates-service';
import { packArchive } from '../archive';
import { dumpDatabase } from '../dumps';
import { newRecordId } from '../store/new-record-id';
import { readTemplateImage, storeTemplateImage, type TemplateImageKind } from '../templates/template-images';
import { removeTemplateFiles, templateArchiveName } from '../templates/template-files';
import type { RunningTask } from '../tasks/task-runner';
import type { AppDeps, RunOptions } from './app-deps';
import { checkSource } from './backup-install';
import { currentContents } from './install-contents';
import type { OperationResult } from './install-application';
import { required } from './install-request';
import { recordDb } from './uninstall-application';
import { refuseRemoteInstall } from '../sites/remote-refusal';

type TemplateScope = Template['template_scope'];

/** Parameters of the capture (v2 names). */
export interface TemplateRequest {
  name?: string;
  desc?: string;
  scope?: TemplateScope;
  /** Base64 PNG data or a path in the owner's website (spec §9 #41 [R]). */
  image?: string;
  icon?: string;
  appcategory?: string;
}

/** The scope asked for, or the default: `admin` (spec) for callers who may share, `user` for plain users [R]. */
function scopeOf(actor: Actor, asked: string | undefined): TemplateScope {
  if (asked === undefined || asked === '') return mayShareTemplates(actor) ? 'admin' : 'user';
  const parsed = zTemplateScope.safeParse(asked);
  if (!parsed.success) throw invalidArgument('scope', 'scope is user, admin or app.');
  if (parsed.data !== 'user' && !mayShareTemplates(actor)) throw invalidArgument('scope', 'Only an administrator or reseller may share a template (scope admin or app); use scope=user.');
  return parsed.data;
}

/** Writes the archive to `<dir>/<name>` (via a temporary name). Returns its size and sha256. */
async function writeArchive(deps: AppDeps, install: Install, contents: { files: string[]; tables: string[] }, file: string): Promise<{ bytes: number; sha256: string }> {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(4).toString('hex')}.part`);
  const ac = new AbortController();
  const out = fs.createWriteStream(tmp, { mode: 0o600 });
  const db = recordDb(install);
  try {
    const packed = await packArchive({
      dir: install.path, files: contents.files, exclude: install.exclude_files, out, signal: ac.signal,
      meta: { record: { ...install, ...contents }, createdBy: `installgate/${deps.agent}` },
      dumpSql: db ? () => {
        const sql = new PassThrough({ highWaterMark: 1 << 20 });
        dumpDatabase(db, contents.tables, sql, { signal: ac.signal }).catch((e: unknown) => { if (!sql.destroyed) sql.destroy(e as Error); });
        return sql;
      } : undefined,
    });
    await fs.promises.rename(tmp, file);
    return { bytes: packed.bytes, sha256: packed.sha256 };
  } catch (e) {
    ac.abort();
    out.destroy();
    await fs.promises.rm(tmp, { force: true });
    throw e;
  }
}

async function capture(deps: AppDeps, install: Install, base: Omit<Template, keyof Install | 'template_filename' | 'template_size' | 'template_sha256' | 'template_image' | 'template_icon'>, images: Partial<Record<TemplateImageKind, Buffer>>, t: RunningTask): Promise<Template> {
  const dir = deps.settings.templatesDir!;
  await fs.promises.mkdir(dir, { recursive: true, mode: 0o700 });
  const id = newRecordId();
  const names = { template_filename: templateArchiveName(install.application, id), template_image: '', template_icon: '' };
  try {
    await t.progress('_tasks_shared_copyingfiles', 5, 90);
    const contents = await currentContents(deps, install, null);
    const packed = await writeArchive(deps, install, contents, path.join(dir, names.template_filename));
    await t.progress('_tasks_shared_finishing', 90, 100);
    for (const kind of ['image', 'icon'] as const) {
      const buf = images[kind];
      if (buf) names[`template_${kind}`] = await storeTemplateImage(dir, id, kind, buf);
    }
    // db_pass stays out of the template: an install from it gets its own database and credentials.
    const record: Template = {
      ...install, ...contents, ...base, ...names, id, db_pass: '',
      template_size: packed.bytes, template_sha256: packed.sha256,
    };
    await deps.templates.insert(record);
    return record;
  } catch (e) {
    await removeTemplateFiles(dir, names).catch(() => undefined);
    throw e;
  }
}

/** Makes a template from an install. Answers the template record (a task when backgrounded). */
export async function captureTemplate(deps: AppDeps, scope: Scope, id: string, req: TemplateRequest, opts: RunOptions): Promise<OperationResult<Template>> {
  const install = await deps.installs.get(scope, id);
  // The archive is packed from the folder with this server's file calls.
  refuseRemoteInstall(install, 'template');
  const name = required(req.name, 'name').trim();
  if (name.length > 255) throw invalidArgument('name', 'name has at most 255 characters.');
  if ((req.desc ?? '').length > 4096) throw invalidArgument('desc', 'desc has at most 4096 characters.');
  const templateScope = scopeOf(scope.actor, req.scope);
  const appcategory = req.appcategory || '_categories_miscellaneous';
  if (!(TEMPLATE_APP_CATEGORIES as readonly string[]).includes(appcategory)) throw invalidArgument('appcategory', `appcategory is one of ${TEMPLATE_APP_CATEGORIES.join(', ')}.`);
  if (install.incomplete) throw new EngineError('install_busy', { errfield: 'id', message: 'This install is incomplete (an install or restore did not finish); no template can be made from it.' });
  const owner = await deps.users.get(ADMIN_SCOPE, install.user);
  const images: Partial<Record<TemplateImageKind, Buffer>> = {};
  for (const kind of ['image', 'icon'] as const) {
    const value = req[kind];
    if (value) images[kind] = await readTemplateImage(kind, value, owner);
  }
  if (opts.dryrun === 'input') return { data: null, dryrun: true };
  if (opts.dryrun === 'all' || opts.background !== 'quick') await checkSource(deps, install);
  if (opts.dryrun === 'all') return { data: null, dryrun: true };
  const base = {
    template_name: name, template_desc: req.desc ?? '', template_scope: templateScope, template_application: install.application,
    template_install: install.id, template_time: deps.clock(), template_appcategory: appcategory,
  };
  const secrets = [install.db_pass].filter((s) => s !== '');
  const entry = { user: install.user, cmd: 'installs/template', install: id, url: install.url, title: install.title };
  const { task, result } = await deps.runner.run({
    cmd: 'installs/template', user: install.user, installId: id, url: install.url, title: install.title, label: '_tasks_templating',
    payload: { install: id, name }, lockInstall: id, secrets,
  }, async (t) => {
    try {
      if (opts.background === 'quick') await checkSource(deps, install);
      const made = await capture(deps, install, base, images, t);
      await deps.logs.write({ ...entry, message: `Made template "${name}" (${made.template_scope}) from ${install.title}.` }, secrets);
      return made;
    } catch (e) {
      const err = e instanceof EngineError ? e : new EngineError('internal_error', { cause: e });
      await deps.logs.write({ ...entry, severity: 'error', message: `Making template "${name}" from ${install.title} failed: ${err.message}` }, secrets);
      throw e;
    }
  }, { background: opts.background !== false });
  return { data: result ?? null, task };
}
