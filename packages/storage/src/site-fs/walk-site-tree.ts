import { createLimiter } from './run-limited';
import { sitePathSegments } from './site-path';
import type { SiteEntry, SiteFs } from './site-fs';

/** One entry found by {@link walkSiteTree}. */
export interface SiteTreeItem {
  /** '/'-separated, relative to the folder walked. */
  path: string;
  entry: SiteEntry;
}

/** Folder listings requested at once while walking (one level ahead: the subfolders of the folder just listed). */
const LISTINGS_AHEAD = 8;

const byName = (a: SiteEntry, b: SiteEntry): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** Two website paths joined ('' is the folder itself on either side). */
export const joinRel = (a: string, b: string): string => (a && b ? `${a}/${b}` : a || b);

/**
 * Every entry below the website folder `dir` ('' = the home), each folder before its contents, names sorted.
 * Symlinks are reported, never followed (a link to `/` or to its own parent would otherwise walk forever or leave
 * the website). The subfolders of a folder are listed together while the caller consumes the folder, so a remote
 * walk costs about one round trip per level rather than per folder. Names a server should never send (`..`, with
 * '/') reject with PROTOCOL: the paths are used on this machine too.
 */
export async function* walkSiteTree(site: SiteFs, dir = ''): AsyncGenerator<SiteTreeItem> {
  const limit = createLimiter(LISTINGS_AHEAD);
  const list = (rel: string): Promise<SiteEntry[]> => {
    const listing = limit(() => site.list(joinRel(dir, rel)));
    listing.catch(() => undefined); // observed when the walk reaches it
    return listing;
  };
  async function* walk(rel: string, listing: Promise<SiteEntry[]>): AsyncGenerator<SiteTreeItem> {
    const entries = (await listing).sort(byName);
    const ahead = new Map(entries.filter((e) => e.type === 'dir').map((e) => [e.name, list(joinRel(rel, e.name))]));
    for (const entry of entries) {
      const path = joinRel(rel, entry.name);
      sitePathSegments(path);
      yield { path, entry };
      const sub = ahead.get(entry.name);
      if (sub) yield* walk(path, sub);
    }
  }
  yield* walk('', list(''));
}
