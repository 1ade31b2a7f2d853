/** Why the packer refuses an entry, shared by the packer and its file sources (local folder, website). */
import { posix } from 'node:path';
import { EngineError } from '@installgate/contracts';
import { isStorageError } from '@installgate/storage';

export type PackRefusal = 'link-outside' | 'absolute-path' | 'parent-path' | 'unsupported-type' | 'changed';

/** A file the archive must not or cannot hold; errcode `internal_error`, `details.reason` says why. */
export class PackRefused extends EngineError {
  constructor(readonly reason: PackRefusal, readonly entryPath: string, message: string) {
    super('internal_error', { message: `Cannot back up ${JSON.stringify(entryPath.slice(0, 200))}: ${message}`, details: { reason, path: entryPath.slice(0, 200) } });
    this.name = 'PackRefused';
  }
}

/** A `files`/`exclude` path normalised, refused when absolute or with `..`. */
export function checkRelative(p: string): string {
  const norm = posix.normalize(p.replace(/\\/g, '/'));
  if (p.startsWith('/') || posix.isAbsolute(norm)) throw new PackRefused('absolute-path', p, 'absolute paths are not allowed.');
  if (norm === '..' || norm.startsWith('../') || norm.split('/').includes('..')) throw new PackRefused('parent-path', p, '".." is not allowed.');
  return norm.replace(/\/$/, '');
}

/**
 * Symlinks are archived only when their target is relative and stays inside the packed folder (the same rule the
 * reader applies, so every archive we write can be restored).
 */
export function checkLinkTarget(rel: string, target: string): void {
  const resolved = posix.normalize(posix.join(posix.dirname(rel), target));
  if (!target || target.startsWith('/') || resolved === '..' || resolved.startsWith('../')) {
    throw new PackRefused('link-outside', rel, `the symlink points outside the install (${target.slice(0, 200)}).`);
  }
}

/**
 * An entry the walk found that is gone when it is read (a cache file removed by the running site): the backup
 * stops with `changed`, as for a file that shrank, whatever holds the files.
 */
export function vanished(e: unknown): boolean {
  return (e as NodeJS.ErrnoException | null)?.code === 'ENOENT' || isStorageError(e, 'NOT_FOUND');
}

export const vanishedRefusal = (rel: string): PackRefused => new PackRefused('changed', rel, 'it was removed while the backup was taken.');
