import { EngineError, type Install, type Website } from '@installgate/contracts';
import type { AppDeps } from '../workflows/app-deps';
import { ADMIN_SCOPE } from '../access/actor';
import { isRemoteHome, publicHome, relativeToHome } from './site-home';

/** Where an existing install lives on another server: its website's home (with credentials) and its folder. */
export interface InstallSite {
  website: Website;
  /** The website home URI, credentials included: never logged or stored. */
  home: string;
  /** The install folder relative to the home. */
  rel: string;
}

/**
 * The website on another server that holds `install` (its record's `path` is the home URI without the password plus
 * the folder), or null for an install on this server. The owner's current websites decide, so a changed password
 * is picked up; a website that no longer covers the path → failed_filesystem_directory (the files cannot be reached).
 */
export async function remoteSiteOf(deps: Pick<AppDeps, 'users'>, install: Pick<Install, 'user' | 'path'>): Promise<InstallSite | null> {
  if (!isRemoteHome(install.path)) return null;
  const owner = await deps.users.get(ADMIN_SCOPE, install.user);
  let best: InstallSite | null = null;
  for (const website of owner.websites) {
    if (!isRemoteHome(website.path)) continue;
    const rel = relativeToHome(website.path, install.path);
    // The deepest home wins when one website's home lies inside another's.
    if (rel !== null && (!best || rel.length < best.rel.length)) best = { website, home: website.path, rel };
  }
  if (!best) {
    throw new EngineError('failed_filesystem_directory', { message: `No website of ${install.user} reaches ${publicHome(install.path)} any more; add the website back to the user (POST /users/${install.user}).` });
  }
  return best;
}
