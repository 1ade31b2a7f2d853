import * as path from 'node:path';
import { StorageError } from '../storage-error';
import { LocalSiteFs } from './local-site-fs';
import { runLimited } from './run-limited';
import { sitePathSegments } from './site-path';
import type { SiteFs } from './site-fs';
import { sitePathJoin, walkSiteTree, type SiteTreeItem } from './walk-site-tree';

/** Options of {@link copySiteTree}, {@link uploadTree} and {@link downloadSiteTree}. */
export interface CopySiteTreeOptions {
  /**
   * Files in flight at once (default 8). A website is mostly small files whose cost is round trips, not bytes:
   * SFTP multiplexes them on its one channel (each file's bytes themselves go with many WRITEs in flight, see
   * sftp-io.ts); FTP is further limited by its transfer pool.
   */
  parallel?: number;
  signal?: AbortSignal;
  /** Called after each file with the bytes copied so far and the total. */
  onProgress?: (done: number, total: number) => void;
}

/** What a tree copy did. */
export interface CopySiteTreeResult {
  files: number;
  dirs: number;
  symlinks: number;
  bytes: number;
}

const aborted = (signal: AbortSignal): StorageError => new StorageError('ABORTED', 'transfer aborted', { cause: signal.reason });

/**
 * Copies everything below the folder `fromDir` of `from` into the folder `toDir` of `to` (created with its parents
 * when missing), keeping modes where the source tells them (FTP listings may not: then the server's default).
 * Existing files are overwritten and other entries kept. A local folder is a source or destination through
 * LocalSiteFs (see uploadTree, downloadSiteTree); a restore copies its verified staging folder to the website.
 *
 * The source is walked first (sorted, links not followed); then every folder is created once its parent is, and
 * files start as soon as their own folder exists, `parallel` at a time, streamed (never held in memory). Symlinks
 * are recreated as symlinks (target as stored); a destination without symlinks (FTP) is refused with PROTOCOL
 * before anything is written, rather than copying what a link points to (outside the tree, or a loop).
 *
 * Rejects with the first StorageError (or ABORTED when `signal` fires), but only once every request already
 * started has ended, so that the caller can remove a partial copy without racing it. What was copied stays.
 */
export async function copySiteTree(from: SiteFs, fromDir: string, to: SiteFs, toDir: string, opts: CopySiteTreeOptions = {}): Promise<CopySiteTreeResult> {
  sitePathSegments(toDir);
  const items: SiteTreeItem[] = [];
  for await (const item of walkSiteTree(from, fromDir)) if (item.entry.type !== 'other') items.push(item); // sockets, devices
  const links = items.filter((i) => i.entry.type === 'symlink');
  if (links.length > 0 && !to.features.symlinks) {
    throw new StorageError('PROTOCOL', `${to.label} cannot hold symlinks, and ${from.label} has ${links.length} (first: ${links[0].path}); replace them with copies first`);
  }
  if (opts.signal?.aborted) throw aborted(opts.signal);
  const total = items.reduce((n, i) => n + (i.entry.type === 'file' ? i.entry.size : 0), 0);
  const result: CopySiteTreeResult = { files: 0, dirs: 0, symlinks: links.length, bytes: 0 };
  const src = (rel: string): string => sitePathJoin(fromDir, rel);
  const dest = (rel: string): string => sitePathJoin(toDir, rel);
  const modeOf = (i: SiteTreeItem): number | undefined => i.entry.mode ?? undefined;

  // Each folder is created once its parent is (the walk gives parents first); everything else waits only for its own.
  const ready = new Map<string, Promise<void>>([['', to.mkdir(toDir, { recursive: true })]]);
  const parentOf = (rel: string): Promise<void> => ready.get(rel.split('/').slice(0, -1).join('/')) as Promise<void>;
  for (const item of items) {
    if (item.entry.type !== 'dir') continue;
    ready.set(item.path, parentOf(item.path).then(() => to.mkdir(dest(item.path), { recursive: true, mode: modeOf(item) })));
    result.dirs++;
  }
  for (const made of ready.values()) made.catch(() => undefined); // observed below, and by the files waiting for it

  const copyOne: Record<'file' | 'symlink', (item: SiteTreeItem) => Promise<void>> = {
    file: async (item) => {
      const body = await from.read(src(item.path));
      try {
        // Every SiteFs turns a failing body (a source file that vanished) into its own StorageError.
        await to.write(dest(item.path), body, { mode: modeOf(item) });
      } finally {
        body.destroy(); // a write that failed may leave the source open
      }
      result.files++;
      result.bytes += item.entry.size;
      opts.onProgress?.(result.bytes, total);
    },
    symlink: async (item) => {
      const target = await from.readlink(src(item.path));
      await to.unlink(dest(item.path)); // replaces an earlier copy's link; a folder there is refused
      await to.symlink(target, dest(item.path));
    },
  };
  try {
    const others = items.filter((i) => i.entry.type !== 'dir');
    await runLimited(others, opts.parallel ?? 8, async (item) => {
      await parentOf(item.path);
      await copyOne[item.entry.type as 'file' | 'symlink'](item);
    }, opts.signal);
  } finally {
    await Promise.allSettled(ready.values()); // folders no file waited for may still be in flight
  }
  await Promise.all(ready.values());
  return result;
}

/** Copies the folder `localDir` of this machine into the website folder `siteDir` ('' = the home): see copySiteTree. */
export async function uploadTree(localDir: string, site: SiteFs, siteDir: string, opts: CopySiteTreeOptions = {}): Promise<CopySiteTreeResult> {
  const local = new LocalSiteFs(path.resolve(localDir));
  return copySiteTree(local, '', site, siteDir, opts).finally(() => local.close());
}

/** Copies the website folder `siteDir` ('' = the home) into `localDir` on this machine (created if missing): see copySiteTree. */
export async function downloadSiteTree(site: SiteFs, siteDir: string, localDir: string, opts: CopySiteTreeOptions = {}): Promise<CopySiteTreeResult> {
  const local = new LocalSiteFs(path.resolve(localDir));
  return copySiteTree(site, siteDir, local, '', opts).finally(() => local.close());
}
