/**
 * Where an existing install's application lives, for the drivers: on this server (its folder, PHP CLI), or on a
 * website on another server (its folder relative to the website home, its files through the website's SiteFs, its
 * PHP over HTTP at the install's URL). Operations on existing installs (update, edits, add-ons, backup, restore)
 * run their driver calls through this, so the same code serves both.
 */
import type { Install } from '@installgate/contracts';
import type { SiteFs } from '@installgate/storage';
import type { AppHost } from '../drivers/app-driver';
import { siteAppFiles } from '../drivers/app-files';
import type { Logger } from '../engine-context';
import { remotePhpExecutor } from '../remote/remote-php-executor';
import type { AppDeps } from '../workflows/app-deps';
import { remoteSiteOf, type InstallSite } from './install-site';
import { withSite } from './with-site';

export interface InstallHost {
  /** The driver's `dir`: the absolute folder here, or the folder relative to the website home. */
  dir: string;
  /** Spread into driver inputs: empty for a local install. */
  host: AppHost;
  /** The open website connection (null for a local install). */
  site: SiteFs | null;
  /** The website holding a remote install (null for a local one). */
  remote: InstallSite | null;
}

/** The AppHost of a folder `rel` on an open website connection, whose URL `url` serves it. */
export function siteAppHost(site: SiteFs, rel: string, url: string, urlIp: string | undefined, logger?: Logger): AppHost {
  return {
    files: siteAppFiles(site, rel),
    php: remotePhpExecutor({ site, dir: rel, siteUrl: url, urlIp: urlIp || undefined, logger }),
  };
}

/**
 * Runs `fn` with the install's host; for a remote install the website connection is open for the duration of `fn`
 * and closed after, and storage failures come out as failed_filesystem_* naming the website.
 */
export async function withInstallHost<T>(deps: Pick<AppDeps, 'users' | 'sites' | 'logger'>, install: Pick<Install, 'user' | 'path' | 'url'>, fn: (h: InstallHost) => Promise<T>): Promise<T> {
  const remote = await remoteSiteOf(deps, install);
  if (!remote) return fn({ dir: install.path, host: {}, site: null, remote: null });
  return withSite(deps, remote.home, (site) => fn({
    dir: remote.rel,
    host: siteAppHost(site, remote.rel, install.url, remote.website.url_ip, deps.logger),
    site,
    remote,
  }));
}
