import type { SiteFs } from '@installgate/storage';
import type { SiteOpener } from './site-opener';

/**
 * Runs a task body with its website connection open in `holder.site` when the install is on another server (`remote`
 * set), and closes it when the body ends, however it ends. Local installs run the body as it is.
 */
export async function withRemoteSite<T>(deps: { sites: SiteOpener }, remote: { home: string } | null, holder: { site: SiteFs | null }, body: () => Promise<T>): Promise<T> {
  if (!remote) return body();
  holder.site = await deps.sites.open(remote.home);
  try {
    return await body();
  } finally {
    await holder.site.close().catch(() => undefined);
    holder.site = null;
  }
}
