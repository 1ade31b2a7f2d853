import { z } from 'zod';
import { EngineError } from '@installgate/contracts';
import type { OpResult, OpTable } from '../operation';
import { parseParams } from '../params/parse-params';
import { zBackground, zBool, zDryrun, zInt } from '../params/coerce';
import { normaliseAutobk, zAutobkInput, zAutoupInput, zNotificationInput } from '../params/install-edit';

const str = (max = 4096) => z.string().max(max);
const count = zInt.pipe(z.number().int().min(0).max(1000));

/** `background`/`dryrun` of every long operation (spec §1.8). */
const zRunOptions = { background: zBackground.default(false), dryrun: zDryrun.default('none') };

const zInstall = z.object({
  url: str(2048),
  version: str(64).optional(),
  url_ip: str(64).optional(),
  db_host: str(255).optional(), db_name: str(64).optional(), db_user: str(80).optional(), db_pass: str(255).optional(),
  db_prefix: str(32).optional(), db_host_ip: str(255).optional(),
  login: str(60).optional(), passwd: str(200).optional(), email: str(320).optional(), sitetitle: str(200).optional(),
  sitetagline: str(400).optional(), language: str(16).optional(), content: str(64).optional(),
  autoup: zAutoupInput.optional(), autoup_backup: z.enum(['none', 'all']).optional(),
  autoup_plugins: z.enum(['none', 'all', 'custom']).optional(), autoup_themes: z.enum(['none', 'all', 'custom']).optional(),
  autobk: zAutobkInput.optional(), autobk_schedule: str(64).optional(),
  autobk_daily: count.optional(), autobk_weekly: count.optional(), autobk_monthly: count.optional(),
  bkloc: str(2048).optional(), notification: zNotificationInput.optional(),
  ...zRunOptions,
});

const zImport = z.object({ url: str(2048), version: str(64).optional(), url_ip: str(64).optional(), ...zRunOptions });
const zMigrate = z.object({
  url: str(2048), source_url: str(2048), source_path: str(4096), source_ftu_key: str(4096).optional(), source_url_ip: str(64).optional(),
  version: str(64).optional(), ...zRunOptions,
});
const zUninstall = z.object({ force: zBool.default(false), ...zRunOptions });
const zLogin = z.object({ url: str(2048).optional() });

/** Said instead of "The task is complete." when the task goes on in the background (spec §1.8). */
const TASK_STARTED_MESSAGE = 'The task was started in the background; follow it in GET /tasks (v1: cmd=tasks).\n';

function answer(r: { data: unknown; task?: unknown; dryrun?: true }, background: boolean | 'quick'): OpResult {
  const started = background !== false && !r.dryrun;
  return { data: r.data, task: r.task, dryrun: r.dryrun, ...(started ? { message: TASK_STARTED_MESSAGE } : {}) };
}

/** Handlers of the operations that change real applications. */
export const applicationRoutes: OpTable = {
  'browser.install': async ({ engine, scope, path, params }) => {
    const { background, dryrun, ...p } = parseParams(zInstall, params);
    const req = normaliseAutobk({ ...p });
    return answer(await engine.apps.install(scope, { ...req, application: path.id! }, { background, dryrun }), background);
  },

  'browser.import': async ({ engine, scope, path, params }) => {
    if (params.source_url !== undefined || params.source_path !== undefined) {
      throw new EngineError('invalid_argument_source_url', { errfield: 'source_url', message: 'Copying a site from another server is POST /browser/{id}/migrate.' });
    }
    const { background, dryrun, ...p } = parseParams(zImport, params);
    return answer(await engine.apps.import(scope, { ...p, application: path.id! }, { background, dryrun }), background);
  },

  'browser.migrate': async ({ engine, scope, path, params }) => {
    // v1 commands arrive with v1 names (the adapter passes `source_ftu` through; spec §9 #29 accepts both).
    const { source_ftu: ftu, ...rest } = params;
    const { background, dryrun, ...p } = parseParams(zMigrate, { ...rest, source_path: rest.source_path ?? ftu });
    return answer(await engine.apps.migrate(scope, { ...p, application: path.id! }, { background, dryrun }), background);
  },

  'installs.uninstall': async ({ engine, scope, path, params }) => {
    const { background, dryrun, force } = parseParams(zUninstall, params);
    return answer(await engine.apps.uninstall(scope, path.id!, { background, dryrun, force }), background);
  },

  'installs.login': async ({ engine, scope, path, params }) => {
    const p = parseParams(zLogin, params);
    return { data: await engine.apps.loginUrl(scope, path.id!, { redirect: p.url }) };
  },
};
