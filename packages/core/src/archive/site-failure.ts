import { EngineError, type CatalogueErrcode } from '@installgate/contracts';
import { isStorageError, type SiteFs, type StorageErrorCode } from '@installgate/storage';
import { STORAGE_ERRCODE } from '../backups/storage-failure';

/**
 * StorageError code → errcode for a website's files (spec §1.11): as for a backup location, except that a missing
 * path on a website means its folder is gone (`failed_filesystem_directory`), not a missing backup.
 */
export const SITE_ERRCODE = { ...STORAGE_ERRCODE, NOT_FOUND: 'failed_filesystem_directory' } as const satisfies Record<StorageErrorCode, CatalogueErrcode>;

/**
 * What a SiteFs threw, as an EngineError naming the website by its label (which never holds a credential; the
 * StorageError message is masked by the storage package). EngineErrors and anything that is not a storage
 * failure (an abort, the archive output closing) pass through unchanged.
 */
export function siteFailure(e: unknown, site: Pick<SiteFs, 'label'>): unknown {
  if (!isStorageError(e)) return e;
  return new EngineError(SITE_ERRCODE[e.code], { message: `Website ${site.label}: ${e.message}`, details: { storage: e.code }, cause: e });
}

/** A folder of a website that is not there (or not a folder). */
export function missingSiteFolder(site: Pick<SiteFs, 'label'>, dir: string): EngineError {
  return new EngineError('failed_filesystem_directory', { message: `Website ${site.label}: the folder ${dir === '' ? '(home)' : dir} does not exist.` });
}
