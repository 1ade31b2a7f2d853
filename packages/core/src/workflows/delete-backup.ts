import { type Backup } from '@installgate/contracts';
import type { Scope } from '../access/actor';
import { openLocation } from '../backups/backup-location';
import { storageFailure } from '../backups/storage-failure';
import type { AppDeps, RunOptions } from './app-deps';
import type { OperationResult } from './install-application';

/**
 * Deletes a backup (spec §2.4, v1 `delete`): the archive the engine recorded for it, then the record. Nothing else
 * at the location is ever removed. `force` removes the record even when the location cannot be reached (the
 * archive then stays where it is, and the log says so).
 */
export async function deleteBackup(deps: AppDeps, scope: Scope, id: string, opts: RunOptions & { force: boolean }): Promise<OperationResult<Backup>> {
  const backup = await deps.backups.get(scope, id);
  const object = await deps.backupObjects.get(id);
  const label = backup.backup_location;
  const check = async () => {
    if (object) await (await openLocation(deps, object.location_ref, object.local_root, label, backup.user)).close();
  };
  if (opts.dryrun === 'input') return { data: backup, dryrun: true };
  if (opts.dryrun === 'all') {
    if (!opts.force) await check();
    return { data: backup, dryrun: true };
  }
  if (opts.background !== 'quick' && !opts.force) await check();
  const entry = { user: backup.user, cmd: 'backups/delete', install: backup.backup_install, url: backup.url, title: backup.title, backup_location: label };
  const { task } = await deps.runner.run({
    cmd: 'backups/delete', user: backup.user, installId: backup.backup_install, url: backup.url, title: backup.title, label: '_tasks_deleting',
    payload: { backup: id },
  }, async () => {
    let problem = '';
    if (object) {
      try {
        const backend = await openLocation(deps, object.location_ref, object.local_root, label, backup.user);
        try {
          await backend.remove(object.object_key).catch((e: unknown) => { throw storageFailure(e, label); });
        } finally {
          await backend.close().catch(() => undefined);
        }
      } catch (e) {
        if (!opts.force) throw e;
        problem = e instanceof Error ? e.message : String(e);
      }
    }
    await deps.db.transaction(async (trx) => {
      await deps.backupObjects.remove(id, trx);
      await deps.backupsRepo.remove(id, trx);
    });
    await deps.logs.write({
      ...entry, severity: problem ? 'error' : 'info',
      message: problem
        ? `Deleted the record of backup ${backup.backup_filename}; its archive could not be removed (force): ${problem}`
        : `Deleted backup ${backup.backup_filename} from ${label}.`,
    });
  }, { background: opts.background !== false });
  return { data: backup, task };
}
