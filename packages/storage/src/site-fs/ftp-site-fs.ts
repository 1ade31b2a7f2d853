import * as posix from 'node:path/posix';
import { once } from 'node:events';
import { Readable } from 'node:stream';
import { TLSSocket } from 'node:tls';
import type { Client } from 'basic-ftp';
import { secretsOf, type FtpLocation } from '../location-config';
import { ftpDownloadStream } from '../backends/ftp-download';
import { mapFtpError } from '../backends/ftp-errors';
import { FtpPool } from '../backends/ftp-pool';
import type { OpenBackendOptions } from '../registry';
import { StorageError } from '../storage-error';
import { hasMlst, listFolder, mlstEntry } from './ftp-entry';
import { RemoteSiteFs } from './remote-site-fs';
import type { SiteEntry } from './site-fs';

/** Options of {@link FtpSiteFs.open}. */
export interface FtpSiteFsOptions extends OpenBackendOptions {
  /** Connections for file transfers, besides the one for everything else. Default 3. */
  transfers?: number;
}

/**
 * The append that tells a full disk from a dropped connection (see explainCutUpload): more than the slack of a
 * file's last block, less than one read of the server (vsftpd reads 64 KiB at a time), so no reset hides the reply.
 */
const CUT_UPLOAD_PROBE_BYTES = 32 * 1024;

const replyCode = (err: unknown): unknown => (err as { code?: unknown }).code;

/** A SITE CHMOD refusal that means "this server has no such command", not "this file cannot be changed". */
const chmodUnsupported = (err: unknown): boolean => {
  const code = replyCode(err);
  if (code === 402 || code === 502 || code === 504) return true;
  return code === 500 && /unknown|not understood|unrecognized|not implemented|not supported/i.test((err as Error).message);
};

/** `stream` once it has a byte to give or has ended; rejects with its error before that. */
function transferStarted(stream: Readable): Promise<Readable> {
  return new Promise((resolve, reject) => {
    const settle = (err?: unknown): void => {
      stream.off('readable', settle).off('error', settle);
      if (err) reject(err);
      else resolve(stream);
    };
    stream.on('readable', settle).on('error', settle);
  });
}

/**
 * `source`'s bytes, once the upload's data connection (basic-ftp opens it before the source is read) finished its
 * TLS handshake. basic-ftp starts sending when the cipher is known, which with TLS 1.3 is before the handshake
 * ends; a file with bytes waits inside Node's TLS socket anyway, but an empty one is ended at once, without a
 * close_notify, and vsftpd then never answers the STOR (a 0-byte file over FTPS hung forever).
 */
async function* afterHandshake(client: Client, source: AsyncIterable<Buffer | string>): AsyncGenerator<Buffer | string> {
  const data = client.ftp.dataSocket;
  if (data instanceof TLSSocket && data.getFinished() === undefined) await once(data, 'secureConnect');
  for await (const chunk of source) if (chunk.length > 0) yield chunk;
}

/**
 * A website on an FTP or FTPS (explicit TLS) server. FTP runs one command at a time per connection and one
 * transfer per data connection, so this keeps ONE connection for listings and metadata, and a small pool for the
 * file transfers (`transfers`, default 3), which lets uploadTree move several small files at once.
 *
 * FTP has no symlinks to make or read (`features.symlinks` false: readlink/symlink reject with PROTOCOL) and no
 * atomic replace. stat uses MLST when the server has it, else the parent folder's listing. chmod is SITE CHMOD
 * when the server knows it; a server that does not is remembered and chmod becomes a no-op.
 */
export class FtpSiteFs extends RemoteSiteFs {
  readonly kind = 'ftp' as const;
  readonly features = { symlinks: false, atomicReplace: false };
  private chmodSupported = true;
  private mlst: Promise<boolean> | undefined;

  private constructor(
    label: string,
    home: string,
    secrets: readonly string[],
    private readonly meta: FtpPool,
    private readonly transfers: FtpPool,
  ) {
    super(label, home, secrets);
  }

