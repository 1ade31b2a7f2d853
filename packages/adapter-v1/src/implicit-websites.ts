import { WEBSITES } from './commands/param-codecs';
import { hasOwn } from './fields/field-map';

/**
 * spec §4.7: any v1 request may carry `user` + `websites`, which creates or refreshes that user and its websites
 * before the command runs (v2 moved this to `POST /users/{id}`). Returns what the server must upsert first, with the
 * websites already in v2 form (an array; suspended as a boolean), or `null` when there is nothing to upsert.
 *
 * `cmd=edituser` returns `null`: there the websites are the command's own payload, which `translateCommand` keeps
 * as a parameter of `users.edit`, so upserting first would do the same work twice.
 * Throws `invalid_argument_websites` when `websites` cannot be read.
 */
export function implicitWebsites(params: Record<string, unknown>): { user: string; websites: unknown } | null {
  const { user, websites, cmd } = params;
  if (typeof user !== 'string' || user === '') return null;
  if (!hasOwn(params, 'websites') || websites === undefined || websites === null || websites === '') return null;
  if (typeof cmd === 'string' && cmd.trim().toLowerCase() === 'edituser') return null;
  return { user, websites: WEBSITES.toV2(websites, 'websites') };
}
