/**
 * Unpacks a backup archive's `files/…` into a folder and hands the SQL dump to a callback, with node-tar's
 * defences (style-anchors §4.3): no absolute paths, no `..`, no hard links, devices or FIFOs, symlinks only inside
 * the files, never writing through a symlink, never over something that exists.
 *
 * Everything is first written to a private staging folder inside `destDir`; only when the whole archive has
 * matched its manifest are the top-level entries moved into `destDir` (refused if a name exists there). On any
 * failure the staging folder is removed: nothing is left in `destDir`.
 */
import { closeSync, constants, fchmodSync, openSync, writeSync } from 'node:fs';
import { lstat, mkdir, mkdtemp, rename, rm, symlink, chmod } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { EngineError } from '@installgate/contracts';
import type { AppMeta } from './app-meta-ini';
import { FILES_ROOT } from './archive-layout';
import type { ManifestEntry } from './manifest';
import { BackupFormatError, readArchive } from './read-archive';

export interface UnpackArchiveOptions {
  /**
   * Receives the dump while the archive streams (it must consume it). Its checksum is only known once the
   * manifest, the last entry, has been read: when unpack then fails, the dump was already loaded. Run
   * verifyArchive first, or restore into a database you can drop.
   */
  onDump?: (sql: Readable) => Promise<void>;
  signal?: AbortSignal;
}

async function lstatOrNull(p: string) {
  try {
    return await lstat(p);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

function fsError(e: unknown): EngineError {
  if (e instanceof EngineError) return e;
  const code = (e as NodeJS.ErrnoException).code ?? '';
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return new EngineError('failed_filesystem_permission', { details: { code } });
  if (code === 'ENOSPC' || code === 'EDQUOT') return new EngineError('failed_filesystem_quota', { details: { code } });
  return new EngineError('internal_error', { message: `Unpacking the backup failed: ${((e as Error).message ?? String(e)).slice(0, 300)}` });
}

/**
 * Unpacks `input` into `destDir` (which must exist). Resolves with the meta, manifest and the top-level names
 * written. Rejects with BackupFormatError (`failed_backup_format`, details.reason as in verifyArchive plus
 * `through-symlink` and `exists`), `failed_filesystem_directory` (destDir missing), `failed_filesystem_permission`,
 * `failed_filesystem_quota`, or the onDump callback's error.
 */
export async function unpackArchive(
  input: Readable,
  destDir: string,
  opts: UnpackArchiveOptions = {},
): Promise<{ meta: AppMeta; manifest: ManifestEntry[]; entries: string[] }> {
  const st = await lstatOrNull(destDir);
  if (!st?.isDirectory()) throw new EngineError('failed_filesystem_directory', { message: `The folder ${destDir} does not exist.` });
  const stage = await mkdtemp(join(destDir, '.ig-unpack-'));
  const dirsOk = new Set<string>();
  const tops = new Set<string>();
  try {
    /** Parent folders of `parts` inside the staging folder, created as needed, never through a symlink. */
    const prepare = async (parts: string[], raw: string) => {
      for (let i = 0; i < parts.length - 1; i++) {
        const rel = parts.slice(0, i + 1).join('/');
        if (dirsOk.has(rel)) continue;
        const s = await lstatOrNull(join(stage, rel));
        if (s?.isSymbolicLink()) throw new BackupFormatError('through-symlink', `Refused entry written through a symlink: ${raw.slice(0, 200)}`, raw);
        if (s && !s.isDirectory()) throw new BackupFormatError('exists', `Refused entry below a file: ${raw.slice(0, 200)}`, raw);
        if (!s) await mkdir(join(stage, rel), { mode: 0o755 });
        dirsOk.add(rel);
      }
      tops.add(parts[0]);
      return join(stage, ...parts);
    };

    const { meta, manifest } = await readArchive(input, {
      visit: async (entry, m) => {
        opts.signal?.throwIfAborted();
        if (entry.path === m.dump_file) {
          if (opts.onDump) await opts.onDump(entry.body);
          return;
        }
        if (entry.path === FILES_ROOT) return;
        const parts = entry.path.slice(FILES_ROOT.length + 1).split('/');
        const target = await prepare(parts, entry.path);
        const rel = parts.join('/');
        const existing = await lstatOrNull(target);
        if (existing?.isSymbolicLink()) throw new BackupFormatError('through-symlink', `Refused entry written through a symlink: ${entry.path.slice(0, 200)}`, entry.path);
        if (entry.type === 'dir') {
          if (existing && !existing.isDirectory()) throw new BackupFormatError('exists', `Refused entry over a file: ${entry.path.slice(0, 200)}`, entry.path);
          if (!existing) await mkdir(target, { mode: 0o700 });
          await chmod(target, (entry.mode & 0o755) | 0o700);
          dirsOk.add(rel);
        } else if (entry.type === 'symlink') {
          if (existing) throw new BackupFormatError('exists', `Refused duplicate entry: ${entry.path.slice(0, 200)}`, entry.path);
          await symlink(entry.target!, target);
        } else {
          if (existing) throw new BackupFormatError('exists', `Refused duplicate entry: ${entry.path.slice(0, 200)}`, entry.path);
          // setuid/setgid/sticky and group/other write are dropped; the owner can always read and write.
          const mode = (entry.mode & 0o755) | 0o600;
          // Synchronous writes into the private staging folder: a restore writes thousands of small files, and
          // one thread-pool round trip per open/write/close made unpacking several times slower than tar(1).
          const fd = openSync(target, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, mode);
          try {
            for await (const chunk of entry.body as AsyncIterable<Buffer>) {
              for (let off = 0; off < chunk.length; ) off += writeSync(fd, chunk, off, chunk.length - off);
            }
            fchmodSync(fd, mode);
          } finally {
            closeSync(fd);
          }
        }
      },
    });

    // Verified: move the top-level entries in. Nothing that exists in destDir is replaced or written through.
    const names = [...tops].sort();
    for (const name of names) {
      if (await lstatOrNull(join(destDir, name))) throw new BackupFormatError('exists', `${name} already exists in ${destDir}.`, `${FILES_ROOT}/${name}`);
    }
    const moved: string[] = [];
    try {
      for (const name of names) {
        await rename(join(stage, name), join(destDir, name));
        moved.push(name);
      }
    } catch (e) {
      for (const name of moved) await rm(join(destDir, name), { recursive: true, force: true });
      throw e;
    }
    return { meta, manifest, entries: names };
  } catch (e) {
    throw fsError(e);
  } finally {
    await rm(stage, { recursive: true, force: true });
  }
}
