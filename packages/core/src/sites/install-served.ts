/**
 * Whether an install's URL is still served by a website of its owner, at the install's folder. Operations that
 * hand out a URL into the application (single sign-on) depend on it: a file written into the folder is reached
 * only when the owner's website maps the install's URL there. A domain the owner's hosting account no longer
 * manages is `failed_website_vhost` (spec §1.11: "the user's hosting account does not manage this domain").
 */
import * as path from 'node:path';
import { EngineError, type Install } from '@installgate/contracts';
import { ADMIN_SCOPE } from '../access/actor';
import type { AppDeps } from '../workflows/app-deps';
import { isRemoteHome, publicHome } from './site-home';

/** A folder as install records keep it: a remote one without its password, a local one resolved. */
const asRecorded = (p: string) => (isRemoteHome(p) ? publicHome(p) : path.resolve(p));

/** Throws failed_website_vhost unless a website of the install's owner maps its URL to its folder. */
export async function checkInstallServed(deps: Pick<AppDeps, 'users'>, install: Pick<Install, 'user' | 'url' | 'path'>): Promise<void> {
  const resolved = await deps.users.resolveUrl(ADMIN_SCOPE, install.user, install.url).catch((e: unknown) => {
    if (e instanceof EngineError && e.errcode === 'invalid_argument_url') return null;
    throw e;
  });
  if (resolved && asRecorded(resolved.path) === asRecorded(install.path)) return;
  const why = resolved ? `now maps ${install.url} to another folder` : `no longer serves ${install.url}`;
  throw new EngineError('failed_website_vhost', { message: `No website of ${install.user} serves this install any more (the account ${why}); update the user's websites (POST /users/${install.user}).` });
}
