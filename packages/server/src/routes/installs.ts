import { z } from 'zod';
import { EngineError, TASK_COMPLETE_MESSAGE } from '@installgate/contracts';
import type { OpTable } from '../operation';
import { parseParams } from '../params/parse-params';
import { zBool, zLimit, zOffset } from '../params/coerce';
import { normaliseAutobk, zAppEdit, zInstallRecordEdit } from '../params/install-edit';

const zInstallsList = z.object({
  user: z.string().optional(),
  q: z.string().max(256).optional(),
  id: z.string().max(128).optional(),
  filter_version_available: zBool.optional(),
  filter_version_available_minor: zBool.optional(),
  filter_ownedaccounts: zBool.optional(),
  offset: zOffset.default(0),
  limit: zLimit.default(50),
});

/** Handlers of the install record endpoints (reading, record edits, detach). */
export const installRoutes: OpTable = {
  'installs.list': async ({ engine, scope, params }) => {
    const p = parseParams(zInstallsList, params);
    const page = await engine.installs.list(scope, p);
    return { data: page.items, page: { total_count: page.total_count, has_more: page.has_more } };
  },

  'installs.get': async ({ engine, scope, path }) => ({ data: await engine.installs.get(scope, path.id!) }),

  'installs.edit': async ({ engine, scope, path, params }) => {
    const edit = normaliseAutobk(parseParams(zInstallRecordEdit, params));
    const appEdit = Object.fromEntries(Object.entries(parseParams(zAppEdit, params)).filter(([, v]) => v !== undefined));
    const { delete: forget, delete_backups: forgetBackups, ...patch } = edit;
    await engine.installs.get(scope, path.id!); // 404/403 before anything changes
    // The application first: if it refuses (bad database, folder gone), the record is left as it was.
    if (Object.keys(appEdit).length > 0) await engine.apps.edit(scope, path.id!, appEdit);
    if (forgetBackups) await engine.installs.forgetBackups(scope, path.id!);
    if (forget) {
      const before = await engine.installs.get(scope, path.id!);
      await engine.installs.detach(scope, path.id!, { delete_backups: false });
      return { data: before, message: TASK_COMPLETE_MESSAGE };
    }
    const changed = Object.keys(patch).length > 0 ? await engine.installs.edit(scope, path.id!, patch) : await engine.installs.get(scope, path.id!);
    return { data: changed, message: TASK_COMPLETE_MESSAGE };
  },

  'installs.detach': async ({ engine, scope, path, params }) => {
    const p = parseParams(z.object({ delete_backups: zBool.default(false) }), params);
    const before = await engine.installs.get(scope, path.id!);
    await engine.installs.detach(scope, path.id!, { delete_backups: p.delete_backups });
    return { data: before, message: TASK_COMPLETE_MESSAGE };
  },
};
