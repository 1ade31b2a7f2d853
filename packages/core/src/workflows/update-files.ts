/**
 * The file side of an update, wherever the install lives (update-steps.ts does not know which):
 * - on this server: the release is unpacked into `.ig-update-<hex>` inside the install folder (one file system),
 *   and swapFiles renames its entries in;
 * - on a website on another server: the release is unpacked on this machine (the checked extraction every install
 *   uses), the parts the update takes are uploaded into `.ig-update-<hex>` inside the install folder on the website,
 *   and swapOnSite renames them in there (same file system as the live files, so each swap is a rename).
 * Either way the unpacked release is also readable here (`release`), for the driver's bundled add-ons.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { LocalSiteFs, type SiteFs } from '@installgate/storage';
import { removeSiteTree, siteFailure, sitePathJoin, uploadSiteTree } from '../archive';
import type { AppDeps } from './app-deps';
import { swapFiles, type Swap } from './restore-swap';
import { swapOnSite } from './site-swap';

export interface UpdateFiles {
  /** The new release, unpacked on this machine (a local folder). */
  readonly release: string;
  /** The release's top-level names. */
  readonly entries: string[];
  /** Whether `rel` (relative to the install folder) exists in the live install. */
  exists(rel: string): Promise<boolean>;
  /**
   * Puts the release's `parts` (paths relative to the release: `wp-admin`, `wp-content/themes/twentytwentyfour`)
   * where `swap` takes them from, without touching anything live.
   */
  stage(parts: readonly string[], signal?: AbortSignal): Promise<void>;
  /** Swaps `names` of the release's folder `sub` ('' = the top) in for the live ones in the same folder of the install. */
  swap(sub: string, names: readonly string[]): Promise<Swap>;
  /** Removes everything the update staged (here and on the website). Safe to call twice. */
  remove(): Promise<void>;
}

type Extract = AppDeps['runtime']['extractRelease'];

/** Runs `make`; on failure removes what was made so far (`undo`) before throwing. */
async function orUndo<T>(make: () => Promise<T>, undo: () => Promise<void>): Promise<T> {
  try {
    return await make();
  } catch (e) {
    await undo().catch(() => undefined);
    throw e;
  }
}

/** The release unpacked into a private folder inside the local install folder `dir`. */
export async function localUpdateFiles(extract: Extract, archive: string, dir: string): Promise<UpdateFiles> {
  const scratch = await fs.promises.mkdtemp(path.join(dir, '.ig-update-'));
  const release = path.join(scratch, 'release');
  const remove = () => fs.promises.rm(scratch, { recursive: true, force: true });
  const { entries } = await orUndo(async () => {
    await fs.promises.mkdir(release);
    return extract(archive, release, { stripTopFolder: true });
  }, remove);
  return {
    release, entries,
    exists: (rel) => fs.promises.lstat(path.join(dir, rel)).then(() => true, () => false),
    // Unpacked in place already: the renames take the entries straight from the release.
    stage: async () => undefined,
    swap: (sub, names) => swapFiles(path.join(dir, sub), path.join(release, sub), names, []),
    remove,
  };
}

/**
 * The release unpacked on this machine, its parts uploaded into `.ig-update-<hex>` inside the install folder `dir`
 * (relative to the website home) of `site`. The staging folder is private (0700): never served half-written.
 */
export async function siteUpdateFiles(extract: Extract, archive: string, site: SiteFs, dir: string): Promise<UpdateFiles> {
  const fail = (e: unknown) => siteFailure(e, site);
  const scratch = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'installgate-update-'));
  const stageDir = sitePathJoin(dir, `.ig-update-${randomBytes(4).toString('hex')}`);
  let staged = false;
  const remove = async () => {
    await fs.promises.rm(scratch, { recursive: true, force: true });
    if (staged) await removeSiteTree(site, stageDir, 8).catch((e: unknown) => Promise.reject(fail(e)));
    staged = false;
  };
  const { entries } = await orUndo(() => extract(archive, scratch, { stripTopFolder: true }), remove);
  const local = new LocalSiteFs(scratch);
  const upload = async (part: string, signal?: AbortSignal) => {
    const entry = await local.stat(part);
    if (!entry) return;
    const parent = path.posix.dirname(part);
    if (parent !== '.') await site.mkdir(sitePathJoin(stageDir, parent), { recursive: true, mode: 0o755 });
    const to = sitePathJoin(stageDir, part);
    if (entry.type === 'dir') {
      await site.mkdir(to, { mode: entry.mode ?? 0o755 });
      await uploadSiteTree(local, part, site, to, { parallel: 8, signal });
    } else if (entry.type === 'symlink') {
      await site.symlink(await local.readlink(part), to);
    } else {
      const body = await local.read(part);
      try {
        await site.write(to, body, { mode: entry.mode ?? undefined });
      } finally {
        body.destroy();
      }
    }
  };
  return {
    release: scratch, entries,
    exists: (rel) => site.stat(sitePathJoin(dir, rel)).then((e) => e !== null, (e: unknown) => Promise.reject(fail(e))),
    async stage(parts, signal) {
      try {
        staged = true;
        await site.mkdir(stageDir, { mode: 0o700 });
        for (const part of parts) await upload(part, signal);
      } catch (e) {
        await remove().catch(() => undefined);
        throw fail(e);
      }
    },
    swap: (sub, names) => swapOnSite(site, sitePathJoin(dir, sub), sitePathJoin(stageDir, sub), names, { parallel: 8 }),
    remove,
  };
}
