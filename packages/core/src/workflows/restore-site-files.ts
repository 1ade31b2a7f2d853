/**
 * The files half of a restore onto a website reached through a SiteFs (another server over SFTP/FTP, or this one
 * through LocalSiteFs): swapFiles (restore-swap.ts) for a folder that is not on this machine.
 *
 * The source is the staging folder unpackArchive already filled and checked on this machine: every refusal of the
 * archive reader (paths leaving the folder, links leaving it, devices, checksums) has applied before the first
 * byte goes to the website, and the restore's database load keeps running beside the unpacking as it does today.
 *
 * On the website, in the install folder `dir`:
 * 1. `dir` is created when it is missing (restore after the folder was deleted), remembering the first folder made;
 * 2. the files are uploaded into `.ig-restore-<hex>` (streamed, a few at a time) and checked there against the
 *    manifest (types, sizes, symlink targets; sha256 read back where CHECKSUMS_BY_DEFAULT or `checksums` says);
 * 3. only then, each live top-level entry the backup or the live install names moves into `.ig-old-<hex>` and the
 *    uploaded one takes its name (renames inside `dir`, one file system, so each is atomic and instant).
 * Entries of `dir` the backup does not name (another install in a subfolder, the host's own files) stay where they
 * are, as with a local restore. Staging inside `dir` rather than beside it also works for an install in the
 * website home itself and on chrooted SFTP accounts whose home cannot hold new folders.
 *
 * Any failure before the swap removes the upload (and a folder it created); a failure during the swap renames
 * everything back. `commit` removes the copy set aside; `rollback` (a later restore step failed) puts it back.
 */
import { randomBytes } from 'node:crypto';
import { EngineError } from '@installgate/contracts';
import { LocalSiteFs, type SiteFs } from '@installgate/storage';
import { checkSiteFiles, filesOfManifest, missingSiteFolder, removeSiteTree, siteFailure, sitePathJoin, uploadSiteTree, type ManifestEntry } from '../archive';
import { allOf, type Swap } from './restore-swap';
import { swapOnSite } from './site-swap';

/** What unpackArchive left on this machine. */
export interface StagedFiles {
  /** Local folder holding the unpacked top-level entries (`names`) and nothing else. */
  staged: string;
  /** The top-level names unpacked (unpackArchive's `entries`). */
  names: readonly string[];
  /** The archive's manifest (unpackArchive's `manifest`), checked against the upload. */
  manifest: readonly ManifestEntry[];
}

export interface RestoreToSiteOptions {
  /** The live install's own top-level entries (its `files`): moved aside too, even when the backup lacks them. */
  replace?: readonly string[];
  /** Read every uploaded file back and compare sha256 (default: CHECKSUMS_BY_DEFAULT by the website's kind). */
  checksums?: boolean;
  /** Files uploaded or read back at once (default 4). */
  parallel?: number;
  signal?: AbortSignal;
}

/** The folder of `dir` that did not exist (the one to remove again on failure), or null when `dir` exists. */
async function ensureFolder(site: SiteFs, dir: string): Promise<string | null> {
  const here = await site.stat(dir);
  if (here) {
    if (here.type !== 'dir') throw missingSiteFolder(site, dir);
    return null;
  }
  const parts = dir.split('/');
  let first = '';
  for (let i = 1; i <= parts.length && !first; i++) {
    const p = parts.slice(0, i).join('/');
    if (!(await site.stat(p))) first = p;
  }
  await site.mkdir(dir, { recursive: true, mode: 0o755 });
  return first;
}

/**
 * Puts the staged files in place of the live ones in `dir` (relative to the website home) of `site`. Resolves
 * once the new files are live (checked against the manifest first); rejects with an EngineError
 * (`failed_filesystem_*` from the website, `failed_backup_format` reason `files` when the upload does not match,
 * `not_implemented` for symlinks on a website without them) with the live files as they were and nothing left.
 */
export async function restoreFilesToSite(site: SiteFs, dir: string, source: StagedFiles, opts: RestoreToSiteOptions = {}): Promise<Swap> {
  const fail = (e: unknown) => siteFailure(e, site);
  if (!site.features.symlinks && [...filesOfManifest(source.manifest).values()].some((e) => e.type === 'symlink')) {
    throw new EngineError('not_implemented', { message: `Website ${site.label}: this backup holds symlinks, which this connection cannot create.` });
  }
  const stage = sitePathJoin(dir, `.ig-restore-${randomBytes(4).toString('hex')}`);
  const created = await ensureFolder(site, dir).catch((e: unknown) => Promise.reject(fail(e)));
  const dropCreated = async () => {
    if (created !== null) await removeSiteTree(site, created, opts.parallel);
  };
  const dropUpload = () => allOf([() => removeSiteTree(site, stage, opts.parallel), dropCreated]);

  const local = new LocalSiteFs(source.staged);
  try {
    await site.mkdir(stage, { mode: 0o700 });
    await uploadSiteTree(local, '', site, stage, { parallel: opts.parallel, signal: opts.signal });
    await checkSiteFiles(site, stage, source.manifest, { checksums: opts.checksums, parallel: opts.parallel });
  } catch (e) {
    await dropUpload().catch(() => undefined);
    throw fail(e);
  } finally {
    await local.close();
  }

  let swap: Swap;
  try {
    swap = await swapOnSite(site, dir, stage, source.names, { replace: opts.replace, parallel: opts.parallel });
  } catch (e) {
    // swapOnSite renamed everything back: what is left to remove is the upload.
    await dropUpload().catch(() => undefined);
    throw e;
  }
  return {
    commit: () => allOf([swap.commit, () => site.rmdir(stage)]).catch((e: unknown) => Promise.reject(fail(e))),
    rollback: () => allOf([swap.rollback, dropUpload]).catch((e: unknown) => Promise.reject(fail(e))),
  };
}
