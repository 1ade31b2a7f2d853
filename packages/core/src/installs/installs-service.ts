import { EngineError, type Install, type ListPage } from '@installgate/contracts';
import type { EngineContext } from '../engine-context';
import type { Scope } from '../access/actor';
import type { Visibility } from '../access/visibility';
import { listOwners } from '../access/list-owners';
import type { LogsService } from '../logs/logs-service';
import type { LocationsService } from '../settings/locations';
import type { SchedulesService } from '../settings/schedules';
import type { TasksService } from '../tasks/tasks-service';
import type { PageRequest } from '../store/paginate';
import { createInstallRepository } from './install-repository';
import { AUTOUP_MEMBERS, checkMergedRecord, checkRecordPatch, type InstallRecordPatch } from './install-edit';

/** `GET /installs` parameters (spec §2.2), v2 names, booleans already parsed. */
export interface InstallListQuery extends PageRequest {
  user?: string;
  q?: string;
  id?: string;
  filter_version_available?: boolean;
  filter_version_available_minor?: boolean;
  filter_ownedaccounts?: boolean;
}

/** What detach did. */
export interface DetachResult {
  /** The record as it was before it was forgotten. */
  install: Install;
  backups_forgotten: number;
}

/** Installs: reads and record-only changes. Long operations (install, update, uninstall…) come with the runner. */
export interface InstallsService {
  /**
   * Installs in the scope: the main admin without `user` sees all; otherwise the records of `user` (or of the
   * scope's account), plus those of the accounts it owns with `filter_ownedaccounts`. Oldest first.
   */
  list(scope: Scope, q: InstallListQuery): Promise<ListPage<Install>>;
  /** One install. Throws install_not_found, or invalid_argument_user when the owner is out of reach. */
  get(scope: Scope, id: string): Promise<Install>;
  /** Stores a new record (repository level: no scope, no log). Throws internal_error for a bad record. */
  insert(install: Install): Promise<Install>;
  /**
   * Changes record-only members (see RECORD_ONLY_MEMBERS); omitted members keep their values and nothing else
   * (not even time_updated) changes. Checks autobk_schedule (schedule_not_found) and bkloc
   * (invalid_argument_bkloc); install_busy while a task holds the install. Returns the new record.
   */
  edit(scope: Scope, id: string, patch: InstallRecordPatch): Promise<Install>;
  /** Forgets the install (database only; files and tables stay), optionally with its backup records. */
  detach(scope: Scope, id: string, opts: { delete_backups: boolean }): Promise<DetachResult>;
  /** Forgets every backup record of the install (archives stay). Returns how many. */
  forgetBackups(scope: Scope, id: string): Promise<number>;
}

/** Secrets of an install that must never reach a log: its database password. */
export const installSecrets = (i: Pick<Install, 'db_pass'>): string[] => (i.db_pass ? [i.db_pass] : []);

/** The installs service. */
export function createInstallsService(
  ctx: EngineContext,
  deps: { vis: Visibility; logs: LogsService; locations: LocationsService; schedules: SchedulesService; tasks: TasksService },
): InstallsService {
  const repo = createInstallRepository(ctx.db, ctx.secrets);
  const { vis, logs } = deps;

  async function visible(scope: Scope, id: string): Promise<Install> {
    const install = await repo.get(id);
    if (!install) throw new EngineError('install_not_found', { errfield: 'id' });
    await vis.requireOwner(scope.actor, install.user);
    return install;
  }

  async function notBusy(id: string): Promise<void> {
    const holder = await deps.tasks.installLockHolder(id);
    if (holder !== undefined) throw new EngineError('install_busy', { errfield: 'id', details: { task: holder } });
  }

  const logFor = (i: Install, cmd: string, message: string, meta?: Record<string, unknown>) =>
    logs.write({ user: i.user, cmd, install: i.id, url: i.url, title: i.title, message, meta }, installSecrets(i));

  return {
    async list(scope, q) {
      const owners = await listOwners(vis, ctx.settings.admin, scope.actor, q.user, q.filter_ownedaccounts ? 'owned' : 'own');
      return repo.list(
        { owners, q: q.q, id: q.id, versionAvailable: q.filter_version_available, versionAvailableMinor: q.filter_version_available_minor },
        q,
      );
    },

    get: visible,

    insert: (install) => repo.insert(install),

    async edit(scope, id, patch) {
      const checked = checkRecordPatch(patch as Record<string, unknown>);
      const current = await visible(scope, id);
      // A running task rewrites the record when it ends (install, update, restore): an edit meanwhile would be lost.
      await notBusy(id);
      if (checked.autobk_schedule) await deps.schedules.get(checked.autobk_schedule);
      if (checked.bkloc !== undefined && !(await deps.locations.isUsableBy(scope.actor, checked.bkloc))) {
        throw new EngineError('invalid_argument_bkloc', { errfield: 'bkloc' });
      }
      const next: Install = { ...current, ...checked };
      // The owner looked at the automatic-update settings: automatic updates stopped after 3 failures may try again.
      if (AUTOUP_MEMBERS.some((m) => checked[m] !== undefined)) next.version_autouped_attempts = 0;
      checkMergedRecord(next);
      await repo.replace(next);
      const members = Object.keys(checked);
      await logFor(next, 'installs/edit', `Changed ${members.join(', ') || 'nothing'} of install ${next.title || next.id}.`, { changed: checked });
      return next;
    },

    async detach(scope, id, opts) {
      const install = await visible(scope, id);
      await notBusy(id);
      let backupsForgotten = 0;
      await ctx.db.transaction(async (trx) => {
        if (opts.delete_backups) backupsForgotten = Number(await trx('backups').where({ backup_install: id }).delete());
        // What the engine created for it is no longer the engine's to remove (a later import starts afresh).
        await trx('install_resources').where({ install_id: id }).delete();
        await repo.remove(id, trx);
      });
      await logFor(install, 'installs/detach', `Detached install ${install.title || install.id}${opts.delete_backups ? ` and forgot ${backupsForgotten} backup(s)` : ''}; files and database were left in place.`);
      return { install, backups_forgotten: backupsForgotten };
    },

    async forgetBackups(scope, id) {
      const install = await visible(scope, id);
      const n = Number(await ctx.db('backups').where({ backup_install: id }).delete());
      await logFor(install, 'installs/edit', `Forgot ${n} backup record(s) of install ${install.title || install.id}; archives were left in place.`);
      return n;
    },
  };
}
