import { EngineError, invalidArgument, type ListPage, type User } from '@installgate/contracts';
import type { EngineContext } from '../engine-context';
import type { Actor, Scope } from '../access/actor';
import type { Visibility } from '../access/visibility';
import { listOwners } from '../access/list-owners';
import type { LogsService } from '../logs/logs-service';
import type { PageRequest } from '../store/paginate';
import { createUserRepository, type UserRemoval } from './user-repository';
import { checkUserId, forbiddenUser, readUserInput, type UserChanges, type UserInput } from './user-input';
import { normaliseWebsites, type WebsiteInput } from './websites';
import { resolveUrlIn, type ResolvedUrl } from './resolve-url';

/** `GET /users` parameters: `user` narrows to that account's view; `q` searches id and email. */
export interface UserListQuery extends PageRequest {
  user?: string;
  q?: string;
}

/** What `delete` did (or, with dryrun, would do). */
export interface UserDeleteResult {
  user: User;
  dryrun: boolean;
  removed: UserRemoval;
}

/** Users (accounts) and their websites. */
export interface UsersService {
  /** Accounts visible to the scope (itself and, for a reseller, its accounts), ordered by id. */
  list(scope: Scope, q: UserListQuery): Promise<ListPage<User>>;
  /** One account. Throws user_not_found (unknown) / invalid_argument_user (out of reach). */
  get(scope: Scope, id: string): Promise<User>;
  /**
   * Creates an account. `id` is required (empty_argument_id / invalid_argument_id / user_exists). A plain user
   * may not create accounts; a reseller creates them under itself (parent defaults to the creator; a given
   * parent must be a visible reseller: user_not_found / invalid_argument_parent).
   */
  create(scope: Scope, input: UserInput): Promise<User>;
  /**
   * Changes an account: omitted members keep their values; `websites` replaces the list (entries with a known
   * id, or a known label and no id, keep their id and omitted members). With createIfMissing an unknown id is
   * created instead (v1 `edituser`). An account may not change its own type, parent or suspension.
   */
  edit(scope: Scope, id: string, patch: UserInput, opts: { createIfMissing: boolean }): Promise<User>;
  /**
   * Removes the account with its websites, installs, backups, templates and tasks from the database (sites,
   * databases and archives stay; logs stay). Its accounts move up to its parent. Neither the main admin nor
   * the acting account itself may be deleted. With dryrun only counts.
   */
  delete(scope: Scope, id: string, opts: { dryrun: boolean }): Promise<UserDeleteResult>;
  /**
   * v1's implicit "user + websites on any request" (spec §4.7): creates the account when missing, replaces
   * its websites when given and different, and does nothing (no write, no log) when nothing changed.
   * Call it with the key holder's scope before resolving `user`.
   */
  upsertImplicit(scope: Scope, id: string, websites?: WebsiteInput[]): Promise<User>;
  /** Maps an install URL to the owner's website and directories (see resolveUrlIn). Checks the owner's visibility. */
  resolveUrl(scope: Scope, userId: string, url: string): Promise<ResolvedUrl>;
}

/** Everything in a user write that must never reach a log: website database passwords (URIs are masked anyway). */
function userSecrets(u: Pick<User, 'websites'>): string[] {
  return u.websites.flatMap((w) => w.databases.map((d) => d.pass ?? '')).filter((p) => p !== '');
}

