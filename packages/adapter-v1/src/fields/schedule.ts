import { defineFieldMap } from './field-map';
import { sames } from './rules';

/** Backup schedules (spec §5.4). No v1 command lists them; data version 1.0 on the v2 path keeps the names. */
export const SCHEDULE_MAP = defineFieldMap('schedule', {
  note: 'Backup schedules of GET /set/backup_schedules (spec §5.4); names kept.',
  rules: sames(['id', 'name', 'daily', 'weekly', 'monthly', 'enabled', 'forced', 'location']),
});
