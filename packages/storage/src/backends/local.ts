import { constants, createWriteStream, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { isTempName, keySegments, listedUnder, prefixFolder, tempNameFor } from '../object-key';
import { guardGet } from '../get-guard';
import { guardPut, settled } from '../put-guard';
import type { BackendFactory } from '../registry';
import type { GetOptions, ObjectInfo, PutOptions, StorageBackend } from '../storage-backend';
import { StorageError, closedError, errnoOf, fromFsError, throwIfAborted } from '../storage-error';

/**
 * A folder on this machine (`local` and `file://` locations). Publishing is a rename in the same folder, so it
 * is atomic, and an overwrite never shows a missing key.
 *
 * Path safety (node-tar's rules): keys with '..', absolute keys and other bad keys are refused (PROTOCOL), and
 * the backend never follows a symlink below its root: a symlinked folder in a key's path is refused
 * (PERMISSION), a symlinked file is invisible (stat null, not listed, get NOT_FOUND). The root itself may be a
 * symlink. Checks and use are not atomic: a local user who can swap folders for symlinks mid-operation is out
 * of scope.
 */
export class LocalBackend implements StorageBackend {
  readonly scheme = 'local' as const;
  readonly features = { atomicReplace: true };
  private closed = false;

  /** `root` must be an absolute, existing folder (use {@link localBackendFactory} to get one checked). */
  constructor(readonly root: string) {}

  /**
   * The folder holding `segments`' last element: every folder before it must be a real folder (not a symlink).
   * Missing folders are created when `create`, else the result is null. Errors: PERMISSION (symlink, or a file
   * where a folder must be when writing).
   */
  private async folderOf(segments: readonly string[], create: boolean): Promise<string | null> {
    let dir = this.root;
    for (const segment of segments.slice(0, -1)) {
      dir = path.join(dir, segment);
      let st = await fs.lstat(dir).catch((err: unknown) => {
        if (errnoOf(err) === 'ENOENT') return null;
        throw fromFsError(err, `folder ${segment}`, create ? 'write' : 'read');
      });
      if (!st && create) {
        await fs.mkdir(dir).catch((err: unknown) => {
          if (errnoOf(err) !== 'EEXIST') throw fromFsError(err, `create folder ${segment}`, 'write');
        });
        st = await fs.lstat(dir);
      }
      if (!st) return null;
      if (st.isSymbolicLink()) throw new StorageError('PERMISSION', `refusing to follow the symlink ${JSON.stringify(segment)} in the location`);
      if (!st.isDirectory()) {
        if (create) throw new StorageError('PERMISSION', `${JSON.stringify(segment)} is a file, not a folder`);
        return null;
      }
    }
    return dir;
  }

  private check(): void {
    if (this.closed) throw closedError(this.scheme);
  }

  /** See {@link StorageBackend.put}. */
  async put(key: string, body: Readable, opts: PutOptions = {}): Promise<void> {
    this.check();
    const segments = keySegments(key);
    throwIfAborted(opts.signal, `upload of ${key}`);
    const dir = (await this.folderOf(segments, true)) as string;
    const name = segments[segments.length - 1];
    const temp = path.join(dir, tempNameFor(name));
    const guard = guardPut(key, body, opts);
    const out = createWriteStream(temp, { flags: 'wx', mode: 0o644, flush: true });
    const transfer = pipeline(guard.stream, out);
    try {
      await guard.race(transfer);
      guard.checkComplete();
      await fs.rename(temp, path.join(dir, name));
    } catch (err) {
      const failure = guard.explain(err, (e) => fromFsError(e, `upload of ${key}`, 'write'));
      out.destroy();
      await settled(transfer);
      // The pipeline can settle before the file stream has closed, even before its open finished: removing the
      // temp file then races with its creation and leaves it behind (seen under I/O load).
      await settled(new Promise<void>((resolve) => (out.closed ? resolve() : out.once('close', () => resolve()))));
      await fs.rm(temp, { force: true }).catch(() => undefined);
      throw failure;
    } finally {
      guard.dispose();
    }
  }

  /** See {@link StorageBackend.get}. */
  async get(key: string, opts: GetOptions = {}): Promise<Readable> {
    this.check();
    const segments = keySegments(key);
    throwIfAborted(opts.signal, `download of ${key}`);
    const dir = await this.folderOf(segments, false);
    if (!dir) throw new StorageError('NOT_FOUND', `${key} not found`);
    const file = path.join(dir, segments[segments.length - 1]);
    let handle: fs.FileHandle;
    try {
      handle = await fs.open(file, constants.O_RDONLY | constants.O_NOFOLLOW);
      if (!(await handle.stat()).isFile()) {
        await handle.close();
        throw new StorageError('NOT_FOUND', `${key} is a folder, not an object`);
      }
    } catch (err) {
      if (errnoOf(err) === 'ELOOP') throw new StorageError('NOT_FOUND', `${key} not found (symlinks are not followed)`);
      throw fromFsError(err, `download of ${key}`, 'read');
    }
    return guardGet(key, handle.createReadStream(), opts.signal, (e) => fromFsError(e, `download of ${key}`, 'read'));
  }

  /** See {@link StorageBackend.stat}. */
  async stat(key: string): Promise<ObjectInfo | null> {
    this.check();
    const segments = keySegments(key);
    const dir = await this.folderOf(segments, false);
    if (!dir) return null;
    try {
      const st = await fs.lstat(path.join(dir, segments[segments.length - 1]));
      return st.isFile() ? { key, size: st.size, mtime: st.mtime } : null;
    } catch (err) {
      if (errnoOf(err) === 'ENOENT') return null;
      throw fromFsError(err, `stat of ${key}`, 'read');
    }
  }

  /** See {@link StorageBackend.list}. */
  async *list(prefix: string): AsyncIterable<ObjectInfo> {
    this.check();
    const folder = prefixFolder(prefix);
    const start = await this.folderOf([...folder, ''], false);
    if (!start) return;
    yield* this.walk(start, folder.join('/'), prefix);
  }

  private async *walk(dir: string, dirKey: string, prefix: string): AsyncGenerator<ObjectInfo> {
    let entries;
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch (err) {
      if (errnoOf(err) === 'ENOENT') return;
      throw fromFsError(err, `list of ${dirKey || '/'}`, 'read');
    }
    for (const entry of entries) {
      if (isTempName(entry.name)) continue;
      const key = dirKey ? `${dirKey}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        // Descend only where keys can still start with the prefix.
        if (`${key}/`.startsWith(prefix) || prefix.startsWith(`${key}/`)) yield* this.walk(path.join(dir, entry.name), key, prefix);
      } else if (entry.isFile() && listedUnder(key, prefix)) {
        const st = await fs.lstat(path.join(dir, entry.name)).catch(() => null);
        if (st?.isFile()) yield { key, size: st.size, mtime: st.mtime };
      }
    }
  }

  /** See {@link StorageBackend.remove}. */
  async remove(key: string): Promise<void> {
    this.check();
    const segments = keySegments(key);
    const dir = await this.folderOf(segments, false);
    if (!dir) return;
    const file = path.join(dir, segments[segments.length - 1]);
    try {
      if ((await fs.lstat(file)).isDirectory()) return; // a folder is not an object: nothing to remove
      await fs.unlink(file);
    } catch (err) {
      if (errnoOf(err) !== 'ENOENT') throw fromFsError(err, `remove of ${key}`, 'write');
    }
  }

  /** See {@link StorageBackend.close}. */
  async close(): Promise<void> {
    this.closed = true;
  }
}

/**
 * Opens a local folder: `file://` paths as given, the literal `local` at `opts.localRoot`. The folder is created
 * when missing. Errors: PROTOCOL (no or relative root), PERMISSION (cannot create it, or a file is in the way).
 */
export const localBackendFactory: BackendFactory<'local'> = {
  scheme: 'local',
  async open(config, opts) {
    const root = config.path ?? opts.localRoot;
    if (!root) throw new StorageError('PROTOCOL', 'the "local" location needs the account folder (localRoot)');
    if (!path.isAbsolute(root)) throw new StorageError('PROTOCOL', `local location folder must be absolute: ${root}`);
    try {
      await fs.mkdir(root, { recursive: true });
      const real = await fs.realpath(root);
      if (!(await fs.stat(real)).isDirectory()) throw new StorageError('PERMISSION', `${root} is not a folder`);
      return new LocalBackend(real);
    } catch (err) {
      throw fromFsError(err, `local location ${root}`, 'write');
    }
  },
};
