import type { Knex } from 'knex';
import type { SecretBox } from '../secrets/secret-box';
import { openColumn, SEALED_COLUMNS, sealColumn } from '../secrets/stored-secrets';

const REF = SEALED_COLUMNS.objectLocation;

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

/**
 * The `backup_objects` table. A `location_ref` that is a URI is stored sealed (it holds the location's
 * credentials), so it is compared after opening, never in SQL.
 */
export function createBackupObjects(db: Knex, box: SecretBox) {
  const fromRow = (row: BackupObject): BackupObject => ({ ...row, location_ref: openColumn(REF, row.backup_id, row.location_ref, box), size: Number(row.size) });
  return {
    async get(backupId: string): Promise<BackupObject | null> {
      const row = (await db('backup_objects').where({ backup_id: backupId }).first()) as BackupObject | undefined;
      return row ? fromRow(row) : null;
    },
    async insert(row: BackupObject, trx?: Knex.Transaction): Promise<void> {
      await (trx ?? db)('backup_objects').insert({ ...row, location_ref: sealColumn(REF, row.backup_id, row.location_ref, box.seal) });
    },
    /** Records the finished archive's size and checksum. */
    async finish(backupId: string, done: { size: number; sha256: string }, trx?: Knex.Transaction): Promise<void> {
      await (trx ?? db)('backup_objects').where({ backup_id: backupId }).update(done);
    },
    /** Rows without a backup record: archives whose upload did not finish (or is still going). */
    async orphans(): Promise<BackupObject[]> {
      const rows = (await db('backup_objects').leftJoin('backups', 'backups.id', 'backup_objects.backup_id').whereNull('backups.id').select('backup_objects.*')) as BackupObject[];
      return rows.map(fromRow);
    },
    async remove(backupId: string, trx?: Knex.Transaction): Promise<void> {
      await (trx ?? db)('backup_objects').where({ backup_id: backupId }).delete();
    },
    /** Backup ids already recorded for these keys at this location (import skips them). */
    async idsAt(locationRef: string, localRoot: string, keys: string[]): Promise<Map<string, string>> {
      const out = new Map<string, string>();
      for (let i = 0; i < keys.length; i += 500) {
        const rows = (await db('backup_objects')
          .where({ local_root: localRoot })
          .whereIn('object_key', keys.slice(i, i + 500))
          .select('backup_id', 'object_key', 'location_ref')) as Pick<BackupObject, 'backup_id' | 'object_key' | 'location_ref'>[];
        // The location is compared opened: a sealed URI differs from its plain text, and from itself sealed again.
        for (const r of rows) if (openColumn(REF, r.backup_id, r.location_ref, box) === locationRef) out.set(r.object_key, r.backup_id);
      }
      return out;
    },
  };
}

export type BackupObjectsRepo = ReturnType<typeof createBackupObjects>;
