import { isStorageError } from '../storage-error';
import { runLimited } from './run-limited';
import type { SiteFs } from './site-fs';
import { sitePathJoin } from './walk-site-tree';

async function removeContents(site: SiteFs, dir: string, parallel: number): Promise<void> {
  const entries = await site.list(dir).catch((err: unknown) => (isStorageError(err, 'NOT_FOUND') ? [] : Promise.reject(err)));
  // Files and links of one folder go several at once (SFTP pipelines them on its channel); runLimited waits for
  // every removal in flight before it rejects, so a failure leaves nothing running.
  await runLimited(
    entries.filter((e) => e.type !== 'dir'),
    parallel,
    (e) => site.unlink(sitePathJoin(dir, e.name)),
  );
  for (const f of entries.filter((e) => e.type === 'dir')) {
    await removeContents(site, sitePathJoin(dir, f.name), parallel);
    await site.rmdir(sitePathJoin(dir, f.name));
  }
}

/**
 * Removes the website folder `dir` and everything below it, depth first, `parallel` removals at once within a
 * folder (default 8). Symlinks are removed as links, never followed: a link to another folder (or to `/`) must
 * not take that folder's contents with it. A missing `dir` is fine; a file or symlink at `dir` is removed. `''`
 * (the home) empties the home but keeps it: the home folder belongs to the hosting account, not to the application.
 */
export async function removeSiteTree(site: SiteFs, dir: string, parallel = 8): Promise<void> {
  const top = await site.stat(dir);
  if (!top) return;
  if (top.type !== 'dir') return site.unlink(dir);
  await removeContents(site, dir, parallel);
  if (dir !== '') await site.rmdir(dir);
}
