/**
 * Where the packer takes an install's files from: a folder on this machine (`localPackSource`) or a folder of a
 * website reached through a SiteFs (`sitePackSource`). The packer itself only writes tar entries and the manifest,
 * so both give the same layout, the same manifest and the same refusals.
 */
import { lstat, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { vanished, vanishedRefusal } from './pack-refused';
import { readIntoPool, type BufferPool } from '../streams/buffer-pool';

export interface PackItem {
  /** Relative to the packed folder, '/'-separated. */
  rel: string;
  type: 'file' | 'dir' | 'symlink' | 'other';
  size: number;
  /** Permission bits (0o644 …). */
  mode: number;
  mtime: Date;
}

export interface PackSource {
  /**
   * The top-level entries `tops` (in the given order) and everything below the folders among them: a folder before
   * its contents, siblings sorted by name, symlinks not followed, `prune`d paths left out with what is below them.
   * An entry gone before it was looked at rejects with PackRefused `changed`.
   */
  items(tops: readonly string[], prune: (rel: string) => boolean): AsyncIterable<PackItem>;
  /** A symlink's target, as stored. */
  readlink(item: PackItem): Promise<string>;
  /**
   * The bytes of a file item (the packer stops after `item.size` bytes: a file that grew is cut at its size). Chunks
   * may be views of `pool`'s buffers (the packer gives every chunk back to the pool once gzip has consumed it), or
   * buffers of their own.
   */
  open(item: PackItem, pool: BufferPool): AsyncIterable<Buffer>;
  /** The error to report for `e`, thrown while `rel` was read (a vanished file → PackRefused `changed`). */
  failed(e: unknown, rel: string): unknown;
}

/**
 * Files of a folder on this machine. This is the path the backup benchmark measures: one lstat per entry, one
 * readdir per folder, one open and reads into the packer's reused buffers per non-empty file, nothing else (an
 * explicit stack rather than nested generators, so depth adds no per-entry cost).
 */
export function localPackSource(dir: string): PackSource {
  return {
    async *items(tops, prune) {
      const stack = [...tops].reverse();
      while (stack.length > 0) {
        const rel = stack.pop()!;
        if (prune(rel)) continue;
        const abs = join(dir, rel);
        let st;
        try {
          st = await lstat(abs);
        } catch (e) {
          throw vanished(e) ? vanishedRefusal(rel) : e;
        }
        const type = st.isDirectory() ? 'dir' : st.isSymbolicLink() ? 'symlink' : st.isFile() ? 'file' : 'other';
        yield { rel, type, size: st.size, mode: st.mode & 0o7777, mtime: st.mtime };
        if (type !== 'dir') continue;
        let names;
        try {
          names = (await readdir(abs)).sort();
        } catch (e) {
          throw vanished(e) ? vanishedRefusal(rel) : e;
        }
        for (let i = names.length - 1; i >= 0; i--) stack.push(`${rel}/${names[i]}`);
      }
    },
    readlink: (item) => readlink(join(dir, item.rel)).catch((e: unknown) => Promise.reject(vanished(e) ? vanishedRefusal(item.rel) : e)),
    open: (item, pool) => readIntoPool(join(dir, item.rel), item.size, pool),
    failed: (e, rel) => (vanished(e) ? vanishedRefusal(rel) : e),
  };
}
