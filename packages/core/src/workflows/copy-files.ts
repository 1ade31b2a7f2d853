/**
 * Copies top-level entries of one install folder into another (clone, sync). Each file is copied by the kernel
 * (copyFile / copy_file_range), never read into memory; modification times are kept so that a later sync dry run
 * can tell unchanged files by size and mtime. Symlinks are copied as links, not followed; FIFOs, sockets and
 * devices are skipped, as backups skip them (pack-archive): they are not part of a site.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EngineError } from '@installgate/contracts';

/** Paths (relative to the install, `/`-separated) that `exclude` names, or that lie under one of them. */
export function isExcluded(rel: string, exclude: readonly string[]): boolean {
  return exclude.some((e) => {
    const x = e.replace(/^\/+|\/+$/g, '');
    return x !== '' && (rel === x || rel.startsWith(`${x}/`));
  });
}

/** A top-level entry name that may be joined to an install folder (no separators, no dot names). */
export function isTopLevelName(n: string): boolean {
  return n !== '' && n !== '.' && n !== '..' && !n.includes('/') && !n.includes('\\') && !n.includes('\0');
}

/**
 * Copies `names` from `from` to `to` (which must not hold them yet), skipping `exclude` (the install's
 * `exclude_files`). Disk full and permission errors become the spec's filesystem errcodes.
 */
export async function copyEntries(from: string, to: string, names: readonly string[], exclude: readonly string[] = []): Promise<void> {
  for (const n of names) {
    if (!isTopLevelName(n) || isExcluded(n, exclude)) continue;
    try {
      await fs.promises.cp(path.join(from, n), path.join(to, n), {
        recursive: true, preserveTimestamps: true, verbatimSymlinks: true, errorOnExist: true, force: false,
        filter: async (src) => {
          if (isExcluded(path.relative(from, src).split(path.sep).join('/'), exclude)) return false;
          const st = await fs.promises.lstat(src);
          return st.isFile() || st.isDirectory() || st.isSymbolicLink();
        },
      });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOSPC' || code === 'EDQUOT') throw new EngineError('failed_filesystem_quota', { message: `Copying ${n} failed: the disk is full.` });
      if (code === 'ENAMETOOLONG') throw new EngineError('failed_filesystem_directory', { message: `Copying ${n} failed: a path inside it is too long at the destination.` });
      if (code === 'EACCES' || code === 'EPERM') throw new EngineError('failed_filesystem_permission', { message: `Copying ${n} failed: permission denied.` });
      throw e;
    }
  }
}
