import type { Knex } from 'knex';
import type { AutoBackupKind, AutoBackupRow } from '../workflows/auto-backup-rules';

interface StoredRow {
  backup_id: string;
  backup_time: number | string;
  daily: number | boolean;
  weekly: number | boolean;
  monthly: number | boolean;
}

const fromRow = (r: StoredRow): AutoBackupRow => ({
  backup_id: r.backup_id, backup_time: Number(r.backup_time), daily: Boolean(r.daily), weekly: Boolean(r.weekly), monthly: Boolean(r.monthly),
});

/** The `auto_backups` table: the backups the scheduler took and the GFS kinds each still counts as. */
export function createAutoBackupKinds(db: Knex) {
  return {
    /**
     * The automatic backups of an install that still exist. Rows of backups deleted some other way (DELETE
     * /backups/{id}) are removed on the way.
     */
    async list(installId: string): Promise<AutoBackupRow[]> {
      await db('auto_backups').where({ install_id: installId }).whereNotIn('backup_id', db('backups').select('id')).delete();
      const rows = (await db('auto_backups').where({ install_id: installId }).select('backup_id', 'backup_time', 'daily', 'weekly', 'monthly')) as StoredRow[];
      return rows.map(fromRow);
    },
    async insert(installId: string, row: AutoBackupRow, trx?: Knex.Transaction): Promise<void> {
      await (trx ?? db)('auto_backups').insert({ ...row, install_id: installId });
    },
    async retag(backupId: string, kinds: Record<AutoBackupKind, boolean>): Promise<void> {
      await db('auto_backups').where({ backup_id: backupId }).update(kinds);
    },
    async remove(backupId: string): Promise<void> {
      await db('auto_backups').where({ backup_id: backupId }).delete();
    },
  };
}

export type AutoBackupKindsRepo = ReturnType<typeof createAutoBackupKinds>;
