/**
 * What a restore decides before its task starts (spec §2.4): which backup and archive, where the files go (the
 * original folder, or a new URL for restore-to), which database receives the tables, and under which prefix.
 */
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { EngineError, invalidArgument, type Backup, type Install } from '@installgate/contracts';
import type { Scope } from '../access/actor';
import type { BackupObject } from '../backups/backup-objects';
import { newRecordId } from '../store/new-record-id';
import type { AppDeps } from './app-deps';
import { givenDatabase, tablePrefix, type InstallRequest } from './install-request';
import type { DbCredentials } from './ports';
import { checkEmpty, checkEmptyOn } from './resolve-target';
import { remoteSiteOf, type InstallSite } from '../sites/install-site';
import { isRemoteHome, publicHome, relativeToHome } from '../sites/site-home';
import { withSite } from '../sites/with-site';
import { recordDb } from './uninstall-application';

/** Parameters of `POST /backups/{id}/restore` and `/restoreto` (v2 names; the install's meaning of each). */
export interface RestoreRequest extends Partial<Pick<InstallRequest, 'url' | 'url_ip' | 'db_host' | 'db_name' | 'db_user' | 'db_pass' | 'db_prefix' | 'db_host_ip'>> {
  /** `manual`: never create the database when it is missing (v1). */
  db?: string;
}

export interface RestorePlan {
  backup: Backup;
  object: BackupObject;
  mode: 'restore' | 'restoreto';
  /** The install the restore (re)creates: the backed-up one in place, a new id for restore-to. */
  installId: string;
  /** The live install at the target (in place, when it still exists). */
  live: Install | null;
  url: string;
  domain: string;
  /** The install folder as its record's `path` says it: a path here, or the website URI (no password) + folder. */
  dir: string;
  /** The website on another server the files go to (null: `dir` is on this server). */
  remote: InstallSite | null;
  owner: string;
  /** Database to restore into, when known before the task (given, or the live/backed-up one); null = create one. */
  db: DbCredentials | null;
  /** Whether `db` came from the caller. */
  dbGiven: boolean;
  /** v1 `db=manual`: never create a database. */
  manual: boolean;
  usesDb: boolean;
  prefix: string;
  /** Prefix the tables are loaded under before the swap. */
  tempPrefix: string;
}

/** The backup's tables must all carry its prefix: they are loaded under a temporary one, then renamed. */
function checkTables(backup: Backup): void {
  const odd = backup.tables.filter((t) => !t.startsWith(backup.db_prefix) || backup.db_prefix === '');
  if (odd.length > 0) {
    throw new EngineError('failed_backup_format', { message: `This backup holds tables without its table prefix (${odd.slice(0, 3).join(', ')}); it cannot be restored beside a live site.`, details: { reason: 'tables' } });
  }
}

/** The website on another server a restore-to URL resolved to, or null for a folder on this server. */
function remoteTargetOf(resolved: { website: InstallSite['website']; path: string }): InstallSite | null {
  if (!isRemoteHome(resolved.website.path)) {
    if (!path.isAbsolute(resolved.path)) throw new EngineError('invalid_argument_url', { errfield: 'url', message: 'The folder of this URL is not an absolute path.' });
    return null;
  }
  const rel = relativeToHome(resolved.website.path, resolved.path);
  if (rel === null) throw new EngineError('internal_error', { message: 'the restore folder is not below its website home' });
  return { website: resolved.website, home: resolved.website.path, rel };
}

/** Input checks and target of a restore (dryrun=input stops after this). */
export async function planRestore(deps: AppDeps, scope: Scope, id: string, req: RestoreRequest, mode: 'restore' | 'restoreto'): Promise<RestorePlan> {
  const backup = await deps.backups.get(scope, id);
  const object = await deps.backupObjects.get(id);
  if (!object) throw new EngineError('backup_not_found', { errfield: 'id', message: 'This backup has no archive recorded at any location.' });
  if (req.db !== undefined && req.db !== '' && req.db !== 'manual') throw invalidArgument('db', 'db is manual or empty.');
  const usesDb = backup.db_name !== '' || backup.tables.length > 0;
  if (usesDb) checkTables(backup);
  const prefix = usesDb ? tablePrefix(req, backup.db_prefix) : '';
  const given = usesDb ? givenDatabase(req, prefix) : null;
  const tempPrefix = `igr${randomBytes(3).toString('hex')}_`;

  if (mode === 'restoreto' || (req.url !== undefined && req.url !== '')) {
    if (!req.url) throw new EngineError('empty_argument_url', { errfield: 'url' });
    const resolved = await deps.users.resolveUrl(scope, backup.user, req.url);
    const remote = remoteTargetOf(resolved);
    const dir = remote ? publicHome(resolved.path) : path.resolve(resolved.path);
    if (remote) await withSite(deps, remote.home, (site) => checkEmptyOn(site, remote.rel));
    else await checkEmpty(dir);
    if (usesDb && !given && !deps.dbServer) throw new EngineError('empty_argument_db_name', { errfield: 'db_name', message: 'No database server is configured: give db_host, db_name, db_user and db_pass.' });
    return { backup, object, mode: 'restoreto', installId: newRecordId(), live: null, url: req.url, domain: resolved.domain, dir, remote, owner: backup.user, db: given, dbGiven: given !== null, manual: req.db === 'manual', usesDb, prefix, tempPrefix };
  }

  const live = (await deps.installsRepo.get(backup.backup_install)) ?? null;
  const current = live ? recordDb(live) : null;
  const recorded = recordDb(backup);
  // In place: the caller's database, else the live install's, else the one the backup was made from.
  const db = given ?? (current ? { ...current, db_prefix: prefix } : recorded ? { ...recorded, db_prefix: prefix } : null);
  // In place means where the install is now: it may have moved since the backup (its data is relocated then).
  const where = live ?? backup;
  // On another server: the owner's website that covers the folder now gives the connection (and its password).
  const remote = await remoteSiteOf(deps, { user: backup.user, path: where.path });
  return {
    backup, object, mode: 'restore', installId: backup.backup_install, live, url: where.url, domain: where.url_domain,
    dir: remote ? where.path : path.resolve(where.path), remote, owner: backup.user, db: usesDb ? db : null, dbGiven: given !== null, manual: req.db === 'manual', usesDb, prefix, tempPrefix,
  };
}
