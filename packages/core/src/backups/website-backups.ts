/**
 * `local` backups of a website on another server (spec §2.4, §8.2): Installatron keeps them in the website's own
 * `path_backups` folder ON THAT SERVER, so they are reached as the website's files are (its SiteFs, its current
 * credentials). A backup object stores the folder as a URI without the password (`local_root`, e.g.
 * `sftp://igweb@host:22/home/igweb/application_backups`); the owner's website that covers it gives the password
 * when the archive is opened, so a changed website password is picked up, and none is ever stored with a backup.
 */
import { posix } from 'node:path';
import { EngineError, type Website } from '@installgate/contracts';
import { SiteBackend, type StorageBackend } from '@installgate/storage';
import { remoteSiteOf } from '../sites/install-site';
import { isRemoteHome, publicHome } from '../sites/site-home';
import type { SiteOpener } from '../sites/site-opener';
import type { UsersService } from '../users/users-service';

/** The backup folder of a website on another server (its home without password + `path_backups`), else null. */
export function remoteBackupRoot(w: Pick<Website, 'path' | 'path_backups'>): string | null {
  if (!w.path || !isRemoteHome(w.path)) return null;
  const rel = posix.normalize((w.path_backups || '/application_backups/').replace(/\\/g, '/')).replace(/^\/+|\/+$/g, '');
  if (rel === '..' || rel.startsWith('../')) return null;
  return rel === '' || rel === '.' ? publicHome(w.path) : `${publicHome(w.path)}/${rel}`;
}

/**
 * Opens the `local` backup folder `root` (see remoteBackupRoot) of `owner`'s website as a backup location. The
 * connection is the backend's: closing the backend closes it. No website of the owner covers `root` any more →
 * failed_filesystem_directory (the archives there cannot be reached).
 */
export async function openWebsiteBackups(deps: { users: UsersService; sites: SiteOpener }, owner: string, root: string): Promise<StorageBackend> {
  if (!owner) throw new EngineError('internal_error', { message: `no owner given to open the website backup folder ${root}` });
  const where = await remoteSiteOf(deps, { user: owner, path: root });
  if (!where) throw new EngineError('internal_error', { message: 'a website backup folder on this server was opened as a remote one' });
  return new SiteBackend(await deps.sites.open(where.home), where.rel);
}
