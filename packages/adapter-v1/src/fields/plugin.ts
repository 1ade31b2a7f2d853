import { defineFieldMap } from './field-map';
import { sames } from './rules';

/** The members plugins and themes share (spec §8.4). */
export const ADDON_COMMON_MEMBERS = ['id', 'name', 'description', 'author', 'version', 'version_available'] as const;

/** Plugins of /installs/{id}/plugins. Plugins say `activated` in both versions (spec §9 #7 concerns themes only). */
export const PLUGIN_MAP = defineFieldMap('plugin', {
  note: 'Plugins of /installs/{id}/plugins (spec §8.4); names kept.',
  rules: sames([...ADDON_COMMON_MEMBERS, 'activated', 'autoup']),
});
