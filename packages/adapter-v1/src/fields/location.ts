import { defineFieldMap } from './field-map';
import { sames } from './rules';

/** Backup locations (spec §5.2). No v1 command lists them; data version 1.0 on the v2 path keeps the names. */
export const LOCATION_MAP = defineFieldMap('location', {
  note: 'Backup locations of GET /set/backup_locations (spec §5.2); names kept.',
  rules: sames(['id', 'name', 'desc', 'uri', 'scope', 'enabled', 'default', 'user']),
});
