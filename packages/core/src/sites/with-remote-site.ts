import type { SiteFs } from '@installgate/storage';
import type { SiteOpener } from './site-opener';
import { withSite } from './with-site';

/**
 * Runs a task body with its website connection open in `holder.site` (withSite: storage failures come out as the
 * spec's failed_filesystem_* errcodes) when the install is on another server (`remote`
 * set), and closes it when the body ends, however it ends. Local installs run the body as it is.
 */
export async function withRemoteSite<T>(deps: { sites: SiteOpener }, remote: { home: string } | null, holder: { site: SiteFs | null }, body: () => Promise<T>): Promise<T> {
  if (!remote) return body();
  return withSite(deps, remote.home, async (site) => {
    holder.site = site;
    try {
      return await body();
    } finally {
      holder.site = null;
    }
  });
}
