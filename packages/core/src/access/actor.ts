/**
 * Who a call acts as. The API key holder is the main admin (spec §1.3 [R]); the `user` parameter narrows the
 * call to an account (spec §1.9). A reseller whose id equals settings.ini `admin=` is resolved to `admin`.
 */
export type Actor = { kind: 'admin' } | { kind: 'account'; id: string; type: 'user' | 'reseller' };

/** What every service method receives: the actor the call runs as. */
export interface Scope {
  actor: Actor;
}

/** The main administrator's scope (the API key holder with no `user` parameter). */
export const ADMIN_SCOPE: Scope = Object.freeze({ actor: Object.freeze({ kind: 'admin' as const }) });

/** A scope for an account (for tests and callers that already know the account's type). */
export function accountScope(id: string, type: 'user' | 'reseller'): Scope {
  return { actor: { kind: 'account', id, type } };
}
