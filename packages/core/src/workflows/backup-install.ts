import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { PassThrough } from 'node:stream';
import type { Knex } from 'knex';
import { EngineError, type Backup, type Install, type User } from '@installgate/contracts';
import type { Scope } from '../access/actor';
import { archiveFileName, packArchive, sitePackSource } from '../archive';
import { expiresAt, type BackupEdit } from '../backups/backups-service';
import { backupRootOf, localBackupFolders, openLocation, resolveLocation, type ResolvedLocation } from '../backups/backup-location';
import { storageFailure } from '../backups/storage-failure';
import { dumpDatabase } from '../dumps';
import { newRecordId } from '../store/new-record-id';
import type { AppDeps, RunOptions } from './app-deps';
import type { OperationResult } from './install-application';
import { recordDb } from './uninstall-application';
import { currentContents, type SiteFolder } from './install-contents';
import { remoteSiteOf } from '../sites/install-site';
import { withSite } from '../sites/with-site';
import type { RunningTask } from '../tasks/task-runner';

/** `POST /installs/{id}/backup` (v1 `backup`): where the archive goes and how long it is kept. */
export interface BackupRequest {
  expiry?: BackupEdit['expiry'];
  backup_note?: string;
  /** Overrides the install's `bkloc` for this backup. */
  bkloc?: string;
}

/** Written in the transaction that records a backup (the scheduler notes the kinds of an automatic one). */
export type AlsoRecord = (backup: Backup, trx: Knex.Transaction) => Promise<void>;

/**
 * A backup the scheduler takes. Nobody waits on it, so every failure (also of the checks that otherwise answer the
 * caller before a task exists) is a failed task and an activity-log entry.
 */
export interface ScheduledBackup {
  alsoRecord: AlsoRecord;
  /** Called when the backup's task runs: a failure before that left no task, and the scheduler records one. */
  taskStarted(): void;
}

/**
 * The account folder `local` means for an install: its website's `path_backups` (on the website's own server when
 * the website is on another one), else the owner's first one.
 */
export async function localRootFor(deps: AppDeps, owner: User, install: Pick<Install, 'url'>): Promise<string | null> {
  try {
    const resolved = await deps.users.resolveUrl({ actor: { kind: 'admin' } }, owner.id, install.url);
    const own = backupRootOf(resolved.website);
    if (own) return own;
  } catch {
    // the website that served the install is gone: fall back to the account's other folders
  }
  return localBackupFolders(owner)[0] ?? null;
}

/** A key that does not exist at the location yet: the spec's name, or with `-2`, `-3`… before `.tar.gz`. */
async function freeKey(exists: (key: string) => Promise<boolean>, name: string): Promise<string> {
  if (!(await exists(name))) return name;
  const base = name.replace(/\.tar\.gz$/, '');
  for (let n = 2; n < 1000; n++) if (!(await exists(`${base}-${n}.tar.gz`))) return `${base}-${n}.tar.gz`;
  return `${base}-${randomBytes(4).toString('hex')}.tar.gz`;
}

/** Checks the install can be read: its folder exists (here, or on its website's server) and its database answers. */
export async function checkSource(deps: AppDeps, install: Install): Promise<void> {
  const remote = await remoteSiteOf(deps, install);
  const there = remote ? await withSite(deps, remote.home, async (site) => (await site.stat(remote.rel))?.type === 'dir') : fs.existsSync(install.path);
  if (!there) throw new EngineError('failed_filesystem_directory', { message: `The folder of this install (${install.path}) no longer exists.` });
  const db = recordDb(install);
  if (db) await deps.runtime.database.checkCredentials(db);
}

interface BackupMeta {
  note: string;
  /** backup_expires (0 = kept until deleted), unless `expiry` is given. */
  expires: number;
  /** Counted from the archive's own backup_time, so that backup_expires - backup_time is exactly what was asked. */
  expiry?: BackupEdit['expiry'];
  alsoRecord?: AlsoRecord;
}

