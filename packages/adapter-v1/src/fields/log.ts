import { defineFieldMap } from './field-map';
import { sames } from './rules';

/**
 * Log entries of GET /logs (layout ours, spec §8.7). v1 `logs` documents no layout, so names are kept; every member
 * still has its own rule, so a member added to the contracts schema fails the completeness test until decided here.
 */
export const LOG_MAP = defineFieldMap('log', {
  note: 'Log entries of GET /logs (layout ours, spec §8.7); names kept.',
  rules: sames([
    'id', 'time', 'severity', 'user', 'install', 'cmd', 'url', 'title', 'source_url', 'source_title',
    'ext_name', 'theme_name', 'plugin_name', 'backup_schedule', 'backup_location', 'message',
  ]),
});
