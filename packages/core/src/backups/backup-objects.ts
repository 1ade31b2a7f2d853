import type { Knex } from 'knex';

/** Where one backup's archive is stored (table `backup_objects`; may hold credentials: never render it). */
export interface BackupObject {
  backup_id: string;
  /** `local`, a backup-location id, or a location URI (with credentials). */
  location_ref: string;
  /** Absolute account folder of a `local` backup; '' otherwise. */
  local_root: string;
  object_key: string;
  size: number;
  sha256: string;
  /** The task that wrote (or is writing) the archive. */
  task_id: string;
}

/** The `backup_objects` table. */
export function createBackupObjects(db: Knex) {
  return {
    async get(backupId: string): Promise<BackupObject | null> {
      const row = (await db('backup_objects').where({ backup_id: backupId }).first()) as BackupObject | undefined;
      return row ? { ...row, size: Number(row.size) } : null;
    },
    async insert(row: BackupObject, trx?: Knex.Transaction): Promise<void> {
      await (trx ?? db)('backup_objects').insert(row);
    },
    /** Records the finished archive's size and checksum. */
    async finish(backupId: string, done: { size: number; sha256: string }, trx?: Knex.Transaction): Promise<void> {
      await (trx ?? db)('backup_objects').where({ backup_id: backupId }).update(done);
    },
    /** Rows without a backup record: archives whose upload did not finish (or is still going). */
    async orphans(): Promise<BackupObject[]> {
      const rows = (await db('backup_objects').leftJoin('backups', 'backups.id', 'backup_objects.backup_id').whereNull('backups.id').select('backup_objects.*')) as BackupObject[];
      return rows.map((r) => ({ ...r, size: Number(r.size) }));
    },
    async remove(backupId: string, trx?: Knex.Transaction): Promise<void> {
      await (trx ?? db)('backup_objects').where({ backup_id: backupId }).delete();
    },
    /** Backup ids already recorded for these keys at this location (import skips them). */
    async idsAt(locationRef: string, localRoot: string, keys: string[]): Promise<Map<string, string>> {
      const out = new Map<string, string>();
      for (let i = 0; i < keys.length; i += 500) {
        const rows = (await db('backup_objects')
          .where({ location_ref: locationRef, local_root: localRoot })
          .whereIn('object_key', keys.slice(i, i + 500))
          .select('backup_id', 'object_key')) as { backup_id: string; object_key: string }[];
        for (const r of rows) out.set(r.object_key, r.backup_id);
      }
      return out;
    },
  };
}

export type BackupObjectsRepo = ReturnType<typeof createBackupObjects>;
