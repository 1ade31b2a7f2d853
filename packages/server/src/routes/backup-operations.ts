import { z } from 'zod';
import type { OpResult, OpTable } from '../operation';
import { parseParams } from '../params/parse-params';
import { zBackground, zBool, zDryrun } from '../params/coerce';
import { zExpiry } from '../params/expiry';

const str = (max = 4096) => z.string().max(max);
const zRunOptions = { background: zBackground.default(false), dryrun: zDryrun.default('none') };

const zBackup = z.object({ expiry: zExpiry.optional(), backup_note: str(4096).optional(), bkloc: str(2048).optional(), ...zRunOptions });
const zRestore = z.object({
  url: str(2048).optional(), url_ip: str(64).optional(),
  db_host: str(255).optional(), db_name: str(64).optional(), db_user: str(80).optional(), db_pass: str(255).optional(),
  db_prefix: str(32).optional(), db_host_ip: str(255).optional(), db: str(16).optional(),
  ...zRunOptions,
});
const zDelete = z.object({ force: zBool.default(false), ...zRunOptions });
const zImport = z.object({ bkloc: str(2048).optional(), path: str(4096).optional(), ...zRunOptions });

/** Said instead of "The task is complete." when the task goes on in the background (spec §1.8). */
const TASK_STARTED_MESSAGE = 'The task was started in the background; follow it in GET /tasks (v1: cmd=tasks).\n';

export function answer(r: { data: unknown; task?: unknown; dryrun?: true; message?: string }, background: boolean | 'quick'): OpResult {
  const started = background !== false && !r.dryrun;
  const message = started ? TASK_STARTED_MESSAGE : r.message;
  return { data: r.data, task: r.task, dryrun: r.dryrun, ...(message ? { message } : {}) };
}

/** Handlers of backup, restore, restore-to, backup delete and import (spec §2.2, §2.4). */
export const backupOperationRoutes: OpTable = {
  'installs.backup': async ({ engine, scope, path, params }) => {
    const { background, dryrun, ...req } = parseParams(zBackup, params);
    return answer(await engine.apps.backup(scope, path.id!, req, { background, dryrun }), background);
  },

  'backups.restore': async ({ engine, scope, path, params }) => {
    const { background, dryrun, ...req } = parseParams(zRestore, params);
    return answer(await engine.apps.restore(scope, path.id!, req, { background, dryrun }, 'restore'), background);
  },

  'backups.restoreto': async ({ engine, scope, path, params }) => {
    const { background, dryrun, ...req } = parseParams(zRestore, params);
    return answer(await engine.apps.restore(scope, path.id!, req, { background, dryrun }, 'restoreto'), background);
  },

  'backups.delete': async ({ engine, scope, path, params }) => {
    const { background, dryrun, force } = parseParams(zDelete, params);
    return answer(await engine.apps.deleteBackup(scope, path.id!, { background, dryrun, force }), background);
  },

  'backups.import': async ({ engine, scope, params }) => {
    const { background, dryrun, ...req } = parseParams(zImport, params);
    const r = await engine.apps.importBackups(scope, req, { background, dryrun });
    const out = answer(r, background);
    return Array.isArray(r.data) ? { ...out, page: { total_count: r.data.length, has_more: false } } : out;
  },
};
