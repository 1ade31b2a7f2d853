import * as posix from 'node:path/posix';
import type { Readable } from 'node:stream';
import type { Attributes, FileEntryWithStats, SFTPWrapper } from 'ssh2';
import { secretsOf, type SftpLocation } from '../location-config';
import { isTempName, keySegments, listedUnder, prefixFolder, tempNameFor } from '../object-key';
import { guardGet } from '../get-guard';
import { guardPut, settled } from '../put-guard';
import type { BackendFactory, OpenBackendOptions } from '../registry';
import type { GetOptions, ObjectInfo, PutOptions, StorageBackend } from '../storage-backend';
import { StorageError, throwIfAborted } from '../storage-error';
import { call, isDir, isFile, writeAll } from './sftp-io';
import { SftpConnection, mapSftpError, openSftpSession, type SftpSession } from './sftp-session';

const infoOf = (key: string, a: Attributes): ObjectInfo => ({ key, size: a.size, mtime: new Date(a.mtime * 1000) });

/**
 * SFTP (`sftp://`, `ssh://`) over ssh2, one connection reopened on demand. The location path is relative to the
 * login folder. Publishing renames the temporary file: with `posix-rename@openssh.com` (OpenSSH) that is atomic
 * (`features.atomicReplace`); without it an existing target is removed first, leaving a short gap.
 */
export class SftpBackend implements StorageBackend {
  readonly scheme = 'sftp' as const;
  readonly features: { atomicReplace: boolean };
  private readonly connection: SftpConnection;

  constructor(
    private readonly config: SftpLocation,
    opts: OpenBackendOptions,
    first: SftpSession,
  ) {
    this.features = { atomicReplace: first.posixRename };
    this.secrets = secretsOf(config);
    this.connection = new SftpConnection(config, opts, this.secrets, this.scheme, first);
  }

  private readonly secrets: string[];
  private map = (what: string) => (err: unknown) => mapSftpError(err, what, this.secrets);

  /** The live session, reconnecting when the previous one died. */
  private live(): Promise<SftpSession> {
    return this.connection.live();
  }

  private base(s: SftpSession): string {
    return posix.join(s.home, this.config.path);
  }

  private async attrs(sftp: SFTPWrapper, path: string): Promise<Attributes | null> {
    return call<Attributes>((cb) => sftp.stat(path, cb)).catch((err: unknown) => {
      if ((err as { code?: unknown }).code === 2) return null;
      throw err;
    });
  }

  /** Creates each missing folder of `segments` under the base; returns the deepest. */
  private async ensureFolder(s: SftpSession, segments: readonly string[]): Promise<string> {
    let dir = this.base(s);
    for (const segment of ['', ...segments]) {
      dir = segment ? `${dir}/${segment}` : dir;
      const a = await this.attrs(s.sftp, dir);
      if (a && isDir(a)) continue;
      if (a) throw new StorageError('PERMISSION', `${segment || dir} is a file, not a folder`);
      await call<void>((cb) => s.sftp.mkdir(dir, { mode: 0o755 }, (err) => cb(err, undefined))).catch(async (err: unknown) => {
        const again = await this.attrs(s.sftp, dir); // created concurrently?
        if (!again || !isDir(again)) throw err;
      });
    }
    return dir;
  }

  /** See {@link StorageBackend.put}. */
  async put(key: string, body: Readable, opts: PutOptions = {}): Promise<void> {
    const segments = keySegments(key);
    const s = await this.live();
    throwIfAborted(opts.signal, `upload of ${key}`);
    const map = this.map(`upload of ${key}`);
    const dir = await this.ensureFolder(s, segments.slice(0, -1)).catch((err: unknown) => Promise.reject(map(err)));
    const name = segments[segments.length - 1];
    const temp = `${dir}/${tempNameFor(name)}`;
    const guard = guardPut(key, body, opts);
    let handle: Buffer | undefined;
    const transfer = (async () => {
      handle = await call<Buffer>((cb) => s.sftp.open(temp, 'wx', { mode: 0o644 }, cb));
      await writeAll(s.sftp, handle, guard.stream);
      const h = handle;
      handle = undefined;
      await call<void>((cb) => s.sftp.close(h, (err) => cb(err, undefined)));
    })();
    try {
      await guard.race(transfer);
      guard.checkComplete();
      await this.publish(s, temp, `${dir}/${name}`);
    } catch (err) {
      const failure = guard.explain(err, map);
      await settled(transfer);
      const h = handle;
      if (h && s.alive) await call<void>((cb) => s.sftp.close(h, (e) => cb(e, undefined))).catch(() => undefined);
      await this.removeQuietly(temp);
      throw failure;
    } finally {
      guard.dispose();
    }
  }

