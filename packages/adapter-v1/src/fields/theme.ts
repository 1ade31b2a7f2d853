import { defineFieldMap } from './field-map';
import { ADDON_COMMON_MEMBERS } from './plugin';
import { rename, same, sames } from './rules';

/** Themes of /installs/{id}/themes: v2 `activated` ↔ v1 `active` (spec §9 #7). */
export const THEME_MAP = defineFieldMap('theme', {
  note: 'Themes of /installs/{id}/themes (spec §8.4).',
  rules: [
    ...sames(ADDON_COMMON_MEMBERS),
    rename('active', 'activated', 'v2 emits `activated`; v1 output keeps `active`; both are read (spec §9 #7).', {
      v1Aliases: ['activated'],
      v2Aliases: ['active'],
    }),
    same('autoup', 'Per-theme policy none/all is a string in both versions (spec §8.4).'),
  ],
});
