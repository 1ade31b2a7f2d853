import { createLimiter } from './run-limited';
import { sitePathSegments } from './site-path';
import type { SiteEntry, SiteFs } from './site-fs';

/** One entry found by {@link walkSiteTree}. */
export interface SiteTreeItem {
  /** '/'-separated, relative to the folder walked. */
  path: string;
  entry: SiteEntry;
}

/** Options of {@link walkSiteTree}. */
export interface WalkSiteTreeOptions {
  /**
   * Paths (relative to the walked folder) left out with everything below them. A pruned folder is never listed:
   * an excluded cache folder of 100 000 files costs nothing over the network.
   */
  prune?: (path: string) => boolean;
}

/** Folder listings requested at once while walking (one level ahead: the subfolders of the folder just listed). */
const LISTINGS_AHEAD = 8;

const byName = (a: SiteEntry, b: SiteEntry): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** Two website paths joined ('' is the folder itself on either side). */
export const sitePathJoin = (a: string, b: string): string => (a && b ? `${a}/${b}` : a || b);

/**
 * Every entry below the website folder `dir` ('' = the home; not `dir` itself), each folder before its contents,
 * siblings sorted by name (byte order), so that what is made of a walk (an archive, a manifest check) does not
 * depend on the order a server happened to list in. Symlinks are reported, never followed (a link to `/` or to its
 * own parent would otherwise walk forever or leave the website). The subfolders of a folder are listed together
 * while the caller consumes the folder, so a remote walk costs about one round trip per level rather than per
 * folder. Names a server should never send (`..`, with '/') reject with PROTOCOL: the paths are used on this
 * machine too. A missing `dir` rejects with NOT_FOUND.
 */
export async function* walkSiteTree(site: SiteFs, dir = '', opts: WalkSiteTreeOptions = {}): AsyncGenerator<SiteTreeItem> {
  const limit = createLimiter(LISTINGS_AHEAD);
  let stopped = false;
  const list = (rel: string): Promise<SiteEntry[]> => {
    // A walk the caller left early sends none of the listings still queued.
    const listing = limit(() => (stopped ? Promise.resolve([]) : site.list(sitePathJoin(dir, rel))));
    listing.catch(() => undefined); // observed when the walk reaches it
    return listing;
  };
  const kept = (rel: string, entries: SiteEntry[]): { path: string; entry: SiteEntry }[] =>
    entries
      .sort(byName)
      .map((entry) => ({ path: sitePathJoin(rel, entry.name), entry }))
      .filter((item) => sitePathSegments(item.path)) // throws PROTOCOL before anything is listed below such a name
      .filter((item) => !opts.prune?.(item.path));
  async function* walk(rel: string, listing: Promise<SiteEntry[]>): AsyncGenerator<SiteTreeItem> {
    const items = kept(rel, await listing);
    const ahead = new Map(items.filter((i) => i.entry.type === 'dir').map((i) => [i.path, list(i.path)]));
    for (const item of items) {
      yield item;
      const sub = ahead.get(item.path);
      if (sub) yield* walk(item.path, sub);
    }
  }
  try {
    yield* walk('', list(''));
  } finally {
    stopped = true;
  }
}
