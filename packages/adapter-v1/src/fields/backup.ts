import { defineFieldMap, type FieldRule } from './field-map';
import { INSTALL_GENERAL_RULE, INSTALL_RULES } from './install';
import { renames } from './rules';

/** Members a backup adds to the install record it was made from (spec §7.3). `id` is the backup id. */
export const BACKUP_OWN_RULES: readonly FieldRule[] = renames(
  'Backup members follow the general rule of spec §4.3 [R]: `backup_*` in v2 is `backup-*` in v1.',
  {
    'backup-filename': 'backup_filename',
    'backup-install': 'backup_install',
    'backup-location': 'backup_location',
    'backup-note': 'backup_note',
    'backup-time': 'backup_time',
    'backup-expires': 'backup_expires',
  },
);

export const BACKUP_MAP = defineFieldMap('backup', {
  note: 'Backup records: the install record as it was, plus the backup members (spec §7.3).',
  rules: [...BACKUP_OWN_RULES, ...INSTALL_RULES],
  unknownKeys: INSTALL_GENERAL_RULE,
});
