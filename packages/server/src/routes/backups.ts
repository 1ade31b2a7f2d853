import { z } from 'zod';
import { TASK_COMPLETE_MESSAGE } from '@installgate/contracts';
import type { OpTable } from '../operation';
import { parseParams } from '../params/parse-params';
import { zBool, zLimit, zOffset } from '../params/coerce';
import { zExpiry } from '../params/expiry';

const zBackupsList = z.object({
  user: z.string().optional(),
  q: z.string().max(256).optional(),
  pid: z.string().max(128).optional(),
  id: z.string().max(128).optional(),
  filter_ownedaccounts: zBool.optional(),
  offset: zOffset.default(0),
  limit: zLimit.default(50),
});

const zBackupEdit = z.object({
  backup_note: z.string().max(1024).optional(),
  expiry: zExpiry.optional(),
});

/** Handlers of the backup record endpoints. */
export const backupRoutes: OpTable = {
  'backups.list': async ({ engine, scope, params }) => {
    const p = parseParams(zBackupsList, params);
    const page = await engine.backups.list(scope, p);
    return { data: page.items, page: { total_count: page.total_count, has_more: page.has_more } };
  },

  'backups.get': async ({ engine, scope, path }) => ({ data: await engine.backups.get(scope, path.id!) }),

  'backups.edit': async ({ engine, scope, path, params }) => {
    const p = parseParams(zBackupEdit, params);
    return { data: await engine.backups.edit(scope, path.id!, p), message: TASK_COMPLETE_MESSAGE };
  },
};