/** The users service. */
export function createUsersService(ctx: EngineContext, deps: { vis: Visibility; logs: LogsService }): UsersService {
  const repo = createUserRepository(ctx.db, ctx.clock, ctx.secrets);
  const { vis, logs } = deps;
  const admin = ctx.settings.admin;

  async function existing(scope: Scope, id: string, errfield = 'id'): Promise<User> {
    const user = await repo.get(id);
    if (!user) throw new EngineError('user_not_found', { errfield });
    await vis.requireUser(scope.actor, id, errfield);
    return user;
  }

  /** Checks a new parent for account `selfId`: a visible reseller (or the main admin, for the admin), no cycle. */
  async function checkParent(actor: Actor, parent: string, selfId: string): Promise<void> {
    if (parent === selfId) throw invalidArgument('parent', 'An account cannot be its own parent.');
    if (parent === admin) {
      if (actor.kind !== 'admin') throw invalidArgument('parent');
      return;
    }
    const account = await vis.accountOf(parent);
    if (!account) throw new EngineError('user_not_found', { errfield: 'parent' });
    if (account.type !== 'reseller') throw invalidArgument('parent', 'The parent must be a reseller.');
    if (!(await vis.canSee(actor, parent))) throw invalidArgument('parent');
    if ((await vis.descendantsOf(selfId)).includes(parent)) throw invalidArgument('parent', 'That parent is one of this account\'s own accounts.');
  }

  const log = (user: User, cmd: string, message: string, meta?: Record<string, unknown>) =>
    logs.write({ user: user.id, cmd, message, meta }, userSecrets(user));

  async function create(scope: Scope, input: UserInput, cmd: string): Promise<User> {
    const id = checkUserId(input.id);
    const { actor } = scope;
    if (actor.kind === 'account' && actor.type === 'user') throw forbiddenUser('A user account cannot create accounts.');
    if (id === admin && actor.kind !== 'admin') throw forbiddenUser('Only the main administrator may create this account.');
    const { changes, websites } = readUserInput(input);
    if (await vis.accountOf(id)) throw new EngineError('user_exists', { errfield: 'id' });
    const parent = changes.parent ?? (actor.kind === 'admin' ? admin : actor.id);
    if (id !== admin || changes.parent !== undefined) await checkParent(actor, parent, id);
    const user: User = {
      id,
      parent: id === admin && changes.parent === undefined ? '' : parent,
      type: changes.type ?? 'user',
      suspended: changes.suspended ?? false,
      locale: changes.locale ?? '',
      email: changes.email ?? '',
      package: changes.package ?? '',
      websites: websites === undefined ? [] : normaliseWebsites(websites, { userId: id, parent, homesRoot: ctx.settings.homesRoot, existing: [] }),
    };
    await repo.insert(user);
    await log(user, cmd, `Created ${user.type} ${id} with ${user.websites.length} website(s).`, { input });
    return user;
  }

  async function edit(scope: Scope, id: string, patch: UserInput, cmd: string): Promise<User> {
    const current = await existing(scope, id);
    if (patch.id !== undefined && patch.id !== id) throw invalidArgument('id', 'The id of an account cannot be changed.');
    const { changes, websites } = readUserInput(patch);
    const { actor } = scope;
    if (id === admin && actor.kind !== 'admin') throw forbiddenUser('Only the main administrator may change this account.');
    const self = actor.kind === 'account' && actor.id === id;
    for (const member of ['type', 'parent', 'suspended'] as const) {
      if (self && changes[member] !== undefined && changes[member] !== current[member]) throw forbiddenUser(`An account cannot change its own ${member}.`);
    }
    if (changes.parent !== undefined && changes.parent !== current.parent) await checkParent(actor, changes.parent, id);
    const next: User = { ...current, ...(changes as UserChanges), id };
    if (websites !== undefined) {
      next.websites = normaliseWebsites(websites, { userId: id, parent: next.parent, homesRoot: ctx.settings.homesRoot, existing: current.websites });
    }
    await repo.update(next);
    const members = Object.keys(changes).concat(websites === undefined ? [] : ['websites']);
    await log(next, cmd, `Changed ${members.join(', ') || 'nothing'} of ${id}.`, { patch });
    return next;
  }

  return {
    async list(scope, q) {
      const owners = await listOwners(vis, admin, scope.actor, q.user, 'view');
      return repo.list(owners, q.q, q);
    },

    get: (scope, id) => existing(scope, id),

    create: (scope, input) => create(scope, input, 'users/create'),

    async edit(scope, id, patch, opts) {
      checkUserId(id);
      if (!(await vis.accountOf(id))) {
        if (!opts.createIfMissing) throw new EngineError('user_not_found', { errfield: 'id' });
        return create(scope, { ...patch, id }, 'users/create');
      }
      return edit(scope, id, patch, 'users/edit');
    },

    async delete(scope, id, opts) {
      const user = await existing(scope, id);
      if (id === admin) throw forbiddenUser('The main administrator account cannot be deleted.');
      if (scope.actor.kind === 'account' && scope.actor.id === id) throw forbiddenUser('An account cannot delete itself.');
      const removed = await repo.countOwned(id);
      if (!opts.dryrun) {
        await repo.removeWithRecords(id, user.parent);
        await log(user, 'users/delete', `Deleted ${user.type} ${id}: ${removed.installs} install(s), ${removed.backups} backup(s), ${removed.templates} template(s), ${removed.tasks} task(s) forgotten.`);
      }
      return { user, dryrun: opts.dryrun, removed };
    },

    async upsertImplicit(scope, id, websites) {
      checkUserId(id);
      const stored = await vis.accountOf(id);
      if (!stored) return create(scope, { id, websites }, 'users/create');
      const current = await existing(scope, id);
      if (websites === undefined) return current;
      const next = normaliseWebsites(websites, { userId: id, parent: current.parent, homesRoot: ctx.settings.homesRoot, existing: current.websites });
      // CASE: v1 clients resend the same websites on every request: no write, no log line.
      if (JSON.stringify(next) === JSON.stringify(current.websites)) return current;
      return edit(scope, id, { websites }, 'users/edit');
    },

    async resolveUrl(scope, userId, url) {
      const user = await existing(scope, userId, 'user');
      return resolveUrlIn(user.websites, url);
    },
  };
}
