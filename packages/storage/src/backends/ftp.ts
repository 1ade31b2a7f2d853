import * as posix from 'node:path/posix';
import type { Readable } from 'node:stream';
import { FileType, type Client, type FileInfo } from 'basic-ftp';
import { secretsOf, type FtpLocation } from '../location-config';
import { isTempName, keySegments, listedUnder, prefixFolder, tempNameFor } from '../object-key';
import { guardGet } from '../get-guard';
import { guardPut, removeUntilGone, settled } from '../put-guard';
import type { BackendFactory } from '../registry';
import type { GetOptions, ObjectInfo, PutOptions, StorageBackend } from '../storage-backend';
import { StorageError, closedError, throwIfAborted } from '../storage-error';
import { mapFtpError } from './ftp-errors';
import { ftpDownloadStream } from './ftp-download';
import { FtpPool } from './ftp-pool';

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/**
 * The date of a Unix `LIST` line (`Jan 02 12:34` within the last half year, else `Jan 02  2020`), read as UTC.
 * Minute precision at best; unknown → the epoch.
 */
export function parseListDate(info: FileInfo, now = new Date()): Date {
  if (info.modifiedAt) return info.modifiedAt;
  const m = /^([A-Za-z]{3})\s+(\d{1,2})\s+(?:(\d{1,2}):(\d{2})|(\d{4}))$/.exec(info.rawModifiedAt.trim());
  const month = m ? MONTHS.indexOf(m[1].toLowerCase()) : -1;
  if (!m || month < 0) return new Date(0);
  if (m[5]) return new Date(Date.UTC(Number(m[5]), month, Number(m[2])));
  let year = now.getUTCFullYear();
  const date = (y: number): Date => new Date(Date.UTC(y, month, Number(m[2]), Number(m[3]), Number(m[4])));
  if (date(year).getTime() > now.getTime() + 86_400_000) year -= 1; // "recent" dates are never in the future
  return date(year);
}

/**
 * FTP and FTPS (explicit TLS) over basic-ftp, with a small connection pool. The location path is relative to the
 * login folder. Uploads go to a temporary name and are renamed (RNFR/RNTO); servers that refuse to rename onto an
 * existing file get it removed first, so `atomicReplace` is false.
 */
export class FtpBackend implements StorageBackend {
  readonly scheme = 'ftp' as const;
  readonly features = { atomicReplace: false };
  private closed = false;
  private readonly secrets: string[];

  constructor(
    private readonly config: FtpLocation,
    private readonly pool: FtpPool,
    /** Absolute folder of the location on the server. */
    private readonly base: string,
  ) {
    this.secrets = secretsOf(config);
  }

  private map(what: string, op: 'read' | 'write') {
    return (err: unknown): StorageError => mapFtpError(err, what, op, this.secrets);
  }

  private remote(segments: readonly string[]): string {
    return posix.join(this.base, ...segments);
  }

  private pathOf(key: string): string {
    return this.remote(keySegments(key));
  }

  private check(): void {
    if (this.closed) throw closedError(this.scheme);
  }

  /** The directory entry of `path` from its parent's listing, or null (slow: needs a data connection). */
  private async entryOf(client: Client, path: string): Promise<FileInfo | null> {
    const name = posix.basename(path);
    const entries = await client.list(posix.dirname(path)).catch((err: unknown) => {
      if (mapFtpError(err, 'list', 'read', this.secrets).code === 'NOT_FOUND') return []; // no parent folder
      throw err;
    });
    return entries.find((e) => e.name === name) ?? null;
  }

  private async listedFileAt(client: Client, key: string, path: string): Promise<ObjectInfo | null> {
    const entry = await this.entryOf(client, path);
    return entry?.type === FileType.File ? { key, size: entry.size, mtime: parseListDate(entry) } : null;
  }

  /**
   * Size and mtime of the file at `path`, or null when it is missing or a folder. Uses SIZE, MDTM and CWD on the
   * control connection (no data connection); servers without SIZE fall back to listing the parent folder.
   */
  private async fileAt(client: Client, key: string, path: string): Promise<ObjectInfo | null> {
    let size: number;
    try {
      const reply = await client.send(`SIZE ${path}`);
      const match = /^213\s+(\d+)\s*$/.exec(reply.message.trim());
      if (!match) return this.listedFileAt(client, key, path); // e.g. ftp-srv answers "213 File status" for 0 bytes
      size = Number(match[1]);
    } catch (err) {
      const reply = (err as { code?: unknown }).code;
      if (reply === 500 || reply === 502) return this.listedFileAt(client, key, path); // no SIZE command
      if (mapFtpError(err, 'size', 'read', this.secrets).code === 'NOT_FOUND') return null;
      throw err;
    }
    // Some servers (ftp-srv) give a SIZE for folders too: a folder is one we can change into.
    const isFolder = await client.cd(path).then(
      () => true,
      () => false,
    );
    if (isFolder) return null;
    const mtime = await client.lastMod(path).catch(() => new Date(0));
    return { key, size, mtime };
  }

