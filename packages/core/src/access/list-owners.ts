import type { Actor } from './actor';
import type { Visibility } from './visibility';

/**
 * How a list endpoint reads its `user` parameter:
 * - `own`: records of that account only (v1 `installs`/`backups`: "view the installs of a specific user");
 * - `owned`: its records plus those of the accounts it owns (v1 `filter-ownedaccounts`);
 * - `view`: everything that account may see (scope endpoints such as `/tasks` and `/logs`, spec §1.9 meaning 1).
 */
export type ListMode = 'own' | 'owned' | 'view';

/**
 * The owners a list shows: null = every owner (the main admin's unnarrowed view), else an explicit list.
 * `user` (the request's parameter) must exist and be visible to the actor; a `user` naming the main admin
 * (settings.admin) is the admin's view. Without `user`, an account actor is its own target.
 * Throws user_not_found / invalid_argument_user from Visibility.requireUser.
 */
export async function listOwners(
  vis: Visibility,
  adminName: string,
  actor: Actor,
  user: string | undefined,
  mode: ListMode,
): Promise<string[] | null> {
  let target: { id: string; type: 'user' | 'reseller' };
  if (user !== undefined && user !== '') {
    const account = await vis.accountOf(user);
    // CASE: the main admin named explicitly (with or without a stored reseller account) is the admin's view.
    if (user === adminName && actor.kind === 'admin' && (!account || account.type === 'reseller')) return null;
    await vis.requireUser(actor, user);
    target = account!;
  } else if (actor.kind === 'admin') {
    return null;
  } else {
    target = { id: actor.id, type: actor.type };
  }
  if (mode === 'own') return [target.id];
  if (mode === 'view' && target.type === 'user') return [target.id];
  return [target.id, ...(await vis.descendantsOf(target.id))];
}
