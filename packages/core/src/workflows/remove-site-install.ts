/**
 * The file half of uninstalling an install on a website on another server: its entries go through the website's
 * SiteFs (symlinks removed, never followed), then the folders the install created, each only when empty.
 */
import { isWebServerEntry } from './resolve-target';
import { posix } from 'node:path';
import type { Install } from '@installgate/contracts';
import type { SiteFs } from '@installgate/storage';
import { removeSiteTree } from '../archive';
import { siteAppFiles } from '../drivers/app-files';
import { removeAllLoginFiles } from '../drivers/wordpress-sso';


const safeName = (e: string) => e !== '' && e !== '.' && e !== '..' && !/[/\\\0]/.test(e);

/**
 * Removes the install's entries from `rel` (all of them but web-server entries when the install was cut off
 * half-way: its folder was empty when it began), then `rel` and its parents up to `top` (the topmost folder the
 * install created, relative to the home; null when it created none) while they are empty.
 */
export async function removeSiteInstall(site: SiteFs, rel: string, install: Pick<Install, 'files' | 'incomplete'>, top: string | null): Promise<void> {
  const entries = install.incomplete
    ? (await site.list(rel).catch(() => [])).map((e) => e.name).filter((n) => !isWebServerEntry(n))
    : install.files;
  for (const entry of entries.filter(safeName)) await removeSiteTree(site, rel === '' ? entry : posix.join(rel, entry));
  // Unused single sign-on links are not in the record's files; left there, they would keep the folder.
  await removeAllLoginFiles(siteAppFiles(site, rel));
  if (top === null || top === '' || !(rel === top || rel.startsWith(`${top}/`))) return;
  for (let d = rel; ; d = posix.dirname(d)) {
    // Another install (or the customer) may have put files in a folder since: those stay, and so does the folder.
    if ((await site.list(d)).length > 0) return;
    await site.rmdir(d);
    if (d === top) return;
  }
}
