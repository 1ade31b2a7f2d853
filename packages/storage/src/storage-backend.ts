import type { Readable } from 'node:stream';

/** The protocol a backend speaks. `ftps`, `ssh`, `webdavs` and `file` URIs open these same backends. */
export type BackendScheme = 'local' | 'ftp' | 'sftp' | 'webdav' | 's3';

/** One stored object. `key` is relative to the location root, '/'-separated. */
export interface ObjectInfo {
  key: string;
  /** Bytes. */
  size: number;
  /** Last modification as the server reports it (precision varies: FTP LIST may give minutes). */
  mtime: Date;
}

/** Options of {@link StorageBackend.put}. */
export interface PutOptions {
  /**
   * Expected byte count. When given, a body of another length is refused (PROTOCOL) and nothing is published;
   * S3 also uses it to choose a single PUT.
   */
  size?: number;
  /** Aborting rejects the put with ABORTED and publishes nothing. */
  signal?: AbortSignal;
}

/** Options of {@link StorageBackend.get}. */
export interface GetOptions {
  /** Aborting destroys the returned stream with an ABORTED StorageError. */
  signal?: AbortSignal;
}

/**
 * Optional abilities (rclone `Features`, kept tiny).
 * `atomicReplace`: overwriting an existing key never leaves a moment where the key is missing.
 */
export interface BackendFeatures {
  readonly atomicReplace: boolean;
}

/**
 * A backup location. Keys are '/'-separated and relative to the location root: no leading '/', no empty,
 * '.' or '..' segment, no NUL or backslash, and no segment starting with `.partial-` (reserved for uploads in
 * progress). A bad key is refused with StorageError PROTOCOL before anything is sent.
 *
 * Every method rejects only with {@link StorageError}. After {@link close}, every method rejects with PROTOCOL.
 */
export interface StorageBackend {
  readonly scheme: BackendScheme;
  readonly features: BackendFeatures;

  /**
   * Stores `body` under `key`, replacing what was there. Atomic publish: bytes go to a temporary
   * `.partial-<random>-<name>` next to the key and are renamed onto it only after the whole body arrived (S3: the
   * PUT or multipart completion is the publish point). If the body errors, the signal fires, the size does not
   * match, or the server fails, the put rejects, nothing appears under `key` (an existing object stays as it was),
   * and the temporary object is removed when the server still answers. Parent folders are created as needed.
   * Errors: ABORTED (signal fired or body failed; `cause` holds the body's error), AUTH, CONNECT, PERMISSION, QUOTA,
   * PROTOCOL. Not idempotent in the sense of retryable: `body` is consumed.
   */
  put(key: string, body: Readable, opts?: PutOptions): Promise<void>;

  /**
   * Opens `key` for reading. Resolves once the server agreed to send it. Missing key → NOT_FOUND (never an empty
   * stream). Errors during the transfer destroy the stream with a StorageError. The caller must consume or destroy
   * the stream: it may hold a connection.
   */
  get(key: string, opts?: GetOptions): Promise<Readable>;

  /** Metadata of `key`, or null when it is missing or is a folder (never throws NOT_FOUND). */
  stat(key: string): Promise<ObjectInfo | null>;

  /**
   * Every object whose key starts with `prefix` (a plain string prefix, as in S3: `a/b` matches `a/b/c` and `a/bc`;
   * `''` lists everything), in no particular order. Folders themselves and temporary `.partial-` objects are never
   * listed. A prefix under a missing folder yields nothing. Errors: AUTH, CONNECT, PERMISSION, PROTOCOL.
   */
  list(prefix: string): AsyncIterable<ObjectInfo>;

  /** Deletes `key`. Idempotent: removing a missing key succeeds. Errors: AUTH, CONNECT, PERMISSION, PROTOCOL. */
  remove(key: string): Promise<void>;

  /** Releases connections. Idempotent. In-flight operations may fail with CONNECT or PROTOCOL. */
  close(): Promise<void>;
}
