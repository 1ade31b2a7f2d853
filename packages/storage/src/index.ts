/**
 * @installgate/storage — backup locations: the StorageBackend interface, one backend per protocol (local, FTP/FTPS,
 * SFTP, WebDAV, S3), the location-URI parser, a retry decorator and the shared conformance suite; and websites'
 * files wherever they live (SiteFs: local, SFTP/SSH, FTP/FTPS) with tree helpers and their own conformance suite.
 */
export type { BackendFeatures, BackendScheme, GetOptions, ObjectInfo, PutOptions, StorageBackend } from './storage-backend';
export { downloadTree, type DownloadTreeOptions } from './download-tree';
export {
  STORAGE_ERROR_CODES,
  RETRYABLE_BY_DEFAULT,
  SECRET_MASK,
  StorageError,
  isStorageError,
  maskSecrets,
  type StorageErrorCode,
  type StorageErrorOptions,
} from './storage-error';
export { redactConfig, type FtpLocation, type LocalLocation, type LocationConfig, type S3Location, type SftpLocation, type WebdavLocation } from './location-config';
export { DEFAULT_PORTS, KEY_AUTH_PASSWORD, LocationUriError, parseLocationUri, type LocationUriErrorReason } from './location-uri';
export { formatLocationUri, redactUri, type FormatLocationOptions } from './format-location-uri';
export { TEMP_PREFIX, isTempName } from './object-key';
export { BackendRegistry, type AnyBackendFactory, type BackendFactory, type ConfigFor, type OpenBackendOptions } from './registry';
export { createDefaultRegistry, openBackend, type OpenOptions } from './open-backend';
export { withRetry, type RetryOptions } from './with-retry';
export { LocalBackend, localBackendFactory } from './backends/local';
// The network backends (ftp, sftp, webdav, s3) are reached through openBackend, which loads them on first use.
export { lazyFactory } from './lazy-factory';
export { runStorageConformance, type ConformanceOptions, type ConformanceTarget } from './test/conformance';
export type { SiteEntry, SiteFs, SiteFsFeatures } from './site-fs/site-fs';
export { LocalSiteFs } from './site-fs/local-site-fs';
export { readSmallFile } from './site-fs/read-small-file';
export { sitePathSegments, joinSitePath } from './site-fs/site-path';
// SftpSiteFs and FtpSiteFs are reached through openSiteFs, which loads ssh2 / basic-ftp on first use.
export { openSiteFs, parseSiteHome, type OpenSiteFsOptions, type RemoteSiteHome } from './site-fs/open-site-fs';
export { walkSiteTree, sitePathJoin, type SiteTreeItem, type WalkSiteTreeOptions } from './site-fs/walk-site-tree';
export { copySiteTree, uploadTree, downloadSiteTree, type CopySiteTreeOptions, type CopySiteTreeResult } from './site-fs/copy-site-tree';
export { removeSiteTree } from './site-fs/remove-site-tree';
export { runLimited } from './site-fs/run-limited';
export { SiteBackend, type SiteBackendOptions } from './site-fs/site-backend';
export {
  runSiteFsConformance,
  type SiteFsConformanceOptions,
  type SiteFsTarget,
} from './test/site-fs-conformance';
