import type { Knex } from 'knex';
import type { SecretBox } from '../secrets/secret-box';
import { RECORD_SECRETS } from '../secrets/stored-secrets';
import { zBackup, type Backup, type ListPage } from '@installgate/contracts';
import { createRecordTable, type RecordRow, type RecordTable } from '../store/record-table';
import { paginate, type PageRequest } from '../store/paginate';
import { applyInstallFilter, installKeyColumns, INSTALL_SEARCH_COLUMNS, type InstallFilter } from '../installs/install-repository';

/** Members `q` searches in backups: the install members plus the archive's name and note. */
export const BACKUP_SEARCH_COLUMNS = [...INSTALL_SEARCH_COLUMNS, 'backup_filename', 'backup_note'] as const;

/** The backup's own key columns on top of the install ones (explicit allowlist). */
function backupKeyColumns(b: Backup): Record<string, string | number> {
  return {
    ...installKeyColumns(b),
    backup_install: b.backup_install,
    backup_time: b.backup_time,
    backup_expires: b.backup_expires,
    backup_filename: b.backup_filename,
    backup_note: b.backup_note,
  };
}

/** Filters of a backup list: the install ones plus `pid` (the source install). */
export interface BackupFilter extends InstallFilter {
  pid?: string;
}

/** Backups table: whole records, zod-validated, plus the list query. */
export interface BackupRepository extends RecordTable<Backup> {
  /** One page of backups, newest first (backup_time, then id descending). */
  list(filter: BackupFilter, page: PageRequest): Promise<ListPage<Backup>>;
}

/** The backups repository. */
export function createBackupRepository(db: Knex, box: SecretBox): BackupRepository {
  const table = createRecordTable<Backup>(db, { table: 'backups', what: 'backup record', schema: zBackup, keyColumns: backupKeyColumns, sealed: RECORD_SECRETS }, box);
  return {
    ...table,
    list(filter, page) {
      let qb = applyInstallFilter(table.query(), filter, BACKUP_SEARCH_COLUMNS);
      if (filter.pid !== undefined && filter.pid !== '') qb = qb.where('backup_install', filter.pid);
      return paginate<RecordRow, Backup>(qb, page, (o) => o.orderBy([{ column: 'backup_time', order: 'desc' }, { column: 'id', order: 'desc' }]), table.fromRow);
    },
  };
}
