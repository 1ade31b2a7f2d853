import { openLocation } from '../backups/backup-location';
import { STATUS } from '../tasks/task-states';
import type { AppDeps } from './app-deps';

/** Task states in which the writing task may still publish its archive. */
const LIVE = new Set<string>([STATUS.queued, STATUS.processing]);

/**
 * Removes archives whose backup never got its record: the upload was cut off (server killed, crash) after the
 * archive row was written. Only the recorded key is removed; rows whose task still runs are left alone, and a
 * location that cannot be reached keeps its row for the next pass. Returns how many archives were cleaned.
 */
export async function cleanOrphanArchives(deps: AppDeps): Promise<number> {
  let cleaned = 0;
  for (const row of await deps.backupObjects.orphans()) {
    const task = row.task_id ? await deps.db('tasks').where({ id: row.task_id }).first('status', 'user') as { status?: string; user?: string } | undefined : undefined;
    if (task?.status && LIVE.has(task.status)) continue;
    try {
      const backend = await openLocation(deps, row.location_ref, row.local_root, 'of an unfinished backup', task?.user ?? '');
      try {
        await backend.remove(row.object_key);
      } finally {
        await backend.close().catch(() => undefined);
      }
      await deps.backupObjects.remove(row.backup_id);
      cleaned++;
    } catch (e) {
      deps.logger.warn('could not remove the archive of an unfinished backup; will retry', { backup: row.backup_id, detail: String(e) });
    }
  }
  return cleaned;
}
