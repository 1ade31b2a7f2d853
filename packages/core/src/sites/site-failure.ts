import { EngineError, type CatalogueErrcode } from '@installgate/contracts';
import { isStorageError, LocationUriError, type StorageErrorCode } from '@installgate/storage';

/**
 * StorageError code → errcode for a website's own files (spec §1.11, issue "websites on other servers"): unlike a
 * backup location, a missing folder on a website is `failed_filesystem_directory`.
 */
export const SITE_ERRCODE = {
  NOT_FOUND: 'failed_filesystem_directory',
  AUTH: 'failed_filesystem_login',
  CONNECT: 'failed_filesystem_host',
  PERMISSION: 'failed_filesystem_permission',
  QUOTA: 'failed_filesystem_quota',
  PROTOCOL: 'internal_error',
  ABORTED: 'internal_error',
} as const satisfies Record<StorageErrorCode, CatalogueErrcode>;

/**
 * What a website's SiteFs threw, as an EngineError whose message names the website (`label`: its home without the
 * password) and never a credential (StorageError messages are masked by the storage package).
 */
export function siteFailure(e: unknown, label: string): EngineError {
  if (e instanceof EngineError) return e;
  if (e instanceof LocationUriError) return new EngineError('invalid_argument_path', { errfield: 'path', message: `Website ${label}: ${e.message}` });
  if (isStorageError(e)) {
    return new EngineError(SITE_ERRCODE[e.code], { message: `Website ${label}: ${e.message}`, details: { storage: e.code }, cause: e });
  }
  return new EngineError('internal_error', { cause: e });
}
