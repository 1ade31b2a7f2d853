import * as posix from 'node:path/posix';
import { Readable } from 'node:stream';
import type { Attributes, FileEntryWithStats } from 'ssh2';
import { secretsOf, type SftpLocation } from '../location-config';
import type { OpenBackendOptions } from '../registry';
import { StorageError } from '../storage-error';
import { call, done, isDir, isFile, isNoSuchFile, isSymlink, readAhead, writeAll } from '../backends/sftp-io';
import { SftpConnection, mapSftpError, openSftpSession, type SftpSession } from '../backends/sftp-session';
import { RemoteSiteFs } from './remote-site-fs';
import type { SiteEntry, SiteFsFeatures } from './site-fs';

/**
 * Free space (bytes) below which a write that failed with a bare SFTP FAILURE is taken as a full disk. OpenSSH's
 * sftp-server sends ENOSPC and EDQUOT as FAILURE ("Failure"), with nothing in the text to tell them from other
 * errors, so the website's own filesystem (statvfs@openssh.com) is asked once the write has failed.
 */
const FULL_BELOW_BYTES = 1024 * 1024;
const SFTP_FAILURE = 4;

interface StatVfs {
  f_frsize: number;
  f_bavail: number;
  f_favail: number;
}

const entryOf = (name: string, a: Attributes): SiteEntry => ({
  name,
  type: isSymlink(a) ? 'symlink' : isDir(a) ? 'dir' : isFile(a) ? 'file' : 'other',
  size: a.size,
  mtimeMs: a.mtime * 1000,
  mode: a.mode & 0o7777,
});

/**
 * A website on another server over SFTP (`sftp://` or `ssh://`). Everything multiplexes on ONE SSH connection
 * and SFTP channel (reopened when the server dropped it): SFTP tags every request, so concurrent calls, and the
 * many files of uploadTree, overlap their round trips instead of opening more connections. Writes and reads keep
 * many requests in flight (sftp-io.ts), which is what makes a transfer run near `scp` speed.
 *
 * stat and list report symlinks as symlinks (LSTAT; OpenSSH's READDIR lstats too). rename replaces an existing file
 * atomically when the server has `posix-rename@openssh.com` (OpenSSH), so `features.atomicReplace` follows it.
 */
export class SftpSiteFs extends RemoteSiteFs {
  readonly kind = 'sftp' as const;
  readonly features: SiteFsFeatures;

  private constructor(
    label: string,
    home: string,
    secrets: readonly string[],
    private readonly connection: SftpConnection,
    posixRename: boolean,
  ) {
    super(label, home, secrets);
    this.features = { symlinks: true, atomicReplace: posixRename };
  }

  /**
   * Connects and logs in (AUTH, CONNECT). The config's path is the home as the server sees it: absolute, or
   * `/` alone for the login folder (what REALPATH('.') says).
   */
  static async open(config: SftpLocation, opts: OpenBackendOptions, label: string): Promise<SftpSiteFs> {
    const secrets = secretsOf(config);
    const first = await openSftpSession(config, opts, secrets, label);
    const home = config.path === '/' ? first.home : config.path;
    return new SftpSiteFs(label, home, secrets, new SftpConnection(config, opts, secrets, label, first), first.posixRename);
  }

  protected mapError(err: unknown, what: string): StorageError {
    return mapSftpError(err, what, this.secrets);
  }

  /** The live session and the server path of `p` (checked first: a refused path sends nothing). */
  private async at(p: string): Promise<{ s: SftpSession; path: string }> {
    const path = this.abs(p);
    return { s: await this.connection.live(), path };
  }

  async stat(p: string): Promise<SiteEntry | null> {
    const { s, path } = await this.at(p);
    try {
      return entryOf(posix.basename(path), await call<Attributes>((cb) => s.sftp.lstat(path, cb)));
    } catch (err) {
      if (isNoSuchFile(err)) return null;
      throw this.fail(`stat ${p || '.'}`, 'read')(err);
    }
  }

  async list(dir: string): Promise<SiteEntry[]> {
    const { s, path } = await this.at(dir);
    return this.attempt(`list ${dir || '.'}`, 'read', async () => {
      const entries = await call<FileEntryWithStats[]>((cb) => s.sftp.readdir(path, cb));
      return entries.filter((e) => e.filename !== '.' && e.filename !== '..').map((e) => entryOf(e.filename, e.attrs));
    });
  }