/**
 * Writes the archive of `install` to the location and records it. The archive streams straight to the location
 * under a temporary name that is published only when complete; the record is written after that, so a cut-off
 * backup is never listed. The files of an install on another server stream from its website's connection (open
 * for the duration of the backup), the dump comes from its database as for any install.
 */
export async function writeBackup(deps: AppDeps, install: Install, loc: ResolvedLocation, meta: BackupMeta, t: RunningTask): Promise<Backup> {
  const remote = await remoteSiteOf(deps, install);
  if (!remote) return writeArchive(deps, install, null, loc, meta, t);
  return withSite(deps, remote.home, (site) => writeArchive(deps, install, { site, rel: remote.rel }, loc, meta, t));
}

async function writeArchive(deps: AppDeps, install: Install, on: SiteFolder | null, loc: ResolvedLocation, meta: BackupMeta, t: RunningTask): Promise<Backup> {
  const progress = t.progress;
  const now = deps.clock();
  const backend = await openLocation(deps, loc.ref, loc.localRoot, loc.label, install.user);
  try {
    const exists = async (k: string) => (await backend.stat(k)) !== null;
    const key = await freeKey(exists, archiveFileName(install.url_domain, install.title, new Date(now * 1000))).catch((e) => { throw storageFailure(e, loc.label); });
    const contents = await currentContents(deps, install, loc.ref === 'local' ? loc.localRoot : null, on);
    const record: Backup = {
      ...install, ...contents, id: newRecordId(), backup_install: install.id, backup_filename: key, backup_location: loc.label,
      backup_note: meta.note, backup_time: now, backup_expires: meta.expiry === undefined ? meta.expires : expiresAt(meta.expiry, now),
    };
    // Recorded before the first byte goes out: a server killed before the record is written leaves a row whose
    // archive is removed on the next start (clean-orphan-archives), never an unlisted archive under a final name.
    await deps.backupObjects.insert({ backup_id: record.id, location_ref: loc.ref, local_root: loc.localRoot, object_key: key, size: 0, sha256: '', task_id: t.task.id });
    await progress('_tasks_shared_copyingfiles', 5, 90);
    const ac = new AbortController();
    const body = new PassThrough({ highWaterMark: 1 << 20 });
    const db = recordDb(install);
    const putting = backend.put(key, body, { signal: ac.signal });
    // A location that gives up (full, refused) stops the archive at once: nothing would read the rest.
    putting.catch(() => ac.abort());
    let packed;
    try {
      packed = await packArchive({
        ...(on ? { source: sitePackSource(on.site, on.rel) } : { dir: install.path }), files: contents.files, exclude: install.exclude_files, out: body, signal: ac.signal,
        meta: { record, createdBy: `installgate/${deps.agent}` },
        dumpSql: db ? () => {
          const sql = new PassThrough({ highWaterMark: 1 << 20 });
          dumpDatabase(db, contents.tables, sql, { signal: ac.signal }).catch((e: unknown) => { if (!sql.destroyed) sql.destroy(e as Error); });
          return sql;
        } : undefined,
      });
      await putting;
    } catch (e) {
      ac.abort();
      await putting.catch(() => undefined);
      // The packer's own error says more than the aborted upload's.
      const put = await putting.then(() => null, (err: unknown) => err);
      await deps.backupObjects.remove(record.id).catch(() => undefined);
      throw e instanceof EngineError ? e : storageFailure(put ?? e, loc.label);
    }
    await progress('_tasks_shared_finishing', 90, 100);
    await deps.db.transaction(async (trx) => {
      await deps.backupObjects.finish(record.id, { size: packed.bytes, sha256: packed.sha256 }, trx);
      await deps.backupsRepo.insert(record, trx);
      if (meta.alsoRecord) await meta.alsoRecord(record, trx);
      // The install's lists follow what the site holds now (the lock of this task is held).
      const fresh = await deps.installsRepo.get(install.id, trx);
      if (fresh) await deps.installsRepo.replace({ ...fresh, ...contents }, trx);
    }).catch(async (e: unknown) => {
      await backend.remove(key).catch(() => undefined);
      await deps.backupObjects.remove(record.id).catch(() => undefined);
      throw e;
    });
    return record;
  } finally {
    await backend.close().catch(() => undefined);
  }
}

