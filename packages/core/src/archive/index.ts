export { writeAppMeta, readAppMeta, SECRET_FIELDS, type AppMeta, type AppMetaExtra } from './app-meta-ini';
export { formatManifest, parseManifest, MANIFEST_FILE, type ManifestEntry, type ManifestEnd } from './manifest';
export { packArchive, PackRefused, type PackArchiveOptions, type PackArchiveResult, type PackRefusal } from './pack-archive';
export { readArchive, safeEntryPath, BackupFormatError, type ArchiveEntry, type ReadArchiveOptions, type BackupFormatReason } from './read-archive';
export { verifyArchive } from './verify-archive';
export { readArchiveMeta } from './read-meta';
export { unpackArchive, type UnpackArchiveOptions } from './unpack-archive';
export { archiveFileName, META_FILE, FILES_ROOT, DUMP_FILE, FORMAT_VERSION } from './archive-layout';
export { TarWriter, type TarHeader } from './tar-writer';
