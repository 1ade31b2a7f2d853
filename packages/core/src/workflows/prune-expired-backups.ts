import { ADMIN_SCOPE } from '../access/actor';
import type { AppDeps } from './app-deps';
import { deleteBackup } from './delete-backup';

/**
 * Deletes every backup whose `backup_expires` has passed (v1 `expiry`: auto or N days), archive and record, as
 * `DELETE /backups/{id}` does: only the archive the engine recorded for it. A backup whose location cannot be
 * reached stays and is tried again on the next pass. Returns the ids deleted.
 */
export async function pruneExpiredBackups(deps: AppDeps): Promise<string[]> {
  const now = deps.clock();
  const due = (await deps.db('backups').where('backup_expires', '>', 0).andWhere('backup_expires', '<=', now).select('id')) as { id: string }[];
  const deleted: string[] = [];
  for (const { id } of due) {
    try {
      await deleteBackup(deps, ADMIN_SCOPE, id, { background: false, dryrun: 'none', force: false });
      deleted.push(id);
    } catch (e) {
      deps.logger.warn('an expired backup could not be deleted; will retry', { backup: id, detail: e instanceof Error ? e.message : String(e) });
    }
  }
  return deleted;
}
