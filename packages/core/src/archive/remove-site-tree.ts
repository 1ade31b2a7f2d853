/**
 * Removes a file, symlink or folder tree of a website (SiteFs), never following symlinks: the cleanup of a
 * partial upload or of the copy a restore set aside.
 */
import type { SiteFs } from '@installgate/storage';
import { BoundedTasks } from './bounded-tasks';
import { sitePathJoin } from './walk-site';

/** Removes `path` and everything below it; a missing path is fine. Files of one folder go `parallel` at a time. */
export async function removeSiteTree(site: SiteFs, path: string, parallel = 4): Promise<void> {
  const entry = await site.stat(path);
  if (!entry) return;
  if (entry.type !== 'dir') return site.unlink(path);
  const tasks = new BoundedTasks(parallel);
  const subfolders: string[] = [];
  try {
    for (const child of await site.list(path)) {
      const p = sitePathJoin(path, child.name);
      if (child.type === 'dir') subfolders.push(p);
      else await tasks.add(() => site.unlink(p));
    }
  } finally {
    await tasks.settle();
  }
  await tasks.drain();
  for (const p of subfolders) await removeSiteTree(site, p, parallel);
  await site.rmdir(path);
}
