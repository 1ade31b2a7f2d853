import { z } from 'zod';
import type { OpTable } from '../operation';
import { parseParams } from '../params/parse-params';
import { zBackground, zBool, zDryrun, zList } from '../params/coerce';
import { answer } from './backup-operations';

/** `plugins` / `themes`: an array, a comma list, or `*`; `[]` and `*` both mean every installed one (spec §2.2 [R]). */
const zAddonSelection = zList.transform((l) => (l.includes('*') ? [] : l)).pipe(z.array(z.string().min(1).max(200)).max(500));

const zUpdate = z.object({
  version: z.string().min(1).max(64).optional(),
  revert: zBool.default(false),
  plugins: zAddonSelection.optional(),
  themes: zAddonSelection.optional(),
  // The seed page's example body sends `plugin` / `theme` (spec §9 #5): the same selections.
  plugin: zAddonSelection.optional(),
  theme: zAddonSelection.optional(),
  background: zBackground.default(false),
  dryrun: zDryrun.default('none'),
});

/** `POST /installs/{id}/update` (v1 `update` / `upgrade`). */
export const updateOperationRoutes: OpTable = {
  'installs.update': async ({ engine, scope, path, params }) => {
    const { background, dryrun, plugin, theme, plugins, themes, ...rest } = parseParams(zUpdate, params);
    const req = { ...rest, plugins: plugins ?? plugin, themes: themes ?? theme };
    return answer(await engine.apps.update(scope, path.id!, req, { background, dryrun }), background);
  },
};
