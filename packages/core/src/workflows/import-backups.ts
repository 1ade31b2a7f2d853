/**
 * `POST /backups/import` (v2: scan a location) and v1 `importbackup` (one archive at `path` in the user's account):
 * registers archives made by Installgate/Installatron (first entry APP-META.INI) as backups of the user, so they
 * can be restored. Only the archive's head is downloaded. Archives already registered at that location are
 * counted as existing; archives that cannot be read or are not backups are skipped (spec §2.4).
 */
import * as path from 'node:path';
import { EngineError, invalidArgument, type Backup, type User } from '@installgate/contracts';
import type { ObjectInfo, StorageBackend } from '@installgate/storage';
import type { Scope } from '../access/actor';
import { readArchiveMeta } from '../archive';
import { accountBackupRoots, openLocation, resolveLocation, type ResolvedLocation } from '../backups/backup-location';
import { storageFailure } from '../backups/storage-failure';
import { newRecordId } from '../store/new-record-id';
import type { AppDeps, RunOptions } from './app-deps';
import type { OperationResult } from './install-application';

export interface ImportBackupsRequest {
  bkloc?: string;
  /** v1: one archive, relative to the user's (first website's) path. */
  path?: string;
}

export interface ImportBackupsResult extends OperationResult<Backup[]> {
  message?: string;
}

interface Counts { imported: Backup[]; existing: number; skipped: number; firstError: EngineError | null }

const ARCHIVE = /\.tar\.gz$|\.tgz$/i;

/** The account whose backups are imported: the caller's account, or (admin) the one named by `user`. */
async function ownerOf(deps: AppDeps, scope: Scope): Promise<User> {
  if (scope.actor.kind !== 'account') throw new EngineError('empty_argument_user', { errfield: 'user', message: 'Name the user whose backups are imported (user).' });
  return deps.users.get(scope, scope.actor.id);
}

/** The locations to scan: one, or for `local` every backup folder of the account. */
async function locationsFor(deps: AppDeps, scope: Scope, owner: User, req: ImportBackupsRequest): Promise<{ loc: ResolvedLocation; keys?: string[] }[]> {
  if (req.path !== undefined) {
    const rel = path.posix.normalize(req.path.replace(/\\/g, '/')).replace(/^\/+/, '');
    if (!rel || rel === '.' || rel.startsWith('../') || rel === '..' || !ARCHIVE.test(rel)) throw invalidArgument('path', 'path must name a .tar.gz archive inside the user\'s account.');
    const home = owner.websites.map((w) => w.path).find((p) => p && !p.includes('://') && path.isAbsolute(p));
    if (!home) throw invalidArgument('path', 'The user has no local website path to read the archive from.');
    return [{ loc: { label: 'local', ref: 'local', localRoot: home }, keys: [rel] }];
  }
  const bkloc = req.bkloc ?? 'local';
  if (bkloc.trim() === '') throw new EngineError('invalid_argument_bkloc', { errfield: 'bkloc', message: 'bkloc is empty.' });
  if (bkloc === 'local') {
    // Every website's own folder, also those kept on a website's own server.
    const folders = accountBackupRoots(owner);
    if (folders.length === 0) throw new EngineError('invalid_argument_bkloc', { errfield: 'bkloc', message: 'This user has no local backup folder.' });
    return folders.map((f) => ({ loc: { label: 'local', ref: 'local', localRoot: f } }));
  }
  return [{ loc: await resolveLocation(deps, scope.actor, bkloc, null) }];
}

async function listArchives(backend: StorageBackend, label: string): Promise<ObjectInfo[]> {
  const out: ObjectInfo[] = [];
  try {
    for await (const o of backend.list('')) if (ARCHIVE.test(o.key)) out.push(o);
  } catch (e) {
    throw storageFailure(e, label);
  }
  return out.sort((a, b) => a.key.localeCompare(b.key));
}