  /** See {@link StorageBackend.put}. */
  async put(key: string, body: Readable, opts: PutOptions = {}): Promise<void> {
    this.check();
    const segments = keySegments(key);
    throwIfAborted(opts.signal, `upload of ${key}`);
    const map = this.map(`upload of ${key}`, 'write');
    const dir = this.remote(segments.slice(0, -1));
    const final = posix.join(dir, segments[segments.length - 1]);
    const temp = posix.join(dir, tempNameFor(segments[segments.length - 1]));
    const client = await this.pool.acquire().catch((err: unknown) => Promise.reject(map(err)));
    let transfer: Promise<unknown> | undefined;
    const guard = await client.ensureDir(dir).then(
      () => guardPut(key, body, opts),
      (err: unknown) => {
        this.pool.release(client, false);
        const mapped = map(err);
        // A folder that cannot be entered after MKD was refused: the server did not let us create it.
        if (mapped.code !== 'NOT_FOUND') return Promise.reject(mapped);
        return Promise.reject(new StorageError('PERMISSION', `upload of ${key}: cannot create folder ${dir}: ${mapped.message}`));
      },
    );
    try {
      transfer = client.uploadFrom(guard.stream, temp);
      await guard.race(transfer);
      guard.checkComplete();
      await this.publish(client, temp, final);
      this.pool.release(client, true);
    } catch (err) {
      const failure = guard.explain(err, map);
      this.pool.release(client, false); // closes it: a transfer may still be running
      if (transfer) await settled(transfer);
      await removeUntilGone(() =>
        this.pool.use(async (c) => {
          const res = await c.remove(temp, true);
          return res.code >= 200 && res.code < 300;
        }),
      );
      throw failure;
    } finally {
      guard.dispose();
    }
  }

  private async publish(client: Client, temp: string, final: string): Promise<void> {
    try {
      await client.rename(temp, final);
    } catch (err) {
      if (!(await this.fileAt(client, final, final))) throw err;
      await client.remove(final); // this server does not rename onto an existing file
      await client.rename(temp, final);
    }
  }

  /** See {@link StorageBackend.get}. */
  async get(key: string, opts: GetOptions = {}): Promise<Readable> {
    this.check();
    const path = this.pathOf(key);
    throwIfAborted(opts.signal, `download of ${key}`);
    const map = this.map(`download of ${key}`, 'read');
    const client = await this.pool.acquire().catch((err: unknown) => Promise.reject(map(err)));
    try {
      if (!(await this.fileAt(client, key, path))) throw new StorageError('NOT_FOUND', `${key} not found`);
    } catch (err) {
      this.pool.release(client, err instanceof StorageError || typeof (err as { code?: unknown }).code === 'number');
      throw map(err);
    }
    const out = ftpDownloadStream(client, path, (healthy) => this.pool.release(client, healthy), map);
    return guardGet(key, out, opts.signal, map);
  }

  /** See {@link StorageBackend.stat}. */
  async stat(key: string): Promise<ObjectInfo | null> {
    this.check();
    const path = this.pathOf(key);
    return this.pool
      .use((client) => this.fileAt(client, key, path))
      .catch((err: unknown) => Promise.reject(this.map(`stat of ${key}`, 'read')(err)));
  }

  /** See {@link StorageBackend.list}. */
  async *list(prefix: string): AsyncIterable<ObjectInfo> {
    this.check();
    const folder = prefixFolder(prefix);
    const client = await this.pool.acquire().catch((err: unknown) => Promise.reject(this.map(`list of ${prefix}`, 'read')(err)));
    let healthy = false;
    try {
      yield* this.walk(client, this.remote(folder), folder.join('/'), prefix);
      healthy = true;
    } finally {
      this.pool.release(client, healthy);
    }
  }

  private async *walk(client: Client, dir: string, dirKey: string, prefix: string): AsyncGenerator<ObjectInfo> {
    let entries: FileInfo[];
    try {
      entries = await client.list(dir);
    } catch (err) {
      const mapped = this.map(`list of ${dirKey || '/'}`, 'read')(err);
      if (mapped.code === 'NOT_FOUND') return;
      throw mapped;
    }
    for (const entry of entries) {
      if (entry.name === '.' || entry.name === '..' || isTempName(entry.name)) continue;
      const key = dirKey ? `${dirKey}/${entry.name}` : entry.name;
      if (entry.type === FileType.Directory) {
        if (`${key}/`.startsWith(prefix) || prefix.startsWith(`${key}/`)) yield* this.walk(client, posix.join(dir, entry.name), key, prefix);
      } else if (entry.type === FileType.File && listedUnder(key, prefix)) {
        yield { key, size: entry.size, mtime: parseListDate(entry) };
      }
    }
  }

  /** See {@link StorageBackend.remove}. */
  async remove(key: string): Promise<void> {
    this.check();
    const path = this.pathOf(key);
    await this.pool
      .use(async (client) => {
        try {
          await client.remove(path);
        } catch (err) {
          if (await this.fileAt(client, key, path)) throw err; // still there: a real failure
        }
      })
      .catch((err: unknown) => Promise.reject(this.map(`remove of ${key}`, 'write')(err)));
  }

  /** See {@link StorageBackend.close}. */
  async close(): Promise<void> {
    this.closed = true;
    this.pool.close();
  }
}

/**
 * Opens an FTP/FTPS location: logs in once (AUTH, CONNECT; for FTPS a refused certificate is CONNECT, not
 * retryable) and resolves the login folder.
 */
export const ftpBackendFactory: BackendFactory<'ftp'> = {
  scheme: 'ftp',
  async open(config, opts) {
    const secrets = secretsOf(config);
    const pool = new FtpPool(config, opts.timeoutMs ?? 30_000, secrets);
    const client = await pool.acquire();
    try {
      const home = await client.pwd();
      pool.release(client, true);
      return new FtpBackend(config, pool, posix.join(home, config.path));
    } catch (err) {
      pool.release(client, false);
      pool.close();
      throw mapFtpError(err, `ftp ${config.host}:${config.port}`, 'read', secrets);
    }
  },
};
