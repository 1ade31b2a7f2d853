import type { Readable } from 'node:stream';
import { StorageError, closedError } from '../storage-error';
import { joinSitePath } from './site-path';
import type { SiteEntry, SiteFs, SiteFsFeatures } from './site-fs';

/**
 * What SFTP and FTP websites share: the path checks, error messages that name the website, and the parts of the
 * SiteFs contract that protocols do not give by themselves (recursive mkdir, "missing is fine" for unlink/rmdir,
 * "a folder is not a file"). Each protocol supplies the single requests; the contract is kept here once, so both
 * behave alike. The extra requests (a stat to explain a failure) are only sent after a failure.
 */
export abstract class RemoteSiteFs implements SiteFs {
  abstract readonly kind: 'sftp' | 'ftp';
  abstract readonly features: SiteFsFeatures;
  protected closed = false;

  constructor(
    /** The website's URI without its password. */
    readonly label: string,
    /** The website home as the protocol sees it (absolute on the server). */
    protected readonly home: string,
    /** Credentials to mask in every message. */
    protected readonly secrets: readonly string[],
  ) {}

  /** The protocol's error for a request that failed (`what` already names the website). */
  protected abstract mapError(err: unknown, what: string, op: 'read' | 'write'): StorageError;
  protected abstract mkdirOnce(abs: string, mode: number | undefined): Promise<void>;
  protected abstract unlinkOnce(abs: string): Promise<void>;
  protected abstract rmdirOnce(abs: string): Promise<void>;
  protected abstract renameOnce(from: string, to: string): Promise<void>;

  abstract stat(path: string): Promise<SiteEntry | null>;
  abstract list(dir: string): Promise<SiteEntry[]>;
  abstract read(path: string): Promise<Readable>;
  abstract write(path: string, body: Readable | Buffer | string, opts?: { mode?: number }): Promise<void>;
  abstract chmod(path: string, mode: number): Promise<void>;
  abstract readlink(path: string): Promise<string>;
  abstract symlink(target: string, path: string): Promise<void>;
  abstract close(): Promise<void>;

  /** The server-side path of a checked website path; PROTOCOL when closed or when the path is refused. */
  protected abs(p: string): string {
    if (this.closed) throw closedError(this.label);
    return joinSitePath(this.home, p);
  }

  /** A mapper for one operation's failures, naming the website and the operation. */
  protected fail(what: string, op: 'read' | 'write'): (err: unknown) => StorageError {
    return (err) => this.mapError(err, `${this.label}: ${what}`, op);
  }

  /** Runs `fn`, rejecting only with the mapped StorageError. */
  protected async attempt<T>(what: string, op: 'read' | 'write', fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw this.fail(what, op)(err);
    }
  }

  private notAFile(p: string): StorageError {
    return new StorageError('PROTOCOL', `${this.label}: ${p || 'the website home'} is a folder, not a file`);
  }

  /** See {@link SiteFs.mkdir}. One request when the parent exists; parents are created only after a failure. */
  async mkdir(p: string, opts: { recursive?: boolean; mode?: number } = {}): Promise<void> {
    const abs = this.abs(p);
    const what = `create folder ${p || '.'}`;
    try {
      await this.mkdirOnce(abs, opts.mode);
      return;
    } catch (err) {
      const existing = await this.stat(p).catch(() => undefined);
      if (existing?.type === 'dir' && opts.recursive) return;
      if (existing) throw new StorageError('PROTOCOL', `${this.label}: ${what}: it already exists`);
      const parent = p.split('/').slice(0, -1).join('/');
      if (!opts.recursive || p === '') throw this.fail(what, 'write')(err);
      await this.mkdir(parent, { recursive: true, mode: opts.mode });
    }
    try {
      await this.mkdirOnce(abs, opts.mode);
    } catch (err) {
      if ((await this.stat(p).catch(() => undefined))?.type !== 'dir') throw this.fail(what, 'write')(err);
      // created meanwhile by a concurrent call
    }
  }

  /** See {@link SiteFs.unlink}: missing resolves, a folder is PROTOCOL, a symlink is removed, never followed. */
  async unlink(p: string): Promise<void> {
    const abs = this.abs(p);
    try {
      await this.unlinkOnce(abs);
    } catch (err) {
      const entry = await this.stat(p).catch(() => undefined);
      if (entry === null) return;
      if (entry?.type === 'dir') throw this.notAFile(p);
      throw this.fail(`remove ${p}`, 'write')(err);
    }
  }

  /** See {@link SiteFs.rmdir}: missing resolves. */
  async rmdir(p: string): Promise<void> {
    const abs = this.abs(p);
    try {
      await this.rmdirOnce(abs);
    } catch (err) {
      if ((await this.stat(p).catch(() => undefined)) === null) return;
      throw this.fail(`remove folder ${p || '.'}`, 'write')(err);
    }
  }

  /** See {@link SiteFs.rename}. A missing source is NOT_FOUND whatever the server calls it (FTP: a bare 550). */
  async rename(from: string, to: string): Promise<void> {
    const a = this.abs(from);
    const b = this.abs(to);
    try {
      await this.renameOnce(a, b);
    } catch (err) {
      if ((await this.stat(from).catch(() => undefined)) === null) {
        throw new StorageError('NOT_FOUND', `${this.label}: rename ${from}: it does not exist`);
      }
      throw this.fail(`rename ${from} to ${to}`, 'write')(err);
    }
  }

  /** For read(): PROTOCOL when `p` turned out to be a folder. */
  protected refuseFolder(p: string): never {
    throw this.notAFile(p);
  }
}