  /**
   * Logs in (AUTH, CONNECT; a refused FTPS certificate is CONNECT, not retryable). The config's path is the home as
   * the server shows it; `/` alone means the login folder (PWD).
   */
  static async open(config: FtpLocation, opts: FtpSiteFsOptions, label: string): Promise<FtpSiteFs> {
    const secrets = secretsOf(config);
    const timeout = opts.timeoutMs ?? 30_000;
    const meta = new FtpPool(config, timeout, secrets, 1, label);
    const client = await meta.acquire();
    let home: string;
    try {
      home = config.path === '/' ? await client.pwd() : config.path;
      meta.release(client, true);
    } catch (err) {
      meta.release(client, false);
      meta.close();
      throw mapFtpError(err, `${label}: login folder`, 'read', secrets);
    }
    return new FtpSiteFs(label, home, secrets, meta, new FtpPool(config, timeout, secrets, opts.transfers ?? 3, label));
  }

  protected mapError(err: unknown, what: string, op: 'read' | 'write'): StorageError {
    return mapFtpError(err, what, op, this.secrets);
  }

  private isNotFound(err: unknown): boolean {
    return this.mapError(err, '', 'read').code === 'NOT_FOUND';
  }

  /** Runs a command on the metadata connection, mapping its failure. */
  private onMeta<T>(what: string, op: 'read' | 'write', fn: (c: Client) => Promise<T>): Promise<T> {
    return this.attempt(what, op, () => this.meta.use(fn));
  }

  async stat(p: string): Promise<SiteEntry | null> {
    const path = this.abs(p);
    return this.onMeta(`stat ${p || '.'}`, 'read', async (c) => {
      if (p === '') {
        const isDir = await c.cd(path).then(
          () => true,
          (err: unknown) => (this.isNotFound(err) ? false : Promise.reject(err)),
        );
        return isDir ? { name: posix.basename(path), type: 'dir', size: 0, mtimeMs: 0, mode: null } : null;
      }
      this.mlst ??= hasMlst(c);
      if (await this.mlst) return mlstEntry(c, path);
      const siblings = await listFolder(c, posix.dirname(path)).catch((err: unknown) => (this.isNotFound(err) ? [] : Promise.reject(err)));
      return siblings.find((e) => e.name === posix.basename(path)) ?? null;
    });
  }

  async list(dir: string): Promise<SiteEntry[]> {
    const path = this.abs(dir);
    return this.onMeta(`list ${dir || '.'}`, 'read', (c) => listFolder(c, path));
  }

  /**
   * RETR straight away, resolving once the transfer has a byte or has ended (an empty file): a missing file rejects
   * here (the server's 550 comes before any data), not later on the stream. A SIZE first did the same at one more
   * round trip per file on the transfer connection (3 of EPSV/SIZE/RETR per small file of a backup).
   */
  async read(p: string): Promise<Readable> {
    const path = this.abs(p);
    const fail = this.fail(`read ${p}`, 'read');
    const client = await this.transfers.acquire().catch((err: unknown) => Promise.reject(fail(err)));
    return transferStarted(ftpDownloadStream(client, path, (healthy) => this.transfers.release(client, healthy), fail));
  }

  async write(p: string, body: Readable | Buffer | string, opts: { mode?: number } = {}): Promise<void> {
    const path = this.abs(p);
    const source = typeof body === 'string' || Buffer.isBuffer(body) ? Readable.from([Buffer.from(body)]) : body;
    await this.attempt(`write ${p}`, 'write', () =>
      this.transfers.use(async (c) => {
        // basic-ftp does not notice a failing source: race it, so that the connection is closed (not reused).
        const sourceFailed = new Promise<never>((_, reject) => source.once('error', reject));
        const transfer = c.uploadFrom(Readable.from(afterHandshake(c, source)), path);
        transfer.catch(() => undefined);
        sourceFailed.catch(() => undefined);
        await Promise.race([transfer, sourceFailed]); // resolves on the server's 226: every byte is stored
      }),
    ).catch(async (err: unknown) => Promise.reject(await this.explainCutUpload(err, p, path)));
    if (opts.mode !== undefined) await this.chmod(p, opts.mode);
  }

