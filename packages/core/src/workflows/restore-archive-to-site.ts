/**
 * A whole archive onto a website: unpacked and checked on this machine first (a private folder under `scratch`,
 * never the website), then handed to restoreFilesToSite. For callers that restore files without a restore
 * workflow around them; the workflow itself unpacks in its own step (loading the dump meanwhile) and calls
 * restoreFilesToSite in its swap step.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { SiteFs } from '@installgate/storage';
import { unpackArchive, type AppMeta, type ManifestEntry, type UnpackArchiveOptions } from '../archive';
import { restoreFilesToSite, type RestoreToSiteOptions } from './restore-site-files';
import type { Swap } from './restore-swap';

export interface RestoreArchiveToSiteOptions extends RestoreToSiteOptions, Pick<UnpackArchiveOptions, 'onDump'> {
  /** Folder on this machine for the unpacked files (default: the system temp folder). */
  scratch?: string;
}

/**
 * Unpacks `input` (every refusal and checksum of unpackArchive applies before anything reaches the website) and
 * swaps its files into `dir` of `site`. Resolves with the swap to commit or roll back, and what the archive held.
 */
export async function restoreArchiveToSite(
  site: SiteFs,
  dir: string,
  input: Readable,
  opts: RestoreArchiveToSiteOptions = {},
): Promise<{ swap: Swap; meta: AppMeta; manifest: ManifestEntry[]; names: string[] }> {
  const staged = await mkdtemp(join(opts.scratch ?? tmpdir(), 'ig-site-restore-'));
  try {
    const { meta, manifest, entries } = await unpackArchive(input, staged, { onDump: opts.onDump, signal: opts.signal });
    const swap = await restoreFilesToSite(site, dir, { staged, names: entries, manifest }, opts);
    return { swap, meta, manifest, names: entries };
  } finally {
    await rm(staged, { recursive: true, force: true });
  }
}
