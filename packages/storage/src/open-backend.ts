import { localBackendFactory } from './backends/local';
import { lazyFactory } from './lazy-factory';
import type { LocationConfig } from './location-config';
import { parseLocationUri } from './location-uri';
import { BackendRegistry, type OpenBackendOptions } from './registry';
import type { StorageBackend } from './storage-backend';

/** The built-in backends. There is no plugin loading (style-anchors §6.7). */
export function createDefaultRegistry(): BackendRegistry {
  // Network backends load their libraries on first use (require: CommonJS output, resolved at that moment).
  return new BackendRegistry([
    localBackendFactory,
    lazyFactory('ftp', () => (require('./backends/ftp') as typeof import('./backends/ftp')).ftpBackendFactory),
    lazyFactory('sftp', () => (require('./backends/sftp') as typeof import('./backends/sftp')).sftpBackendFactory),
    lazyFactory('webdav', () => (require('./backends/webdav') as typeof import('./backends/webdav')).webdavBackendFactory),
    lazyFactory('s3', () => (require('./backends/s3') as typeof import('./backends/s3')).s3BackendFactory),
  ]);
}

const defaultRegistry = createDefaultRegistry();

/** Options of {@link openBackend}. */
export interface OpenOptions extends OpenBackendOptions {
  /** Registry to use instead of the built-in one (tests). */
  registry?: BackendRegistry;
}

/**
 * Opens a backup location from its URI or parsed config, and resolves once the location answered (credentials
 * checked, folder or bucket reachable). Throws LocationUriError for a URI that cannot be used (synchronously
 * parsed, so the promise rejects with it), StorageError AUTH / CONNECT / PERMISSION / NOT_FOUND (S3 bucket) /
 * PROTOCOL for a location that does not work. The caller owns the backend and must close it.
 */
export async function openBackend(location: string | LocationConfig, opts: OpenOptions = {}): Promise<StorageBackend> {
  const config = typeof location === 'string' ? parseLocationUri(location) : location;
  const { registry = defaultRegistry, ...factoryOptions } = opts;
  return registry.open(config, factoryOptions);
}
