/**
 * swapFiles (restore-swap.ts) for a folder of a website reached through a SiteFs: the new entries, uploaded into a
 * private folder of the same website beforehand, take the live names by renames on the website itself.
 *
 * FTP has no atomic replace onto an existing name (SiteFs `features.atomicReplace`), and SFTP's only works for
 * files, so every live entry is renamed aside into `.ig-old-<hex>` (inside `dir`: one file system) first and only
 * then the new one takes the free name. Undo goes the other way: new entries back into the staging folder, the
 * old ones back onto their names. Restores and updates of remote installs share this.
 */
import { randomBytes } from 'node:crypto';
import type { SiteFs } from '@installgate/storage';
import { removeSiteTree, siteFailure, sitePathJoin } from '../archive';
import { isTopLevelName } from './copy-files';
import { allOf, type Swap } from './restore-swap';

export interface SiteSwapOptions {
  /** Live entries moved aside too, even when no new entry takes their name (a restore's own `files`). */
  replace?: readonly string[];
  /** Files removed at once when the copy set aside is deleted (default 4). */
  parallel?: number;
}

/**
 * Moves `names` from `stage` into `dir` (both relative to the website home; `stage` on the same file system).
 * Resolves once the new entries are live; on a failure everything is renamed back before the error (an
 * EngineError naming the website) is thrown, and the staging folder keeps what it held. `commit` deletes the
 * old entries; `rollback` puts them back and returns the new ones to `stage`.
 */
export async function swapOnSite(site: SiteFs, dir: string, stage: string, names: readonly string[], opts: SiteSwapOptions = {}): Promise<Swap> {
  const fail = (e: unknown) => siteFailure(e, site);
  const aside = sitePathJoin(dir, `.ig-old-${randomBytes(4).toString('hex')}`);
  await site.mkdir(aside, { mode: 0o700 }).catch((e: unknown) => Promise.reject(fail(e)));
  const movedAside: string[] = [];
  const movedIn: string[] = [];
  // New entries leave first (the live name is free again at once), then the old ones return; the aside folder is
  // deleted only when every rename succeeded: if one failed, the old copy it holds is the only one left (a live
  // entry that could not go back), so it stays, and the error names it for the operator.
  const rollback = async () => {
    try {
      await allOf([
        ...[...movedIn].reverse().map((n) => () => site.rename(sitePathJoin(dir, n), sitePathJoin(stage, n))),
        ...[...movedAside].reverse().map((n) => () => site.rename(sitePathJoin(aside, n), sitePathJoin(dir, n))),
      ]);
    } catch (e) {
      const err = fail(e);
      if (err instanceof Error) err.message += ` The previous files are kept in ${aside} on the website.`;
      throw err;
    }
    movedIn.length = 0;
    movedAside.length = 0;
    await removeSiteTree(site, aside, opts.parallel).catch((e: unknown) => Promise.reject(fail(e)));
  };
  try {
    for (const n of new Set([...names, ...(opts.replace ?? [])])) {
      if (!isTopLevelName(n) || n.startsWith('.ig-')) continue;
      if (await site.stat(sitePathJoin(dir, n))) {
        await site.rename(sitePathJoin(dir, n), sitePathJoin(aside, n));
        movedAside.push(n);
      }
    }
    for (const n of names) {
      await site.rename(sitePathJoin(stage, n), sitePathJoin(dir, n));
      movedIn.push(n);
    }
  } catch (e) {
    await rollback().catch(() => undefined);
    throw fail(e);
  }
  return {
    commit: () => removeSiteTree(site, aside, opts.parallel).catch((e: unknown) => Promise.reject(fail(e))),
    rollback,
  };
}