/**
 * A backup of `install` at its own backup location, taken inside another task that already holds the install's
 * lock (sync backs up its target first: no backup, no sync). Kept until deleted.
 */
export async function backupWithinTask(deps: AppDeps, scope: Scope, install: Install, note: string, t: RunningTask): Promise<Backup> {
  const owner = await deps.users.get(scope, install.user);
  const loc = await resolveLocation(deps, scope.actor, install.bkloc || 'local', await localRootFor(deps, owner, install));
  return writeBackup(deps, install, loc, { note, expires: 0 }, t);
}

/**
 * Backs up an install (spec §2.2, v1 `backup`): files, database dump and record in one archive at the install's
 * backup location (or `bkloc`). Dry runs check the input (`input`) and also the folder, the database and the
 * location (`all`). Answers the new backup record (a task when backgrounded).
 */
export async function backupInstall(deps: AppDeps, scope: Scope, id: string, req: BackupRequest, opts: RunOptions, scheduled?: ScheduledBackup): Promise<OperationResult<Backup>> {
  const install = await deps.installs.get(scope, id);
  if (install.incomplete) throw new EngineError('install_busy', { errfield: 'id', message: 'This install is incomplete (an install or restore did not finish); it cannot be backed up.' });
  const expires = expiresAt(req.expiry ?? 'never', deps.clock());
  if (req.backup_note !== undefined && req.backup_note.length > 4096) throw new EngineError('invalid_argument_backup_note', { errfield: 'backup_note' });
  const owner = await deps.users.get(scope, install.user);
  const loc = await resolveLocation(deps, scope.actor, req.bkloc ?? install.bkloc ?? 'local', await localRootFor(deps, owner, install));
  if (opts.dryrun === 'input') return { data: null, dryrun: true };
  const preflight = async () => {
    await checkSource(deps, install);
    await (await openLocation(deps, loc.ref, loc.localRoot, loc.label, install.user)).close();
  };
  const preflightInTask = opts.background === 'quick' || scheduled !== undefined;
  if (opts.dryrun === 'all' || !preflightInTask) await preflight();
  if (opts.dryrun === 'all') return { data: null, dryrun: true };
  const secrets = [install.db_pass].filter((s) => s !== '');
  const entry = { user: install.user, cmd: 'installs/backup', install: id, url: install.url, title: install.title, backup_location: loc.label };
  const { task, result } = await deps.runner.run({
    cmd: 'installs/backup', user: install.user, installId: id, url: install.url, title: install.title, label: '_tasks_backuping',
    payload: { install: id, location: loc.label }, lockInstall: id, secrets,
  }, async (t) => {
    try {
      scheduled?.taskStarted();
      if (preflightInTask) await preflight();
      const backup = await writeBackup(deps, install, loc, { note: req.backup_note ?? '', expires, expiry: req.expiry ?? 'never', alsoRecord: scheduled?.alsoRecord }, t);
      await deps.logs.write({ ...entry, message: `Backed up ${install.title} to ${loc.label} as ${backup.backup_filename}.` }, secrets);
      return backup;
    } catch (e) {
      const err = e instanceof EngineError ? e : new EngineError('internal_error', { cause: e });
      await deps.logs.write({ ...entry, severity: 'error', message: `Backing up ${install.title} failed: ${err.message}` }, secrets);
      throw e;
    }
  }, { background: opts.background !== false });
  return { data: result ?? null, task };
}
