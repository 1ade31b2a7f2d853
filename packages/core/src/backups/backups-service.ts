import { EngineError, invalidArgument, type Backup, type ListPage } from '@installgate/contracts';
import type { EngineContext } from '../engine-context';
import type { Scope } from '../access/actor';
import type { Visibility } from '../access/visibility';
import { listOwners } from '../access/list-owners';
import type { LogsService } from '../logs/logs-service';
import type { PageRequest } from '../store/paginate';
import { installSecrets } from '../installs/installs-service';
import { createBackupRepository } from './backup-repository';

/** `GET /backups` parameters (spec §2.4), v2 names. */
export interface BackupListQuery extends PageRequest {
  user?: string;
  q?: string;
  /** Only backups of this install (v1 `pid`). */
  pid?: string;
  id?: string;
  filter_ownedaccounts?: boolean;
}

/** `POST /backups/{id}` (spec §2.4 [R]): a note and/or a new expiry. */
export interface BackupEdit {
  backup_note?: string;
  /** `never` (0), `auto` (AUTO_EXPIRY_DAYS from now) or a number of days from now (0 = never). */
  expiry?: 'never' | 'auto' | number;
}

/** The admin rule behind `expiry=auto` (spec §5.1: default 14 days). */
export const AUTO_EXPIRY_DAYS = 14;
const DAY = 24 * 3600;
/** Longest note kept; notes are for people, not payloads. */
const MAX_NOTE = 4096;

/** Backup records: reads and the note/expiry edit. Creating, restoring and deleting archives are tasks. */
export interface BackupsService {
  /** Backups in the scope (same owner rules as installs), newest first; `q` also searches filename and note. */
  list(scope: Scope, q: BackupListQuery): Promise<ListPage<Backup>>;
  /** One backup. Throws backup_not_found, or invalid_argument_user when the owner is out of reach. */
  get(scope: Scope, id: string): Promise<Backup>;
  /** Stores a new record (repository level). */
  insert(backup: Backup): Promise<Backup>;
  /** Changes the note and/or the expiry (backup_expires). Returns the new record. */
  edit(scope: Scope, id: string, patch: BackupEdit): Promise<Backup>;
}

/** Unix time a backup expires for an `expiry` value, 0 = never. Throws invalid_argument_expiry. */
export function expiresAt(expiry: BackupEdit['expiry'], now: number): number {
  if (expiry === 'never') return 0;
  if (expiry === 'auto') return now + AUTO_EXPIRY_DAYS * DAY;
  if (typeof expiry === 'number' && Number.isInteger(expiry) && expiry >= 0 && expiry <= 36500) return expiry === 0 ? 0 : now + expiry * DAY;
  throw invalidArgument('expiry', 'expiry must be never, auto or a whole number of days.');
}

/** The backups service. */
export function createBackupsService(ctx: EngineContext, deps: { vis: Visibility; logs: LogsService }): BackupsService {
  const repo = createBackupRepository(ctx.db, ctx.secrets);
  const { vis, logs } = deps;

  async function visible(scope: Scope, id: string): Promise<Backup> {
    const backup = await repo.get(id);
    if (!backup) throw new EngineError('backup_not_found', { errfield: 'id' });
    await vis.requireOwner(scope.actor, backup.user);
    return backup;
  }

  return {
    async list(scope, q) {
      const owners = await listOwners(vis, ctx.settings.admin, scope.actor, q.user, q.filter_ownedaccounts ? 'owned' : 'own');
      return repo.list({ owners, q: q.q, id: q.id, pid: q.pid }, q);
    },

    get: visible,

    insert: (backup) => repo.insert(backup),

    async edit(scope, id, patch) {
      for (const member of Object.keys(patch)) {
        if (member !== 'backup_note' && member !== 'expiry' && patch[member as keyof BackupEdit] !== undefined) throw invalidArgument(member);
      }
      if (patch.backup_note !== undefined && (typeof patch.backup_note !== 'string' || patch.backup_note.length > MAX_NOTE)) {
        throw invalidArgument('backup_note');
      }
      const expires = patch.expiry === undefined ? undefined : expiresAt(patch.expiry, ctx.clock());
      const current = await visible(scope, id);
      const next: Backup = { ...current };
      if (patch.backup_note !== undefined) next.backup_note = patch.backup_note;
      if (expires !== undefined) next.backup_expires = expires;
      await repo.replace(next);
      const changed = [patch.backup_note !== undefined ? 'note' : '', patch.expiry !== undefined ? `expiry (${patch.expiry})` : ''].filter(Boolean);
      await logs.write(
        { user: next.user, cmd: 'backups/edit', install: next.backup_install, url: next.url, title: next.title, backup_location: next.backup_location, message: `Changed ${changed.join(' and ') || 'nothing'} of backup ${next.backup_filename || next.id}.` },
        installSecrets(next),
      );
      return next;
    },
  };
}
