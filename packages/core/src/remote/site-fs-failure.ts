/**
 * What a website's SiteFs threw, as an EngineError (spec §1.11: the failed_filesystem_* codes name what went wrong
 * with a remote host's files). StorageError messages name the website by its label and never a credential.
 */
import { EngineError, type CatalogueErrcode } from '@installgate/contracts';
import { isStorageError, type StorageErrorCode } from '@installgate/storage';
import { STORAGE_ERRCODE } from '../backups/storage-failure';

/** As for backup locations, except that a missing path is the website's folder, not a backup. */
export const SITE_FS_ERRCODE = { ...STORAGE_ERRCODE, NOT_FOUND: 'failed_filesystem_directory' } as const satisfies Record<StorageErrorCode, CatalogueErrcode>;

export function siteFsFailure(e: unknown): EngineError {
  if (e instanceof EngineError) return e;
  if (isStorageError(e)) return new EngineError(SITE_FS_ERRCODE[e.code], { message: e.message, details: { storage: e.code }, cause: e });
  return new EngineError('internal_error', { message: `Website files: ${(e as Error).message}`, cause: e });
}
