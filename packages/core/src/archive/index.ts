export { writeAppMeta, readAppMeta, SECRET_FIELDS, type AppMeta, type AppMetaExtra } from './app-meta-ini';
export { formatManifest, parseManifest, MANIFEST_FILE, type ManifestEntry, type ManifestEnd } from './manifest';
export { packArchive, PackRefused, type PackArchiveOptions, type PackArchiveCommon, type PackFrom, type PackArchiveResult, type PackRefusal } from './pack-archive';
export { readArchive, safeEntryPath, BackupFormatError, type ArchiveEntry, type ReadArchiveOptions, type BackupFormatReason } from './read-archive';
export { verifyArchive } from './verify-archive';
export { readArchiveMeta } from './read-meta';
export { unpackArchive, type UnpackArchiveOptions } from './unpack-archive';
export { archiveFileName, META_FILE, FILES_ROOT, DUMP_FILE, FORMAT_VERSION } from './archive-layout';
export { TarWriter, type TarHeader } from './tar-writer';
export { localPackSource, type PackItem, type PackSource } from './pack-source';
export { sitePackSource, type SitePackOptions } from './site-pack-source';
export { siteFailure, missingSiteFolder, SITE_ERRCODE } from '../sites/site-failure';
export { checkSiteFiles, filesOfManifest, CHECKSUMS_BY_DEFAULT, type CheckSiteOptions } from './check-site-files';
// The tree helpers are the storage package's; these names are the ones core's workflows import from here.
export {
  walkSiteTree, sitePathJoin, copySiteTree as uploadSiteTree, removeSiteTree,
  type SiteTreeItem, type WalkSiteTreeOptions as WalkSiteOptions, type CopySiteTreeOptions as UploadTreeOptions,
} from '@installgate/storage';
