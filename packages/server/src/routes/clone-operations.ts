import { z } from 'zod';
import { EngineError } from '@installgate/contracts';
import type { OpTable } from '../operation';
import { parseParams } from '../params/parse-params';
import { zBackground, zBool, zDryrun, zList } from '../params/coerce';
import { answer } from './backup-operations';

const str = (max = 4096) => z.string().max(max);
const zRunOptions = { background: zBackground.default(false), dryrun: zDryrun.default('none') };

const zClone = z.object({
  url: str(2048), stage: zBool.optional(), url_ip: str(64).optional(), source_user: str(128).optional(),
  db_host: str(255).optional(), db_name: str(64).optional(), db_user: str(80).optional(), db_pass: str(255).optional(),
  db_prefix: str(32).optional(),
  ...zRunOptions,
});

/** `files`/`tables` of a sync: a boolean (all or none), or a list (array or comma-separated, spec §1.4). */
const zSelection = z.union([zBool, zList.pipe(z.array(str(255)).max(10_000))]);
const zSync = z.object({ source: str(128).optional(), files: zSelection.optional(), tables: zSelection.optional(), ...zRunOptions });

/** An unknown `source_user` is that parameter's error, not `user`'s. */
function sourceUserError(e: unknown): unknown {
  return e instanceof EngineError && e.errcode === 'user_not_found' ? new EngineError('user_not_found', { errfield: 'source_user' }) : e;
}

/** Handlers of clone (optionally as a stage) and sync (spec §2.2). */
export const cloneOperationRoutes: OpTable = {
  'installs.clone': async ({ engine, scope, path, params }) => {
    const { background, dryrun, source_user, ...req } = parseParams(zClone, params);
    // `source_user` (spec §2.2): the install must be visible to that account; default the key holder's view.
    const sourceScope = source_user ? { actor: await engine.access.resolve(source_user).catch((e: unknown) => { throw sourceUserError(e); }) } : { actor: { kind: 'admin' as const } };
    return answer(await engine.apps.clone(scope, sourceScope, path.id!, req, { background, dryrun }), background);
  },

  'installs.sync': async ({ engine, scope, path, params }) => {
    const { background, dryrun, ...req } = parseParams(zSync, params);
    return answer(await engine.apps.sync(scope, path.id!, req, { background, dryrun }), background);
  },
};
