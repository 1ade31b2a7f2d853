/**
 * Copies a folder tree from one SiteFs to a folder of another (a restore's verified staging folder on this
 * machine, through LocalSiteFs, to the website): folders first, then their files streamed, a few at a time;
 * symlinks as symlinks. Nothing is read into memory whole.
 */
import type { SiteFs } from '@installgate/storage';
import { BoundedTasks } from './bounded-tasks';
import { sitePathJoin, walkSiteTree } from './walk-site';

export interface UploadTreeOptions {
  /** Files in flight at once (default 4). */
  parallel?: number;
  signal?: AbortSignal;
}

/**
 * Uploads everything below `fromDir` of `from` into `toDir` of `to` (which must exist and hold none of it). Modes
 * go with the entries (FTP: where the server has SITE CHMOD). Rejects with the first failure, after every write
 * in flight has ended, so that the caller can remove a partial upload without racing it.
 */
export async function uploadSiteTree(from: SiteFs, fromDir: string, to: SiteFs, toDir: string, opts: UploadTreeOptions = {}): Promise<void> {
  const tasks = new BoundedTasks(opts.parallel ?? 4);
  try {
    for await (const { path, entry } of walkSiteTree(from, fromDir)) {
      opts.signal?.throwIfAborted();
      const src = sitePathJoin(fromDir, path);
      const dest = sitePathJoin(toDir, path);
      const mode = entry.mode ?? undefined;
      // A folder is created before anything the walk finds in it (it comes first), so no write waits on it.
      if (entry.type === 'dir') await to.mkdir(dest, { mode });
      else if (entry.type === 'symlink') await to.symlink(await from.readlink(src), dest);
      else if (entry.type === 'file') {
        await tasks.add(async () => {
          const body = await from.read(src);
          try {
            await to.write(dest, body, { mode });
          } finally {
            body.destroy(); // a write that failed may leave the source open
          }
        });
      }
    }
  } finally {
    await tasks.settle();
  }
  await tasks.drain();
}
