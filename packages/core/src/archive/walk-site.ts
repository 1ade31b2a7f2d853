/**
 * Walks a folder of a website (SiteFs) without following symlinks. Kept small and in the shape of the storage
 * package's tree helpers so that it can be swapped for them; the archive code relies on two properties a
 * replacement must keep: names come in sorted order (archives of the same tree are the same, whichever server
 * listed them in whichever order), and `prune` stops the walk from listing folders it is told to skip (an excluded
 * cache folder of 100 000 files costs one stat, not 100 000 list entries over the network).
 */
import type { SiteEntry, SiteFs } from '@installgate/storage';

export interface SiteTreeItem {
  /** Relative to the walked folder, '/'-separated. */
  path: string;
  entry: SiteEntry;
}

export interface WalkSiteOptions {
  /** Paths (relative to the walked folder) left out with everything below them. */
  prune?: (path: string) => boolean;
}

/** `dir` joined with a relative path, for SiteFs calls ('' is the website home). */
export const sitePathJoin = (dir: string, rel: string): string => (dir === '' ? rel : rel === '' ? dir : `${dir}/${rel}`);

const byName = (a: SiteEntry, b: SiteEntry) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/**
 * Everything below `dir` (not `dir` itself): folders before their contents, siblings sorted by name, symlinks
 * reported as symlinks. One `list` per folder; an explicit stack, so a deep tree costs no nested generators.
 */
export async function* walkSiteTree(site: SiteFs, dir: string, opts: WalkSiteOptions = {}): AsyncIterable<SiteTreeItem> {
  // Each stack frame is the folder's remaining children, last child first (pop() takes the next in order).
  const stack: { rel: string; rest: SiteEntry[] }[] = [{ rel: '', rest: (await site.list(dir)).sort(byName).reverse() }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const entry = top.rest.pop();
    if (!entry) {
      stack.pop();
      continue;
    }
    const rel = top.rel === '' ? entry.name : `${top.rel}/${entry.name}`;
    if (opts.prune?.(rel)) continue;
    yield { path: rel, entry };
    if (entry.type === 'dir') stack.push({ rel, rest: (await site.list(sitePathJoin(dir, rel))).sort(byName).reverse() });
  }
}