/** Reads one archive's head and registers it; returns the new record, or throws why it was skipped. */
async function importOne(deps: AppDeps, owner: User, loc: ResolvedLocation, backend: StorageBackend, obj: ObjectInfo): Promise<Backup> {
  let meta;
  try {
    meta = await readArchiveMeta(await backend.get(obj.key));
  } catch (e) {
    if (e instanceof EngineError) throw e;
    throw new EngineError('failed_backup_download', { message: `The head of ${obj.key} could not be downloaded from ${loc.label}: ${(e as Error).message}`, cause: e });
  }
  const r = meta.record as Partial<Backup>;
  if (typeof r.application !== 'string' || r.application === '') throw new EngineError('failed_backup_owner', { message: `${obj.key} does not say which application it holds.` });
  const id = r.id && !(await deps.backupsRepo.get(r.id)) && meta.kind === 'backup' ? r.id : newRecordId();
  const record: Backup = {
    ...(meta.record as Backup),
    id, user: owner.id, db_pass: '',
    backup_install: meta.kind === 'backup' ? (r.backup_install ?? r.id ?? '') : (r.id ?? ''),
    backup_filename: path.posix.basename(obj.key), backup_location: loc.label,
    backup_note: r.backup_note ?? '', backup_time: r.backup_time ?? Math.floor(obj.mtime.getTime() / 1000), backup_expires: 0,
  };
  await deps.db.transaction(async (trx) => {
    await deps.backupObjects.insert({ backup_id: id, location_ref: loc.ref, local_root: loc.localRoot, object_key: obj.key, size: obj.size, sha256: '', task_id: '' }, trx);
    await deps.backupsRepo.insert(record, trx);
  });
  return record;
}

async function scan(deps: AppDeps, owner: User, target: { loc: ResolvedLocation; keys?: string[] }, counts: Counts): Promise<void> {
  const { loc } = target;
  const backend = await openLocation(deps, loc.ref, loc.localRoot, loc.label, owner.id);
  try {
    let objects: ObjectInfo[];
    if (target.keys) {
      objects = [];
      for (const key of target.keys) {
        const st = await backend.stat(key).catch((e: unknown) => { throw storageFailure(e, loc.label); });
        if (!st) throw new EngineError('backup_not_found', { errfield: 'path', message: `There is no archive at ${key}.` });
        objects.push(st);
      }
    } else objects = await listArchives(backend, loc.label);
    const known = await deps.backupObjects.idsAt(loc.ref, loc.localRoot, objects.map((o) => o.key));
    for (const obj of objects) {
      if (known.has(obj.key)) {
        counts.existing++;
        continue;
      }
      try {
        counts.imported.push(await importOne(deps, owner, loc, backend, obj));
      } catch (e) {
        counts.skipped++;
        counts.firstError ??= e instanceof EngineError ? e : new EngineError('internal_error', { cause: e });
        deps.logger.warn('backup import skipped an archive', { key: obj.key, errcode: counts.firstError.errcode });
      }
    }
  } finally {
    await backend.close().catch(() => undefined);
  }
}

/** Imports the archives; answers the new records and the summary message of the seed page. */
export async function importBackups(deps: AppDeps, scope: Scope, req: ImportBackupsRequest, opts: RunOptions): Promise<ImportBackupsResult> {
  const owner = await ownerOf(deps, scope);
  const targets = await locationsFor(deps, scope, owner, req);
  if (opts.dryrun === 'input') return { data: null, dryrun: true };
  if (opts.dryrun === 'all') {
    for (const t of targets) await (await openLocation(deps, t.loc.ref, t.loc.localRoot, t.loc.label, owner.id)).close();
    return { data: null, dryrun: true };
  }
  const counts: Counts = { imported: [], existing: 0, skipped: 0, firstError: null };
  const { task } = await deps.runner.run({
    cmd: 'backups/import', user: owner.id, label: '_tasks_importing', payload: { location: targets[0]?.loc.label ?? '' },
  }, async () => {
    for (const t of targets) await scan(deps, owner, t, counts);
    const total = counts.imported.length + counts.existing + counts.skipped;
    if (total === 0) throw new EngineError('invalid_argument_bkloc_empty', { errfield: 'bkloc' });
    // Nothing could be imported and something failed: that failure is the answer (one archive, v1 path, …).
    if (counts.imported.length === 0 && counts.existing === 0 && counts.firstError) throw counts.firstError;
    await deps.logs.write({ user: owner.id, cmd: 'backups/import', backup_location: targets[0]?.loc.label ?? '', message: summary(counts) });
  }, { background: opts.background !== false });
  if (opts.background !== false) return { data: null, task };
  return { data: counts.imported, task, message: summary(counts) };
}

function summary(c: Counts): string {
  const n = (k: number, one: string, many: string) => `${k} ${k === 1 ? one : many}`;
  return `${n(c.imported.length, 'backup imported', 'backups imported')}, ${n(c.existing, 'already exists', 'already exist')}, ${c.skipped} skipped.`;
}
