import { isStorageError } from '../storage-error';
import { runLimited } from './run-limited';
import type { SiteFs } from './site-fs';
import { joinRel } from './walk-site-tree';

/** Removals in flight at once within one folder (SFTP pipelines them on its channel). */
const REMOVALS_AT_ONCE = 8;

async function removeContents(site: SiteFs, dir: string): Promise<void> {
  const entries = await site.list(dir).catch((err: unknown) => (isStorageError(err, 'NOT_FOUND') ? [] : Promise.reject(err)));
  const folders = entries.filter((e) => e.type === 'dir');
  await runLimited(
    entries.filter((e) => e.type !== 'dir'),
    REMOVALS_AT_ONCE,
    (e) => site.unlink(joinRel(dir, e.name)),
  );
  for (const f of folders) {
    await removeContents(site, joinRel(dir, f.name));
    await site.rmdir(joinRel(dir, f.name));
  }
}

/**
 * Removes the website folder `dir` and everything below it, depth first. Symlinks are removed as links, never
 * followed: a link to another folder (or to `/`) must not take that folder's contents with it. A missing `dir`
 * is fine; a file or symlink at `dir` is removed. `''` (the home) empties the home but keeps it: the home folder
 * belongs to the hosting account, not to the application.
 */
export async function removeSiteTree(site: SiteFs, dir: string): Promise<void> {
  const top = await site.stat(dir);
  if (!top) return;
  if (top.type !== 'dir') return site.unlink(dir);
  await removeContents(site, dir);
  if (dir !== '') await site.rmdir(dir);
}
