import type { Readable } from 'node:stream';

/**
 * A website's files, wherever they live: this server's disk (local), another server over SFTP/SSH, or FTP/FTPS.
 * Installatron manages applications on web servers it does not run on (spec §8.2: a website's `path` may be an
 * `sftp://`, `ssh://`, `ftp://` or `ftps://` URI); every operation on such a website goes through this interface.
 *
 * Paths are '/'-separated and RELATIVE TO THE WEBSITE HOME (the website's `path`): `''` is the home itself,
 * `public_html/blog/wp-config.php` a file below it. A path with a `..`, `.` or empty segment, a leading '/', a NUL
 * or a backslash is refused with StorageError PROTOCOL before anything is sent: nothing can reach outside the home.
 *
 * Every method rejects only with StorageError (codes: NOT_FOUND, AUTH → failed_filesystem_login, CONNECT →
 * failed_filesystem_host, PERMISSION → failed_filesystem_permission, QUOTA → failed_filesystem_quota, PROTOCOL),
 * whose message names the website (`label`) but never its credentials.
 */
export interface SiteFs {
  readonly kind: 'local' | 'sftp' | 'ftp';
  /** For messages: `sftp://user@host:port/home` style, never a password. */
  readonly label: string;
  /** What this connection can do (FTP has no symlinks and no atomic replace). */
  readonly features: SiteFsFeatures;

  /** lstat: the entry itself (a symlink is reported as one, not followed); null when missing. */
  stat(path: string): Promise<SiteEntry | null>;
  /** The entries of a folder (no `.`/`..`), in no particular order. Missing folder → NOT_FOUND. */
  list(dir: string): Promise<SiteEntry[]>;
  /** Opens a file for reading; missing → NOT_FOUND. The caller must consume or destroy the stream. */
  read(path: string): Promise<Readable>;
  /**
   * Writes `body` to `path` (created or truncated; the parent must exist), resolving once every byte is on the
   * server. Not atomic by itself: callers that need atomicity write a temporary name and `rename`.
   */
  write(path: string, body: Readable | Buffer | string, opts?: { mode?: number }): Promise<void>;
  /** Creates a folder; `recursive` creates parents and accepts an existing folder. */
  mkdir(path: string, opts?: { recursive?: boolean; mode?: number }): Promise<void>;
  /** Renames a file or folder. `to` must not exist (folders), or is replaced (files) where `features.atomicReplace`. */
  rename(from: string, to: string): Promise<void>;
  /** Removes a file or symlink (never follows it). Missing → resolves. A folder → PROTOCOL. */
  unlink(path: string): Promise<void>;
  /** Removes an empty folder. Missing → resolves. */
  rmdir(path: string): Promise<void>;
  /** Sets permission bits (0o755 …). FTP: SITE CHMOD when the server has it, else a no-op. */
  chmod(path: string, mode: number): Promise<void>;
  /** Reads a symlink's target (as stored). Only where `features.symlinks`. */
  readlink(path: string): Promise<string>;
  /** Creates a symlink at `path` pointing to `target` (stored as given). Only where `features.symlinks`. */
  symlink(target: string, path: string): Promise<void>;
  /** Ends the connection(s). Later calls reject with PROTOCOL. */
  close(): Promise<void>;
}

export interface SiteFsFeatures {
  symlinks: boolean;
  /** rename() onto an existing file replaces it atomically (SFTP posix-rename, local rename). */
  atomicReplace: boolean;
}

export interface SiteEntry {
  /** The entry's own name (last path segment). */
  name: string;
  type: 'file' | 'dir' | 'symlink' | 'other';
  size: number;
  /** Modification time in ms since the epoch (FTP: as precise as MLSD/LIST tell; 0 when unknown). */
  mtimeMs: number;
  /** Permission bits (0o644 …); null when the protocol does not tell. */
  mode: number | null;
}
