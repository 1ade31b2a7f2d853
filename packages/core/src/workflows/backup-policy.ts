import { EngineError } from '@installgate/contracts';
import type { Scope } from '../access/actor';
import type { AppDeps } from './app-deps';

/** Checks `bkloc` and `autobk`/`autobk_schedule` of a new install, as record edits do (spec §2.1, §5.4). */
export async function checkBackupPolicy(deps: AppDeps, scope: Scope, r: { bkloc?: string; autobk?: string; autobk_schedule?: string }): Promise<void> {
  if (r.bkloc !== undefined && r.bkloc !== 'local' && !(await deps.locations.isUsableBy(scope.actor, r.bkloc))) {
    throw new EngineError('invalid_argument_bkloc', { errfield: 'bkloc' });
  }
  if (r.autobk === 'schedule') {
    if (!r.autobk_schedule) throw new EngineError('empty_argument_autobk_schedule', { errfield: 'autobk_schedule' });
    await deps.schedules.get(r.autobk_schedule);
  }
}
