import { z } from 'zod';
import type { OpHandler, OpTable } from '../operation';
import { parseParams } from '../params/parse-params';
import { zBool, zDryrun } from '../params/coerce';

/** `POST …/{slug}`: unset members are "unchanged" on an edit; an install defaults them (spec §2.3). */
const zAddonEdit = z.object({
  activated: zBool.optional(),
  autoup: z.enum(['none', 'all']).optional(),
  dryrun: zDryrun.default('none'),
});
const zAddonDelete = z.object({ dryrun: zDryrun.default('none') });

/** The four handlers of one kind; v1 reaches them through the `cmd=edit` selectors of spec §4.2. */
function addonRoutes(kind: 'plugins' | 'themes'): Record<'list' | 'get' | 'edit' | 'uninstall', OpHandler> {
  return {
    list: async ({ engine, scope, path }) => ({ data: await engine.apps.addons.list(scope, path.id!, kind) }),
    get: async ({ engine, scope, path }) => ({ data: await engine.apps.addons.get(scope, path.id!, kind, path.slug!) }),
    edit: async ({ engine, scope, path, params }) => {
      const { dryrun, ...edit } = parseParams(zAddonEdit, params);
      const r = await engine.apps.addons.edit(scope, path.id!, kind, path.slug!, edit, { dryrun });
      return { data: r.data, dryrun: r.dryrun };
    },
    uninstall: async ({ engine, scope, path, params }) => {
      const { dryrun } = parseParams(zAddonDelete, params);
      const r = await engine.apps.addons.uninstall(scope, path.id!, kind, path.slug!, { dryrun });
      return { data: r.data, dryrun: r.dryrun };
    },
  };
}

const plugins = addonRoutes('plugins');
const themes = addonRoutes('themes');

/** Handlers of the WordPress plugin and theme endpoints (spec §2.3). */
export const addonOperationRoutes: OpTable = {
  'plugins.list': plugins.list, 'plugins.get': plugins.get, 'plugins.edit': plugins.edit, 'plugins.uninstall': plugins.uninstall,
  'themes.list': themes.list, 'themes.get': themes.get, 'themes.edit': themes.edit, 'themes.uninstall': themes.uninstall,
};