  private async publish(s: SftpSession, temp: string, final: string): Promise<void> {
    if (s.posixRename) return call<void>((cb) => s.sftp.ext_openssh_rename(temp, final, (err) => cb(err, undefined)));
    const rename = (): Promise<void> => call<void>((cb) => s.sftp.rename(temp, final, (err) => cb(err, undefined)));
    await rename().catch(async (err: unknown) => {
      // SFTP v3 RENAME refuses an existing target: remove it, then rename (not atomic).
      if (!(await this.attrs(s.sftp, final))) throw err;
      await call<void>((cb) => s.sftp.unlink(final, (e) => cb(e, undefined)));
      await rename();
    });
  }

  /** Best-effort removal of a temporary file, on a fresh session if the old one died. */
  private async removeQuietly(path: string): Promise<void> {
    try {
      const s = await this.live();
      await call<void>((cb) => s.sftp.unlink(path, (e) => cb(e, undefined)));
    } catch {
      // the server is gone or the file never existed: nothing more to do
    }
  }

  private async pathOf(key: string): Promise<{ s: SftpSession; path: string }> {
    const segments = keySegments(key);
    const s = await this.live();
    return { s, path: [this.base(s), ...segments].join('/') };
  }

  /** See {@link StorageBackend.get}. */
  async get(key: string, opts: GetOptions = {}): Promise<Readable> {
    const map = this.map(`download of ${key}`);
    const { s, path } = await this.pathOf(key);
    throwIfAborted(opts.signal, `download of ${key}`);
    const handle = await call<Buffer>((cb) => s.sftp.open(path, 'r', cb)).catch((err: unknown) => Promise.reject(map(err)));
    const a = await call<Attributes>((cb) => s.sftp.fstat(handle, cb)).catch((err: unknown) => Promise.reject(map(err)));
    if (!isFile(a)) {
      s.sftp.close(handle, () => undefined);
      throw new StorageError('NOT_FOUND', `${key} is not a file`);
    }
    const stream = s.sftp.createReadStream(path, { handle, autoClose: true, highWaterMark: 256 * 1024 });
    return guardGet(key, stream, opts.signal, map);
  }

  /** See {@link StorageBackend.stat}. */
  async stat(key: string): Promise<ObjectInfo | null> {
    const { s, path } = await this.pathOf(key);
    const a = await this.attrs(s.sftp, path).catch((err: unknown) => Promise.reject(this.map(`stat of ${key}`)(err)));
    return a && isFile(a) ? infoOf(key, a) : null;
  }

  /** See {@link StorageBackend.list}. */
  async *list(prefix: string): AsyncIterable<ObjectInfo> {
    const folder = prefixFolder(prefix);
    const s = await this.live();
    yield* this.walk(s.sftp, [this.base(s), ...folder].join('/'), folder.join('/'), prefix);
  }

  private async *walk(sftp: SFTPWrapper, dir: string, dirKey: string, prefix: string): AsyncGenerator<ObjectInfo> {
    let entries: FileEntryWithStats[];
    try {
      entries = await call<FileEntryWithStats[]>((cb) => sftp.readdir(dir, cb));
    } catch (err) {
      if ((err as { code?: unknown }).code === 2) return;
      throw this.map(`list of ${dirKey || '/'}`)(err);
    }
    for (const entry of entries) {
      if (isTempName(entry.filename)) continue;
      const key = dirKey ? `${dirKey}/${entry.filename}` : entry.filename;
      if (isDir(entry.attrs)) {
        if (`${key}/`.startsWith(prefix) || prefix.startsWith(`${key}/`)) yield* this.walk(sftp, `${dir}/${entry.filename}`, key, prefix);
      } else if (isFile(entry.attrs) && listedUnder(key, prefix)) {
        yield infoOf(key, entry.attrs);
      }
    }
  }

  /** See {@link StorageBackend.remove}. */
  async remove(key: string): Promise<void> {
    const { s, path } = await this.pathOf(key);
    try {
      await call<void>((cb) => s.sftp.unlink(path, (e) => cb(e, undefined)));
    } catch (err) {
      const a = await this.attrs(s.sftp, path).catch(() => undefined);
      if (a === null || (a && isDir(a))) return; // missing, or a folder (not an object)
      throw this.map(`remove of ${key}`)(err);
    }
  }

  /** See {@link StorageBackend.close}. */
  async close(): Promise<void> {
    await this.connection.close();
  }
}

/**
 * Opens an SFTP location: connects and logs in (AUTH, CONNECT), so a wrong password fails here, not on the first
 * upload. Key auth reads `privateKeyPath` (or `opts.sshPrivateKeyPath`).
 */
export const sftpBackendFactory: BackendFactory<'sftp'> = {
  scheme: 'sftp',
  async open(config, opts) {
    const session = await openSftpSession(config, opts, secretsOf(config));
    return new SftpBackend(config, opts, session);
  },
};
