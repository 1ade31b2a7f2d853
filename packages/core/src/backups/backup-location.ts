/**
 * Resolves `bkloc` (spec §2.4, §5.3) to a storage backend: `local` (the account's backup folder inside its website,
 * `path_backups`), a stored location id, or a location URI. What is stored to reach an archive again is the
 * reference as given (`location_ref`) plus the account folder for `local`, so a backup stays reachable even when
 * the website's settings change later. For a website on another server that folder is on that server (a URI
 * without the password, see website-backups.ts).
 */
import * as path from 'node:path';
import { EngineError, type User, type Website } from '@installgate/contracts';
import { isStorageError, LocationUriError, openBackend, parseLocationUri, redactUri, type StorageBackend } from '@installgate/storage';
import type { Actor } from '../access/actor';
import type { LocationsService } from '../settings/locations';
import { isRemoteHome } from '../sites/site-home';
import type { SiteOpener } from '../sites/site-opener';
import type { UsersService } from '../users/users-service';
import { storageFailure } from './storage-failure';
import { openWebsiteBackups, remoteBackupRoot } from './website-backups';

export interface ResolvedLocation {
  /** The backup record's `backup_location`: `local`, a location id, or the URI with its password masked. */
  label: string;
  /** Stored in backup_objects: `local`, a location id, or the full URI. */
  ref: string;
  /** Account folder of `local` (a URI without password for a website on another server); '' otherwise. */
  localRoot: string;
}

const badBkloc = (message: string) => new EngineError('invalid_argument_bkloc', { errfield: 'bkloc', message });

/** The backup folder of a website with a local path (`path` + `path_backups`), or null for a remote website. */
export function websiteBackupFolder(w: Website): string | null {
  if (!w.path || w.path.includes('://') || !path.isAbsolute(w.path)) return null;
  const rel = (w.path_backups || '/application_backups/').replace(/^\/+/, '');
  const dir = path.resolve(w.path, rel);
  return dir === w.path || dir.startsWith(`${w.path.replace(/\/+$/, '')}/`) ? dir : null;
}

/** Every local backup folder of a user (one per website with a local path), without repeats. */
export function localBackupFolders(user: User): string[] {
  return [...new Set(user.websites.map(websiteBackupFolder).filter((d): d is string => d !== null))];
}

/** The `local` backup folder of any website: on this server (a path) or on the website's own server (a URI). */
export function backupRootOf(w: Website): string | null {
  return websiteBackupFolder(w) ?? remoteBackupRoot(w);
}

/** Every `local` backup folder of a user, those of websites on other servers included (import scans them all). */
export function accountBackupRoots(user: User): string[] {
  return [...new Set(user.websites.map(backupRootOf).filter((d): d is string => d !== null))];
}

/**
 * Checks that `actor` may use `bkloc` for `owner` and returns how to reach it. `localRoot` is the account folder
 * `local` means here (the install's website, or for an import the folder being scanned).
 * Throws invalid_argument_bkloc (unknown or disabled id, malformed URI, `file://` from a non-admin, OAuth-only
 * schemes, `local` with no local folder).
 */
export async function resolveLocation(
  deps: { locations: LocationsService },
  actor: Actor,
  bkloc: string,
  localRoot: string | null,
): Promise<ResolvedLocation> {
  const value = bkloc.trim();
  if (value === '' || value === 'local') {
    if (!localRoot) throw badBkloc('This account has no local folder for backups (its website is on another server); choose a backup location.');
    return { label: 'local', ref: 'local', localRoot };
  }
  if (!value.includes('://')) {
    if (!(await deps.locations.isUsableBy(actor, value))) throw badBkloc('The backup location does not exist, is disabled, or is not available to this user (GET /set/backup_locations).');
    return { label: value, ref: value, localRoot: '' };
  }
  let config;
  try {
    config = parseLocationUri(value);
  } catch (e) {
    if (e instanceof LocationUriError) throw badBkloc(e.message);
    throw e;
  }
  if (config.scheme === 'local' && actor.kind !== 'admin') throw badBkloc('file:// locations are for the server administrator only.');
  return { label: redactUri(value), ref: value, localRoot: '' };
}

/** What opening a location needs: the stored locations, and the owner's websites for `local` on another server. */
export interface LocationDeps {
  locations: LocationsService;
  users: UsersService;
  sites: SiteOpener;
}

/**
 * Opens a stored location reference. Storage errors become errcodes naming `label` (see storageFailure). `owner`
 * (the backup's user) gives the credentials of a `local` folder on a website on another server.
 */
export async function openLocation(deps: LocationDeps, ref: string, localRoot: string, label: string, owner: string): Promise<StorageBackend> {
  try {
    if (ref === 'local' && isRemoteHome(localRoot)) return await openWebsiteBackups(deps, owner, localRoot);
    if (ref === 'local') return await openBackend('local', { localRoot });
    if (!ref.includes('://')) {
      const loc = await deps.locations.get(ref, { withSecrets: true });
      if (!loc.enabled) throw badBkloc(`The backup location ${ref} is disabled.`);
      return await openBackend(loc.uri, deps.locations.backendOptions);
    }
    return await openBackend(ref, deps.locations.backendOptions);
  } catch (e) {
    // Opening checks the location itself: a missing bucket or folder there is the location's, not a backup's.
    if (isStorageError(e, 'NOT_FOUND')) throw new EngineError('failed_filesystem_directory', { message: `Backup location ${label}: ${e.message}` });
    throw storageFailure(e, label);
  }
}
