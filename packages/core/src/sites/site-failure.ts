import { EngineError, type CatalogueErrcode } from '@installgate/contracts';
import { isStorageError, LocationUriError, type SiteFs, type StorageErrorCode } from '@installgate/storage';
import { STORAGE_ERRCODE } from '../backups/storage-failure';

/**
 * StorageError code → errcode for a website's own files (spec §1.11): as for a backup location, except that a missing
 * path on a website means its folder is gone (`failed_filesystem_directory`), not a missing backup.
 */
export const SITE_ERRCODE = { ...STORAGE_ERRCODE, NOT_FOUND: 'failed_filesystem_directory' } as const satisfies Record<StorageErrorCode, CatalogueErrcode>;

const labelOf = (site: string | Pick<SiteFs, 'label'>) => (typeof site === 'string' ? site : site.label);

/**
 * What a website's SiteFs threw, as an EngineError naming the website (its label: the home without the password;
 * StorageError messages are masked by the storage package). EngineErrors and anything that is not a storage failure
 * (an abort, an archive output closing) pass through unchanged.
 */
export function siteFailure(e: unknown, site: string | Pick<SiteFs, 'label'>): unknown {
  if (e instanceof LocationUriError) return new EngineError('invalid_argument_path', { errfield: 'path', message: `Website ${labelOf(site)}: ${e.message}` });
  if (!isStorageError(e)) return e;
  return new EngineError(SITE_ERRCODE[e.code], { message: `Website ${labelOf(site)}: ${e.message}`, details: { storage: e.code }, cause: e });
}

/** A folder of a website that is not there (or not a folder). */
export function missingSiteFolder(site: string | Pick<SiteFs, 'label'>, dir: string): EngineError {
  return new EngineError('failed_filesystem_directory', { message: `Website ${labelOf(site)}: the folder ${dir === '' ? '(home)' : dir} does not exist.` });
}
