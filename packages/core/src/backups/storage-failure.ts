import { EngineError, type CatalogueErrcode } from '@installgate/contracts';
import { isStorageError, LocationUriError, type StorageErrorCode } from '@installgate/storage';

/** StorageError code → errcode (spec §1.11: the filesystem codes name what went wrong with a remote location). */
export const STORAGE_ERRCODE = {
  NOT_FOUND: 'backup_not_found',
  AUTH: 'failed_filesystem_login',
  CONNECT: 'failed_filesystem_host',
  PERMISSION: 'failed_filesystem_permission',
  QUOTA: 'failed_filesystem_quota',
  PROTOCOL: 'internal_error',
  ABORTED: 'internal_error',
} as const satisfies Record<StorageErrorCode, CatalogueErrcode>;

/**
 * Turns what a storage backend threw into an EngineError whose message names the location (its label, with any
 * password masked) but never a credential: StorageError messages are masked by the storage package itself.
 */
export function storageFailure(e: unknown, label: string): EngineError {
  if (e instanceof EngineError) return e;
  if (e instanceof LocationUriError) return new EngineError('invalid_argument_bkloc', { errfield: 'bkloc', message: e.message });
  if (isStorageError(e)) {
    return new EngineError(STORAGE_ERRCODE[e.code], { message: `Backup location ${label}: ${e.message}`, details: { storage: e.code }, cause: e });
  }
  return new EngineError('internal_error', { cause: e });
}