  async read(p: string): Promise<Readable> {
    const { s, path } = await this.at(p);
    const fail = this.fail(`read ${p}`, 'read');
    // OPEN and STAT go out together: one round trip. STAT (not LSTAT) because reading follows a symlink.
    const opening = call<Buffer>((cb) => s.sftp.open(path, 'r', cb));
    const [opened, attrs] = await Promise.allSettled([opening, call<Attributes>((cb) => s.sftp.stat(path, cb))]);
    if (opened.status === 'rejected') throw fail(opened.reason);
    if (attrs.status === 'rejected' || !isFile(attrs.value)) {
      s.sftp.close(opened.value, () => undefined);
      if (attrs.status === 'rejected') throw fail(attrs.reason);
      this.refuseFolder(p);
    }
    return readAhead(s.sftp, opened.value, attrs.value.size, fail);
  }

  async write(p: string, body: Readable | Buffer | string, opts: { mode?: number } = {}): Promise<void> {
    const { s, path } = await this.at(p);
    const source: AsyncIterable<Buffer | string> | Iterable<Buffer | string> = typeof body === 'string' || Buffer.isBuffer(body) ? [body] : body;
    await this.attempt(`write ${p}`, 'write', async () => {
      try {
        await this.writeOnce(s, path, source, body, opts.mode);
      } catch (err) {
        throw (await this.diskFull(s, path, err)) ? new StorageError('QUOTA', `${this.label}: write ${p}: no space left on the website's disk`, { cause: err, secrets: this.secrets }) : err;
      }
    });
  }

  /** True when `err` is a bare FAILURE and the filesystem holding `path` is (nearly) full, in bytes or inodes. */
  private async diskFull(s: SftpSession, path: string, err: unknown): Promise<boolean> {
    if ((err as { code?: unknown }).code !== SFTP_FAILURE) return false;
    try {
      const st = await call<StatVfs>((cb) => s.sftp.ext_openssh_statvfs(posix.dirname(path), cb));
      return st.f_bavail * st.f_frsize < FULL_BELOW_BYTES || st.f_favail === 0;
    } catch {
      return false; // the server has no statvfs@openssh.com (ssh2 throws): the FAILURE stays what it was
    }
  }

  /** One OPEN, the writes, FSETSTAT and CLOSE (see write). */
  private async writeOnce(s: SftpSession, path: string, source: AsyncIterable<Buffer | string> | Iterable<Buffer | string>, body: Readable | Buffer | string, mode: number | undefined): Promise<void> {
    const handle = await call<Buffer>((cb) => s.sftp.open(path, 'w', mode === undefined ? {} : { mode }, cb));
    try {
      await writeAll(s.sftp, handle, source);
    } catch (err) {
      if (body instanceof Readable) body.destroy();
      await done((cb) => s.sftp.close(handle, cb)).catch(() => undefined);
      throw err;
    }
    // The mode given at OPEN passes the server's umask; FSETSTAT sets it exactly. Sent with CLOSE: no extra wait.
    const chmod = mode === undefined ? undefined : done((cb) => s.sftp.fchmod(handle, mode, cb));
    const closing = done((cb) => s.sftp.close(handle, cb));
    await Promise.all([chmod, closing]);
  }

  protected mkdirOnce(abs: string, mode: number | undefined): Promise<void> {
    return this.connection.live().then((s) => done((cb) => s.sftp.mkdir(abs, mode === undefined ? {} : { mode }, cb)));
  }

  protected unlinkOnce(abs: string): Promise<void> {
    return this.connection.live().then((s) => done((cb) => s.sftp.unlink(abs, cb)));
  }

  protected rmdirOnce(abs: string): Promise<void> {
    return this.connection.live().then((s) => done((cb) => s.sftp.rmdir(abs, cb)));
  }

  protected renameOnce(a: string, b: string): Promise<void> {
    return this.connection
      .live()
      .then((s) => (s.posixRename ? done((cb) => s.sftp.ext_openssh_rename(a, b, cb)) : done((cb) => s.sftp.rename(a, b, cb))));
  }

  async chmod(p: string, mode: number): Promise<void> {
    const { s, path } = await this.at(p);
    await this.attempt(`chmod ${p || '.'}`, 'write', () => done((cb) => s.sftp.chmod(path, mode, cb)));
  }

  async readlink(p: string): Promise<string> {
    const { s, path } = await this.at(p);
    return this.attempt(`readlink ${p}`, 'read', () => call<string>((cb) => s.sftp.readlink(path, cb)));
  }

  async symlink(target: string, p: string): Promise<void> {
    const { s, path } = await this.at(p);
    await this.attempt(`symlink ${p}`, 'write', () => done((cb) => s.sftp.symlink(target, path, cb)));
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.connection.close();
  }
}
