import type { SiteFs } from '@installgate/storage';
import type { SiteOpener } from './site-opener';
import { publicHome } from './site-home';
import { siteFailure } from './site-failure';

/**
 * Opens the website at `home`, runs `fn` on it and always closes the connection. Storage errors thrown by `fn`
 * come out as the spec's failed_filesystem_* errcodes naming the website (never its credentials).
 */
export async function withSite<T>(deps: { sites: SiteOpener }, home: string, fn: (site: SiteFs) => Promise<T>): Promise<T> {
  const site = await deps.sites.open(home);
  try {
    return await fn(site);
  } catch (e) {
    throw siteFailure(e, publicHome(home));
  } finally {
    await site.close().catch(() => undefined);
  }
}
