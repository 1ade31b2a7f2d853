/**
 * Checks a website folder against the `files/…` entries of a backup's manifest, after the files were uploaded:
 * the same set of paths (nothing missing, nothing extra), each of the listed type, files of the listed size,
 * symlinks with the listed target and, when asked, every file's sha256 read back from the website.
 *
 * Why sizes by default and checksums only on request (or locally): reading back doubles what a restore moves over
 * the network, while SFTP and FTPS already protect every byte in transit (SSH MAC, TLS); what does go wrong on
 * the way (a cut transfer, a full quota the server did not report) shows as a wrong size or a missing file.
 */
import { createHash } from 'node:crypto';
import { EngineError } from '@installgate/contracts';
import { runLimited, sitePathJoin, walkSiteTree, type SiteFs, type SiteTreeItem } from '@installgate/storage';
import { FILES_ROOT } from './archive-layout';
import type { ManifestEntry } from './manifest';

/** Whether a restore reads every file back to compare checksums, by where the website is (see above). */
export const CHECKSUMS_BY_DEFAULT: Record<SiteFs['kind'], boolean> = { local: true, sftp: false, ftp: false };

export interface CheckSiteOptions {
  checksums?: boolean;
  /** Files read back at once (default 4). */
  parallel?: number;
}

const mismatch = (site: SiteFs, path: string, why: string) =>
  new EngineError('failed_backup_format', { message: `Website ${site.label}: ${FILES_ROOT}/${path} was not restored as the backup's manifest says (${why}).`, details: { reason: 'files', entry: `${FILES_ROOT}/${path}` } });

/** Hex sha256 of a website file, streamed. */
async function siteSha256(site: SiteFs, path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of await site.read(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** The manifest's entries below `files/`, by path relative to the install folder. */
export function filesOfManifest(manifest: readonly ManifestEntry[]): Map<string, ManifestEntry> {
  const prefix = `${FILES_ROOT}/`;
  return new Map(manifest.filter((e) => e.type !== 'rows' && e.path.startsWith(prefix)).map((e) => [e.path.slice(prefix.length), e]));
}

/** Resolves when `dir` of `site` holds exactly the manifest's files; rejects `failed_backup_format` (reason `files`). */
export async function checkSiteFiles(site: SiteFs, dir: string, manifest: readonly ManifestEntry[], opts: CheckSiteOptions = {}): Promise<void> {
  const expected = filesOfManifest(manifest);
  const checksums = opts.checksums ?? CHECKSUMS_BY_DEFAULT[site.kind];
  // Each entry is checked as the walk finds it, `parallel` at a time (a checksum reads the whole file back).
  const check = async ({ path, entry }: SiteTreeItem): Promise<void> => {
    const want = expected.get(path);
    if (!want) throw mismatch(site, path, 'not in the backup');
    expected.delete(path);
    if (entry.type !== want.type) throw mismatch(site, path, `a ${entry.type}, not a ${want.type}`);
    if (want.type === 'file') {
      if (entry.size !== want.size) throw mismatch(site, path, `${entry.size} bytes, not ${want.size}`);
      if (checksums && (await siteSha256(site, sitePathJoin(dir, path))) !== want.sha256) throw mismatch(site, path, 'different content');
    } else if (want.type === 'symlink') {
      const target = await site.readlink(sitePathJoin(dir, path));
      if (target !== want.target) throw mismatch(site, path, 'a different symlink target');
    }
  };
  await runLimited(walkSiteTree(site, dir), opts.parallel ?? 4, check);
  const [missing] = expected.keys();
  if (missing !== undefined) throw mismatch(site, missing, `missing, with ${expected.size - 1} more`);
}
