import type { Readable } from 'node:stream';
import { guardGet } from '../get-guard';
import { isTempName, keySegments, prefixFolder, tempNameFor } from '../object-key';
import { guardPut, removeUntilGone, settled } from '../put-guard';
import type { BackendScheme, GetOptions, ObjectInfo, PutOptions, StorageBackend } from '../storage-backend';
import { StorageError, closedError, messageOf, throwIfAborted } from '../storage-error';
import type { SiteFs } from './site-fs';

/** The backend scheme a website connection speaks (for messages and feature checks only). */
const SCHEME: Record<SiteFs['kind'], BackendScheme> = { local: 'local', sftp: 'sftp', ftp: 'ftp' };

export interface SiteBackendOptions {
  /** Close the website connection when the backend closes (default true: the backend owns it). */
  closeSite?: boolean;
}

/**
 * A backup location inside a website's own files: Installatron's `local` location of a website on another server
 * is the `path_backups` folder of that website, ON that server, reached through the website's SiteFs (the same
 * connection and credentials its installs use). `root` is relative to the website home ('' = the home).
 *
 * Publishing is a rename of `.partial-<hex>-<name>` in the key's folder (SiteFs.rename: atomic over SFTP and on
 * this machine; over FTP an existing key is removed first, since RNTO onto a file is not atomic everywhere). As the
 * local backend, it never follows a symlink in a key's folders (PERMISSION when writing, invisible when reading).
 */
export class SiteBackend implements StorageBackend {
  readonly scheme: BackendScheme;
  readonly features: { atomicReplace: boolean };
  private closed = false;

  constructor(
    private readonly site: SiteFs,
    private readonly root: string,
    private readonly opts: SiteBackendOptions = {},
  ) {
    this.scheme = SCHEME[site.kind];
    this.features = { atomicReplace: site.features.atomicReplace };
  }

  private at(segments: readonly string[]): string {
    return [this.root.replace(/^\/+|\/+$/g, ''), ...segments].filter((s) => s !== '').join('/');
  }

  private check(): void {
    if (this.closed) throw closedError(`website ${this.site.label}`);
  }

  /**
   * The site path of the folder holding `segments`' last element; every folder before it must be a real folder.
   * Missing folders are made when `create`, else null. A symlink or a file on the way → PERMISSION (writing) or null.
   */
  private async folderOf(segments: readonly string[], create: boolean): Promise<string | null> {
    if (create && this.root !== '') await this.site.mkdir(this.at([]), { recursive: true, mode: 0o700 });
    for (let i = 1; i < segments.length; i++) {
      const dir = this.at(segments.slice(0, i));
      let st = await this.site.stat(dir);
      if (!st && create) {
        await this.site.mkdir(dir, { mode: 0o700 }).catch(async (e: unknown) => {
          if ((await this.site.stat(dir))?.type !== 'dir') throw e; // another upload made it meanwhile
        });
        st = await this.site.stat(dir);
      }
      if (!st) return null;
      if (st.type !== 'dir') {
        if (create) throw new StorageError('PERMISSION', `${JSON.stringify(segments[i - 1])} is not a folder (symlinks are not followed)`);
        return null;
      }
    }
    return this.at(segments.slice(0, -1));
  }

  async put(key: string, body: Readable, opts: PutOptions = {}): Promise<void> {
    this.check();
    const segments = keySegments(key);
    throwIfAborted(opts.signal, `upload of ${key}`);
    const guard = guardPut(key, body, opts);
    const name = segments[segments.length - 1]!;
    let temp: string | null = null;
    let transfer: Promise<void> | null = null;
    try {
      const dir = (await guard.race(this.folderOf(segments, true))) as string;
      temp = `${dir === '' ? '' : `${dir}/`}${tempNameFor(name)}`;
      transfer = this.site.write(temp, guard.stream, { mode: 0o600 });
      await guard.race(transfer);
      guard.checkComplete();
      const final = this.at(segments);
      if (!this.site.features.atomicReplace && (await this.site.stat(final))) await this.site.unlink(final);
      await this.site.rename(temp, final);
    } catch (err) {
      const failure = guard.explain(err, (e) => new StorageError('PROTOCOL', `upload of ${key}: ${messageOf(e)}`, { cause: e }));
      if (transfer) await settled(transfer);
      const t = temp;
      if (t) await removeUntilGone(async () => ((await this.site.stat(t)) ? (await this.site.unlink(t), true) : false));
      throw failure;
    } finally {
      guard.dispose();
    }
  }

  async get(key: string, opts: GetOptions = {}): Promise<Readable> {
    this.check();
    const segments = keySegments(key);
    throwIfAborted(opts.signal, `download of ${key}`);
    if (!(await this.stat(key))) throw new StorageError('NOT_FOUND', `${key} not found`);
    const stream = await this.site.read(this.at(segments));
    return guardGet(key, stream, opts.signal, (e) => new StorageError('PROTOCOL', `download of ${key}: ${messageOf(e)}`, { cause: e }));
  }

  async stat(key: string): Promise<ObjectInfo | null> {
    this.check();
    const segments = keySegments(key);
    if ((await this.folderOf(segments, false)) === null) return null;
    const st = await this.site.stat(this.at(segments));
    return st?.type === 'file' ? { key, size: st.size, mtime: new Date(st.mtimeMs) } : null;
  }

  async *list(prefix: string): AsyncIterable<ObjectInfo> {
    this.check();
    const folder = prefixFolder(prefix);
    if ((await this.folderOf([...folder, ''], false)) === null) return;
    yield* this.walk(folder, prefix);
  }

  private async *walk(folder: readonly string[], prefix: string): AsyncGenerator<ObjectInfo> {
    const entries = await this.site.list(this.at(folder)).catch((e: unknown) => {
      if (e instanceof StorageError && e.code === 'NOT_FOUND') return [];
      throw e;
    });
    for (const entry of entries) {
      if (isTempName(entry.name)) continue;
      const key = [...folder, entry.name].join('/');
      if (entry.type === 'dir') {
        // Descend only where keys can still start with the prefix.
        if (prefix.startsWith(`${key}/`) || `${key}/`.startsWith(prefix)) yield* this.walk([...folder, entry.name], prefix);
      } else if (entry.type === 'file' && key.startsWith(prefix)) {
        yield { key, size: entry.size, mtime: new Date(entry.mtimeMs) };
      }
    }
  }

  async remove(key: string): Promise<void> {
    this.check();
    const segments = keySegments(key);
    if ((await this.stat(key)) === null) return;
    await this.site.unlink(this.at(segments));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.opts.closeSite !== false) await this.site.close().catch(() => undefined);
  }
}
