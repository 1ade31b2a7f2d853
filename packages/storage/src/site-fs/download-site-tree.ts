import { createWriteStream, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fromFsError } from '../storage-error';
import { runLimited } from './run-limited';
import type { SiteFs } from './site-fs';
import { joinRel, walkSiteTree, type SiteTreeItem } from './walk-site-tree';

/** Options of {@link downloadSiteTree}. */
export interface DownloadSiteTreeOptions {
  /** Files in flight at once (default 8; see uploadTree). */
  concurrency?: number;
  signal?: AbortSignal;
  /** Called after each file with the bytes downloaded so far. */
  onProgress?: (done: number) => void;
}

/** What {@link downloadSiteTree} did. */
export interface DownloadSiteTreeResult {
  files: number;
  dirs: number;
  symlinks: number;
  bytes: number;
}

/**
 * Copies the website folder `siteDir` ('' = the home) into `localDir` on this machine (created if missing),
 * empty folders included, keeping modes where the protocol tells them (FTP listings may not: then 0644/0755).
 * Symlinks are recreated as symlinks, never followed. Files stream to disk, several at once. Folders are made
 * while walking (walkSiteTree gives each folder before its contents), so every file's folder exists when it
 * starts. Rejects with the site's StorageError, a local failure mapped likewise, or ABORTED; what was copied stays.
 */
export async function downloadSiteTree(site: SiteFs, siteDir: string, localDir: string, opts: DownloadSiteTreeOptions = {}): Promise<DownloadSiteTreeResult> {
  const local = (rel: string): string => path.join(localDir, ...rel.split('/'));
  const onDisk = <T>(what: string, p: Promise<T>): Promise<T> => p.catch((err: unknown) => Promise.reject(fromFsError(err, `${what} on this server`, 'write')));
  await onDisk(`creating ${localDir}`, fs.mkdir(localDir, { recursive: true }));
  const result: DownloadSiteTreeResult = { files: 0, dirs: 0, symlinks: 0, bytes: 0 };
  const files: SiteTreeItem[] = [];
  for await (const item of walkSiteTree(site, siteDir)) {
    const { path: rel, entry } = item;
    if (entry.type === 'dir') {
      await onDisk(`creating ${rel}`, fs.mkdir(local(rel), { recursive: true, mode: entry.mode ?? 0o755 }));
      result.dirs++;
    } else if (entry.type === 'symlink') {
      const target = await site.readlink(joinRel(siteDir, rel));
      await onDisk(`creating link ${rel}`, fs.rm(local(rel), { force: true }).then(() => fs.symlink(target, local(rel))));
      result.symlinks++;
    } else if (entry.type === 'file') files.push(item);
  }
  await runLimited(
    files,
    opts.concurrency ?? 8,
    async ({ path: rel, entry }) => {
      const body = await site.read(joinRel(siteDir, rel));
      await pipeline(body, createWriteStream(local(rel), { mode: entry.mode ?? 0o644 })).catch((err: unknown) =>
        Promise.reject(fromFsError(err, `writing ${rel}`, 'write')),
      );
      if (entry.mode !== null) await onDisk(`chmod ${rel}`, fs.chmod(local(rel), entry.mode));
      result.files++;
      result.bytes += entry.size;
      opts.onProgress?.(result.bytes);
    },
    opts.signal,
  );
  return result;
}
