import { z } from 'zod';
import { zInstall } from './install';

/** Members a backup adds to the install record it was made from (spec §7.3). */
export const zBackupOwn = z.object({
  backup_filename: z.string(),
  backup_install: z.string(),
  backup_location: z.string(),
  backup_note: z.string(),
  backup_time: z.number().int(),
  /** ours: unix time the backup expires, 0 = never (v1 `expiry`). */
  backup_expires: z.number().int().nonnegative(),
});

/** The backup record: the install as it was plus the backup members; `id` is the backup id. */
export const zBackup = zBackupOwn.merge(zInstall).strict();
export type Backup = z.infer<typeof zBackup>;
export const BACKUP_OWN_FIELDS = Object.keys(zBackupOwn.shape) as (keyof Backup)[];
export const BACKUP_FIELDS = Object.keys(zBackup.shape) as (keyof Backup)[];
