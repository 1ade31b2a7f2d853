import { createReadStream, createWriteStream, promises as fs, type Stats } from 'node:fs';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { StorageError, closedError, errnoOf, fromFsError } from '../storage-error';
import { sitePathSegments } from './site-path';
import type { SiteEntry, SiteFs } from './site-fs';

const typeOf = (st: Stats): SiteEntry['type'] => (st.isSymbolicLink() ? 'symlink' : st.isDirectory() ? 'dir' : st.isFile() ? 'file' : 'other');

export const entryOf = (name: string, st: Stats): SiteEntry => ({ name, type: typeOf(st), size: st.size, mtimeMs: st.mtimeMs, mode: st.mode & 0o7777 });

/**
 * A website whose home is a folder on this server. Paths are checked by {@link sitePathSegments}; a symlink inside
 * the home is reported and removed as a symlink, never followed by list/stat/unlink (read and write follow it, as
 * the web server would, but only for paths the caller found as files).
 */
export class LocalSiteFs implements SiteFs {
  readonly kind = 'local' as const;
  readonly features = { symlinks: true, atomicReplace: true };
  readonly label: string;
  private closed = false;

  /** `home` must be an absolute folder on this machine. */
  constructor(readonly home: string) {
    this.label = home;
  }

  private abs(p: string): string {
    if (this.closed) throw closedError('local website');
    return path.join(this.home, ...sitePathSegments(p));
  }

  private fail(err: unknown, what: string, op: 'read' | 'write'): StorageError {
    return fromFsError(err, `${this.label}: ${what}`, op);
  }

  async stat(p: string): Promise<SiteEntry | null> {
    const abs = this.abs(p);
    try {
      return entryOf(path.basename(abs), await fs.lstat(abs));
    } catch (e) {
      if (errnoOf(e) === 'ENOENT' || errnoOf(e) === 'ENOTDIR') return null;
      throw this.fail(e, `stat ${p}`, 'read');
    }
  }

  async list(dir: string): Promise<SiteEntry[]> {
    const abs = this.abs(dir);
    try {
      const names = await fs.readdir(abs);
      const out: SiteEntry[] = [];
      for (const name of names) {
        const st = await fs.lstat(path.join(abs, name)).catch((e: unknown) => (errnoOf(e) === 'ENOENT' ? null : Promise.reject(e)));
        if (st) out.push(entryOf(name, st));
      }
      return out;
    } catch (e) {
      throw this.fail(e, `list ${dir || '.'}`, 'read');
    }
  }

  async read(p: string): Promise<Readable> {
    const abs = this.abs(p);
    const handle = await fs.open(abs, 'r').catch((e: unknown) => Promise.reject(this.fail(e, `read ${p}`, 'read')));
    // The FileHandle itself, not its fd: a bare fd closed by the stream made the handle's GC close it again (EBADF crash).
    return createReadStream('', { fd: handle, autoClose: true, highWaterMark: 256 * 1024 });
  }

  async write(p: string, body: Readable | Buffer | string, opts: { mode?: number } = {}): Promise<void> {
    const abs = this.abs(p);
    try {
      if (typeof body === 'string' || Buffer.isBuffer(body)) await fs.writeFile(abs, body, { mode: opts.mode });
      else await pipeline(body, createWriteStream(abs, { mode: opts.mode }));
      if (opts.mode !== undefined) await fs.chmod(abs, opts.mode);
    } catch (e) {
      throw this.fail(e, `write ${p}`, 'write');
    }
  }

  async mkdir(p: string, opts: { recursive?: boolean; mode?: number } = {}): Promise<void> {
    const abs = this.abs(p);
    await fs.mkdir(abs, { recursive: opts.recursive, mode: opts.mode }).catch((e: unknown) => Promise.reject(this.fail(e, `create folder ${p}`, 'write')));
  }

  async rename(from: string, to: string): Promise<void> {
    const a = this.abs(from);
    const b = this.abs(to);
    await fs.rename(a, b).catch((e: unknown) => Promise.reject(this.fail(e, `rename ${from} to ${to}`, 'write')));
  }

  async unlink(p: string): Promise<void> {
    const abs = this.abs(p);
    try {
      await fs.unlink(abs);
    } catch (e) {
      if (errnoOf(e) === 'ENOENT') return;
      if (errnoOf(e) === 'EISDIR' || errnoOf(e) === 'EPERM') {
        const st = await fs.lstat(abs).catch(() => null);
        if (st?.isDirectory()) throw new StorageError('PROTOCOL', `${this.label}: ${p} is a folder, not a file`);
      }
      throw this.fail(e, `remove ${p}`, 'write');
    }
  }

  async rmdir(p: string): Promise<void> {
    const abs = this.abs(p);
    await fs.rmdir(abs).catch((e: unknown) => (errnoOf(e) === 'ENOENT' ? undefined : Promise.reject(this.fail(e, `remove folder ${p}`, 'write'))));
  }

  async chmod(p: string, mode: number): Promise<void> {
    const abs = this.abs(p);
    await fs.chmod(abs, mode).catch((e: unknown) => Promise.reject(this.fail(e, `chmod ${p}`, 'write')));
  }

  async readlink(p: string): Promise<string> {
    const abs = this.abs(p);
    return fs.readlink(abs).catch((e: unknown) => Promise.reject(this.fail(e, `readlink ${p}`, 'read')));
  }

  async symlink(target: string, p: string): Promise<void> {
    const abs = this.abs(p);
    await fs.symlink(target, abs).catch((e: unknown) => Promise.reject(this.fail(e, `symlink ${p}`, 'write')));
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
