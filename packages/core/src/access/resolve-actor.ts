import { EngineError } from '@installgate/contracts';
import type { EngineContext } from '../engine-context';
import type { Actor } from './actor';

/** Turns the request's `user` parameter into the actor the call runs as. */
export interface AccessService {
  /**
   * `user` absent or empty → the main admin (the API key holder, spec §1.3 [R]). `user` naming an account →
   * that account, except that a reseller whose id equals settings.admin is the main admin (spec §1.9).
   * `user` equal to settings.admin with no such account stored → the main admin (the key holder naming itself).
   * Unknown → EngineError('user_not_found', errfield 'user').
   */
  resolve(userParam: string | undefined): Promise<Actor>;
}

/** The access service over the users table. */
export function createAccessService(ctx: EngineContext): AccessService {
  return {
    async resolve(userParam) {
      if (userParam === undefined || userParam === '') return { kind: 'admin' };
      const row = (await ctx.db('users').where({ id: userParam }).first('id', 'type')) as { id: string; type: string } | undefined;
      if (!row) {
        if (userParam === ctx.settings.admin) return { kind: 'admin' };
        throw new EngineError('user_not_found', { errfield: 'user' });
      }
      const type = row.type === 'reseller' ? 'reseller' : 'user';
      if (type === 'reseller' && row.id === ctx.settings.admin) return { kind: 'admin' };
      return { kind: 'account', id: row.id, type };
    },
  };
}
