import * as fs from 'node:fs';
import { EngineError, invalidArgument, zTemplateScope, type ListPage, type Template } from '@installgate/contracts';
import type { EngineContext } from '../engine-context';
import { ADMIN_SCOPE, type Actor, type Scope } from '../access/actor';
import type { Visibility } from '../access/visibility';
import { listOwners } from '../access/list-owners';
import type { LogsService } from '../logs/logs-service';
import type { PageRequest } from '../store/paginate';
import { installSecrets } from '../installs/installs-service';
import type { UsersService } from '../users/users-service';
import { createTemplateRepository, SHARED_TEMPLATE_SCOPES } from './template-repository';
import { readTemplateImage, storeTemplateImage } from './template-images';
import { removeTemplateFiles, templateFilePath } from './template-files';

/** `GET /templates` parameters (spec §2.5). */
export interface TemplateListQuery extends PageRequest {
  user?: string;
  q?: string;
}

/** `POST /templates/{id}` (spec §2.5 [R]): the template_* members by their short names. */
export interface TemplateEdit {
  name?: string;
  desc?: string;
  scope?: Template['template_scope'];
  /** Base64 PNG data or a path in the owner's website (spec §9 #41 [R]); '' removes it. */
  image?: string;
  icon?: string;
  appcategory?: string;
}

/** Which record member each edit parameter sets, and the longest value accepted. */
const TEMPLATE_EDIT_MEMBERS = {
  name: { member: 'template_name', max: 255 },
  desc: { member: 'template_desc', max: 65535 },
  scope: { member: 'template_scope', max: 16 },
  image: { member: 'template_image', max: 2_000_000 },
  icon: { member: 'template_icon', max: 2_000_000 },
  appcategory: { member: 'template_appcategory', max: 255 },
} as const satisfies Record<keyof TemplateEdit, { member: keyof Template; max: number }>;

/**
 * Whether the caller may offer a template to everyone (`admin`, `app`). The spec describes `admin` as "everyone,
 * as a content option" and `app` as a new entry of the Applications Browser: both change what other accounts are
 * offered, so only the main admin or a reseller may choose them [R] (capture and edit alike).
 */
export function mayShareTemplates(actor: Actor): boolean {
  return actor.kind === 'admin' || actor.type === 'reseller';
}

/** Templates: reads, the record edit and forgetting a template. Making one from an install is a task. */
export interface TemplatesService {
  /** The scope's own templates plus every `admin`/`app`-scoped one (the main admin: all), newest first. */
  list(scope: Scope, q: TemplateListQuery): Promise<ListPage<Template>>;
  /** One template: own (or owned account's) or shared. Throws template_not_found / invalid_argument_user. */
  get(scope: Scope, id: string): Promise<Template>;
  /** Stores a new record (repository level). */
  insert(template: Template): Promise<Template>;
  /**
   * Changes template_* members. Only the owner's side may edit (a shared template is read-only to others);
   * only the admin or a reseller may share a template (`scope` admin/app).
   */
  edit(scope: Scope, id: string, patch: TemplateEdit): Promise<Template>;
  /** Removes the template record, then its archive, image and icon. Returns the record. */
  delete(scope: Scope, id: string): Promise<Template>;
}

/** The templates service. */
export function createTemplatesService(ctx: EngineContext, deps: { vis: Visibility; logs: LogsService; users: UsersService }): TemplatesService {
  const repo = createTemplateRepository(ctx.db, ctx.secrets);
  const { vis, logs, users } = deps;
  const dir = ctx.settings.templatesDir!;

  /** Checks and stores a new image/icon; '' clears it. Returns the member's new value. */
  async function imageMember(t: Template, kind: 'image' | 'icon', value: string): Promise<string> {
    if (value.trim() === '') return '';
    const buf = await readTemplateImage(kind, value, await users.get(ADMIN_SCOPE, t.user));
    return storeTemplateImage(dir, t.id, kind, buf);
  }

  async function find(id: string): Promise<Template> {
    const t = await repo.get(id);
    if (!t) throw new EngineError('template_not_found', { errfield: 'id' });
    return t;
  }

  async function owned(scope: Scope, id: string): Promise<Template> {
    const t = await find(id);
    await vis.requireOwner(scope.actor, t.user);
    return t;
  }

  const logFor = (t: Template, cmd: string, message: string) =>
    logs.write({ user: t.user, cmd, install: t.template_install, url: t.url, title: t.template_name || t.title, message }, installSecrets(t));

  return {
    async list(scope, q) {
      const owners = await listOwners(vis, ctx.settings.admin, scope.actor, q.user, 'own');
      return repo.list({ owners, q: q.q }, q);
    },

    async get(scope, id) {
      const t = await find(id);
      if (!(SHARED_TEMPLATE_SCOPES as readonly string[]).includes(t.template_scope)) await vis.requireOwner(scope.actor, t.user);
      return t;
    },

    insert: (template) => repo.insert(template),

    async edit(scope, id, patch) {
      const changes: Partial<Template> = {};
      for (const [param, value] of Object.entries(patch)) {
        if (value === undefined) continue;
        const rule = TEMPLATE_EDIT_MEMBERS[param as keyof TemplateEdit];
        if (!rule || typeof value !== 'string' || value.length > rule.max) throw invalidArgument(param);
        (changes as Record<string, unknown>)[rule.member] = value;
      }
      if (changes.template_name !== undefined && changes.template_name.trim() === '') throw invalidArgument('name');
      if (changes.template_scope !== undefined) {
        if (!zTemplateScope.safeParse(changes.template_scope).success) throw invalidArgument('scope');
        if (changes.template_scope !== 'user' && !mayShareTemplates(scope.actor)) throw invalidArgument('scope', 'Only an administrator or reseller may share a template.');
      }
      const current = await owned(scope, id);
      for (const kind of ['image', 'icon'] as const) {
        const value = patch[kind];
        if (value !== undefined) changes[`template_${kind}`] = await imageMember(current, kind, value);
      }
      const next: Template = { ...current, ...changes };
      await repo.replace(next);
      // A cleared image leaves no file behind (a replaced one was overwritten under the same name).
      for (const kind of ['image', 'icon'] as const) {
        const was = current[`template_${kind}`];
        const p = was && next[`template_${kind}`] === '' ? templateFilePath(dir, was) : null;
        if (p) await fs.promises.rm(p, { force: true });
      }
      await logFor(next, 'templates/edit', `Changed ${Object.keys(patch).filter((k) => patch[k as keyof TemplateEdit] !== undefined).join(', ') || 'nothing'} of template ${next.template_name || next.id}.`);
      return next;
    },

    async delete(scope, id) {
      const t = await owned(scope, id);
      await repo.remove(id);
      // The record goes first: a file that cannot be removed is only a leftover, never a listed template without its archive.
      await removeTemplateFiles(dir, t).catch((e: unknown) => ctx.logger.warn('template files not removed', { template: id, detail: String(e) }));
      await logFor(t, 'templates/delete', `Deleted template ${t.template_name || t.id}.`);
      return t;
    },
  };
}