  /**
   * A server that cannot store an upload (vsftpd: write() failed with ENOSPC or EDQUOT) closes the data connection
   * and answers 451 on the control connection. While the client is still sending, that close is a reset, which
   * basic-ftp reports first (CONNECT "… (data socket)", or a premature close of the source) and closes the control connection before the 451 is read.
   * So the server is asked once more with a small append to the failed (partial) file, which it receives whole
   * before it answers: a full disk refuses it (QUOTA); else the reset stays what it was. The partial file is the
   * failed write's own: whoever wrote it removes it.
   */
  private async explainCutUpload(err: unknown, p: string, path: string): Promise<unknown> {
    // A reset seen by basic-ftp is CONNECT "(data socket)"; seen first by the source stream waiting for the TLS
    // handshake (afterHandshake), it is a premature close (PROTOCOL). Either may hide a full disk.
    const cut = err instanceof StorageError && ((err.code === 'CONNECT' && /\(data socket\)/.test(err.message)) || (err.code === 'PROTOCOL' && /premature close/i.test(err.message)));
    if (!cut) return err;
    const probe = await this.transfers.use((c) => c.appendFrom(Readable.from([Buffer.alloc(CUT_UPLOAD_PROBE_BYTES)]), path)).then(
      () => null,
      (e: unknown) => this.mapError(e, `${this.label}: write ${p}`, 'write'),
    );
    return probe?.code === 'QUOTA' ? probe : err;
  }

  /**
   * See {@link SiteFs.mkdir}. Some servers' MKD creates missing parents and accepts an existing folder (ftp-srv
   * does), so without `recursive` both are checked first: one more listing, only for that rarer form (and, as any
   * check-then-act, not proof against another client creating the folder in between).
   */
  override async mkdir(p: string, opts: { recursive?: boolean; mode?: number } = {}): Promise<void> {
    if (!opts.recursive) {
      this.abs(p);
      const parent = p.split('/').slice(0, -1).join('/');
      if (await this.stat(p)) throw new StorageError('PROTOCOL', `${this.label}: create folder ${p || '.'}: it already exists`);
      if ((await this.stat(parent))?.type !== 'dir') throw new StorageError('NOT_FOUND', `${this.label}: create folder ${p}: ${parent || '.'} does not exist`);
    }
    await super.mkdir(p, opts);
  }

  protected async mkdirOnce(abs: string, mode: number | undefined): Promise<void> {
    await this.meta.use((c) => c.send(`MKD ${abs}`));
    if (mode !== undefined) await this.siteChmod(abs, mode);
  }

  protected async unlinkOnce(abs: string): Promise<void> {
    await this.meta.use((c) => c.send(`DELE ${abs}`));
  }

  protected async rmdirOnce(abs: string): Promise<void> {
    await this.meta.use((c) => c.send(`RMD ${abs}`));
  }

  protected async renameOnce(a: string, b: string): Promise<void> {
    await this.meta.use((c) => c.rename(a, b));
  }

  private async siteChmod(abs: string, mode: number): Promise<void> {
    if (!this.chmodSupported) return;
    await this.meta.use(async (c) => {
      try {
        await c.send(`SITE CHMOD ${mode.toString(8).padStart(3, '0')} ${abs}`);
      } catch (err) {
        if (!chmodUnsupported(err)) throw err;
        this.chmodSupported = false;
      }
    });
  }

  async chmod(p: string, mode: number): Promise<void> {
    const path = this.abs(p);
    await this.attempt(`chmod ${p || '.'}`, 'write', () => this.siteChmod(path, mode));
  }

  private noSymlinks(p: string): never {
    this.abs(p);
    throw new StorageError('PROTOCOL', `${this.label}: FTP cannot create or read symlinks (${p})`);
  }

  async readlink(p: string): Promise<string> {
    this.noSymlinks(p);
  }

  async symlink(_target: string, p: string): Promise<void> {
    this.noSymlinks(p);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.meta.close();
    this.transfers.close();
  }
}
