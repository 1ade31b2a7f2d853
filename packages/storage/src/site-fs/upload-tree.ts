import { createReadStream, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { StorageError, fromFsError } from '../storage-error';
import { runLimited } from './run-limited';
import { sitePathSegments } from './site-path';
import type { SiteFs } from './site-fs';
import { joinRel } from './walk-site-tree';

/** Options of {@link uploadTree}. */
export interface UploadTreeOptions {
  /**
   * Files in flight at once (default 8). A website is mostly small files whose cost is round trips, not bytes:
   * SFTP multiplexes them on its one channel; FTP is further limited by its transfer pool.
   */
  concurrency?: number;
  signal?: AbortSignal;
  /** Called after each file with the bytes uploaded so far and the total. */
  onProgress?: (done: number, total: number) => void;
}

/** What {@link uploadTree} did. */
export interface UploadTreeResult {
  files: number;
  dirs: number;
  symlinks: number;
  bytes: number;
}

interface LocalItem {
  rel: string;
  kind: 'dir' | 'file' | 'symlink';
  mode: number;
  size: number;
  /** For symlinks: the target as stored. */
  target?: string;
}

/** The tree under `root`, folders before their contents; other kinds (sockets, devices) are skipped. */
async function scanLocal(root: string): Promise<LocalItem[]> {
  const items: LocalItem[] = [];
  const scan = async (rel: string): Promise<void> => {
    const names = (await fs.readdir(path.join(root, rel))).sort();
    for (const name of names) {
      const childRel = joinRel(rel, name);
      const abs = path.join(root, childRel);
      const st = await fs.lstat(abs);
      const base = { rel: childRel, mode: st.mode & 0o7777, size: st.size };
      if (st.isSymbolicLink()) items.push({ ...base, kind: 'symlink', target: await fs.readlink(abs) });
      else if (st.isFile()) items.push({ ...base, kind: 'file' });
      else if (st.isDirectory()) {
        items.push({ ...base, kind: 'dir' });
        await scan(childRel);
      }
    }
  };
  await scan('');
  return items;
}

/**
 * Copies the folder `localDir` of this machine into the website folder `siteDir` ('' = the home), creating
 * folders as needed and keeping each file's and folder's mode. Files stream from disk (never held in memory),
 * several at once; each starts as soon as its folder exists. Existing files are overwritten, other entries kept.
 *
 * Symlinks are recreated as symlinks (target as stored) where `site.features.symlinks`; on a site without
 * symlinks (FTP) a tree that has any is refused with PROTOCOL before anything is uploaded, rather than copying
 * what the link points to (which may be outside the tree, or a loop). Rejects with the site's StorageError, a
 * local read failure mapped the same way, or ABORTED when `signal` fires; what was uploaded so far stays.
 */
export async function uploadTree(localDir: string, site: SiteFs, siteDir: string, opts: UploadTreeOptions = {}): Promise<UploadTreeResult> {
  sitePathSegments(siteDir);
  const items = await scanLocal(localDir).catch((err: unknown) => Promise.reject(fromFsError(err, `reading ${localDir}`, 'read')));
  const links = items.filter((i) => i.kind === 'symlink');
  if (links.length > 0 && !site.features.symlinks) {
    throw new StorageError(
      'PROTOCOL',
      `${site.label} cannot hold symlinks, and ${localDir} has ${links.length} (first: ${links[0].rel}); replace them with copies first`,
    );
  }
  const total = items.reduce((n, i) => n + (i.kind === 'file' ? i.size : 0), 0);
  let bytes = 0;
  // Each folder is created once its parent is; everything else waits only for its own folder.
  const top = site.mkdir(siteDir, { recursive: true });
  top.catch(() => undefined); // observed by what waits for it
  const ready = new Map<string, Promise<void>>([['', top]]);
  const parentOf = (rel: string): Promise<void> => ready.get(rel.split('/').slice(0, -1).join('/')) as Promise<void>;
  const target = (rel: string): string => joinRel(siteDir, rel);
  for (const item of items) {
    if (item.kind !== 'dir') continue;
    const made = parentOf(item.rel).then(() => site.mkdir(target(item.rel), { recursive: true, mode: item.mode }));
    made.catch(() => undefined); // observed by the files waiting for it
    ready.set(item.rel, made);
  }
  const others = items.filter((i) => i.kind !== 'dir');
  await runLimited(
    others,
    opts.concurrency ?? 8,
    async (item) => {
      await parentOf(item.rel);
      if (item.kind === 'symlink') {
        await site.unlink(target(item.rel)); // replaces an earlier upload's link; a folder there is refused
        await site.symlink(item.target as string, target(item.rel));
        return;
      }
      // Every SiteFs turns a failing body (the local file vanished) into its own StorageError.
      const body = createReadStream(path.join(localDir, ...item.rel.split('/')), { highWaterMark: 64 * 1024 });
      await site.write(target(item.rel), body, { mode: item.mode });
      bytes += item.size;
      opts.onProgress?.(bytes, total);
    },
    opts.signal,
  );
  // Folders with no files below them were not waited for by anything.
  await Promise.all(ready.values());
  return { files: others.length - links.length, dirs: items.length - others.length, symlinks: links.length, bytes };
}
