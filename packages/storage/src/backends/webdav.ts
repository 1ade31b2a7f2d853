import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { secretsOf, type WebdavLocation } from '../location-config';
import { isTempName, keySegments, listedUnder, prefixFolder, tempNameFor } from '../object-key';
import { guardGet } from '../get-guard';
import { guardPut, removeUntilGone, settled } from '../put-guard';
import type { BackendFactory } from '../registry';
import type { GetOptions, ObjectInfo, PutOptions, StorageBackend } from '../storage-backend';
import { StorageError, closedError, fromNetworkError, messageOf, throwIfAborted, type StorageErrorCode } from '../storage-error';
import { discard, httpRequest, makeAgent, readText, type HttpRequest, type HttpTarget } from './http-request';
import { parseMultistatus, type DavEntry } from './webdav-multistatus';

/** HTTP status → StorageError code and retryability. Unlisted 4xx: PROTOCOL; unlisted 5xx: PROTOCOL, retryable. */
const HTTP_STATUS: Readonly<Record<number, readonly [StorageErrorCode, boolean]>> = {
  401: ['AUTH', false],
  403: ['PERMISSION', false],
  404: ['NOT_FOUND', false],
  410: ['NOT_FOUND', false],
  408: ['PROTOCOL', true],
  413: ['QUOTA', false],
  423: ['PROTOCOL', true], // locked
  429: ['PROTOCOL', true],
  500: ['PROTOCOL', false],
  502: ['CONNECT', true],
  503: ['CONNECT', true],
  504: ['CONNECT', true],
  507: ['QUOTA', false], // insufficient storage
};

const PROPFIND_BODY =
  '<?xml version="1.0" encoding="utf-8"?><d:propfind xmlns:d="DAV:"><d:prop>' +
  '<d:resourcetype/><d:getcontentlength/><d:getlastmodified/></d:prop></d:propfind>';

const encodePath = (segments: readonly string[]): string => '/' + segments.map(encodeURIComponent).join('/');

/**
 * WebDAV (`webdav://` = http, `webdavs://` = https) hand-written over node:http with a keep-alive agent and HTTP
 * Basic authentication. Uploads PUT a temporary resource, then MOVE it onto the key with `Overwrite: T`; RFC 4918
 * lets the server delete the target before moving, so `atomicReplace` is false.
 */
export class WebdavBackend implements StorageBackend {
  readonly scheme = 'webdav' as const;
  readonly features = { atomicReplace: false };
  private closed = false;
  private readonly secrets: string[];
  private readonly base: string[];
  private readonly auth: string | undefined;
  /** Collections known to exist (created or seen), as encoded paths. */
  private readonly collections = new Set<string>();

  constructor(
    private readonly config: WebdavLocation,
    private readonly target: HttpTarget,
  ) {
    this.secrets = secretsOf(config);
    this.base = config.path.split('/').filter(Boolean);
    this.auth = config.username ? `Basic ${Buffer.from(`${config.username}:${config.password}`).toString('base64')}` : undefined;
  }

  private url(segments: readonly string[]): string {
    return encodePath([...this.base, ...segments]);
  }

  private fail(what: string, res: IncomingMessage): StorageError {
    void discard(res);
    const status = res.statusCode ?? 0;
    const [code, retryable] = HTTP_STATUS[status] ?? ['PROTOCOL', status >= 500];
    return new StorageError(code, `${what}: HTTP ${status} ${res.statusMessage ?? ''}`.trim(), { retryable, secrets: this.secrets });
  }

  private mapError(what: string) {
    return (err: unknown): StorageError => {
      if (err instanceof StorageError) return err;
      return fromNetworkError(err, what, this.secrets) ?? new StorageError('PROTOCOL', `${what}: ${messageOf(err)}`, { cause: err, secrets: this.secrets });
    };
  }

  private async send(what: string, req: HttpRequest): Promise<IncomingMessage> {
    if (this.closed) throw closedError(this.scheme);
    const headers = { ...req.headers, ...(this.auth ? { authorization: this.auth } : {}) };
    return httpRequest(this.target, { ...req, headers }).catch((err: unknown) => Promise.reject(this.mapError(what)(err)));
  }

  /** PROPFIND with `depth`; null when the resource is missing. */
  private async propfind(what: string, segments: readonly string[], depth: 0 | 1): Promise<DavEntry[] | null> {
    const res = await this.send(what, {
      method: 'PROPFIND',
      path: this.url(segments),
      headers: { depth: String(depth), 'content-type': 'application/xml; charset=utf-8' },
      body: PROPFIND_BODY,
    });
    if (res.statusCode === 404) return void discard(res), null;
    if (res.statusCode !== 207) throw this.fail(what, res);
    return parseMultistatus(await readText(res).catch((err: unknown) => Promise.reject(this.mapError(what)(err))));
  }

  /** MKCOL each missing collection of `segments` (below the base, which is created too). */
  private async ensureCollections(segments: readonly string[]): Promise<void> {
    const all = [...this.base, ...segments];
    for (let depth = 1; depth <= all.length; depth++) {
      const path = encodePath(all.slice(0, depth));
      if (this.collections.has(path)) continue;
      const res = await this.send(`create folder ${path}`, { method: 'MKCOL', path });
      // 201 created; 405 already exists (some servers answer 301 or 409 for an existing collection too)
      if (res.statusCode !== 201 && res.statusCode !== 405 && res.statusCode !== 301) throw this.fail(`create folder ${path}`, res);
      void discard(res);
      this.collections.add(path);
    }
  }

  /** PROPFIND of the location folder: checks reachability and credentials. A missing folder is fine. */
  async probe(): Promise<void> {
    await this.propfind('open', [], 0);
  }

  /** See {@link StorageBackend.put}. */
  async put(key: string, body: Readable, opts: PutOptions = {}): Promise<void> {
    if (this.closed) throw closedError(this.scheme);
    const segments = keySegments(key);
    throwIfAborted(opts.signal, `upload of ${key}`);
    const what = `upload of ${key}`;
    const folder = segments.slice(0, -1);
    await this.ensureCollections(folder);
    const tempPath = this.url([...folder, tempNameFor(segments[segments.length - 1])]);
    const guard = guardPut(key, body, opts);
    const length = opts.size !== undefined ? { 'content-length': String(opts.size) } : {};
    const transfer = this.send(what, {
      method: 'PUT',
      path: tempPath,
      headers: { 'content-type': 'application/octet-stream', ...length },
      body: guard.stream,
    });
    try {
      const res = await guard.race(transfer);
      if (res.statusCode === 409) this.collections.clear(); // a folder vanished behind our back
      if ((res.statusCode ?? 0) >= 300) throw this.fail(what, res);
      await discard(res);
      guard.checkComplete();
      const origin = `${this.target.tls ? 'https' : 'http'}://${this.config.host.includes(':') ? `[${this.config.host}]` : this.config.host}:${this.config.port}`;
      const moved = await this.send(what, {
        method: 'MOVE',
        path: tempPath,
        headers: { destination: origin + this.url(segments), overwrite: 'T' },
      });
      if ((moved.statusCode ?? 0) >= 300) throw this.fail(`${what} (MOVE)`, moved);
      void discard(moved);
    } catch (err) {
      const failure = guard.explain(err, this.mapError(what));
      await settled(transfer);
      await removeUntilGone(async () => {
        const res = await this.send(what, { method: 'DELETE', path: tempPath });
        void discard(res);
        return (res.statusCode ?? 0) < 300;
      });
      throw failure;
    } finally {
      guard.dispose();
    }
  }

  /** See {@link StorageBackend.get}. */
  async get(key: string, opts: GetOptions = {}): Promise<Readable> {
    const segments = keySegments(key);
    throwIfAborted(opts.signal, `download of ${key}`);
    const what = `download of ${key}`;
    const res = await this.send(what, { method: 'GET', path: this.url(segments) });
    if (res.statusCode !== 200) throw this.fail(what, res);
    return guardGet(key, res, opts.signal, this.mapError(what));
  }

  /** See {@link StorageBackend.stat}. */
  async stat(key: string): Promise<ObjectInfo | null> {
    const entries = await this.propfind(`stat of ${key}`, keySegments(key), 0);
    const entry = entries?.[0];
    return entry && !entry.isCollection ? { key, size: entry.size, mtime: entry.mtime } : null;
  }

  /** See {@link StorageBackend.list}. */
  async *list(prefix: string): AsyncIterable<ObjectInfo> {
    const folder = prefixFolder(prefix);
    yield* this.walk(folder, prefix);
  }

  private async *walk(folder: string[], prefix: string): AsyncGenerator<ObjectInfo> {
    const entries = await this.propfind(`list of ${folder.join('/') || '/'}`, folder, 1);
    if (!entries) return;
    const self = '/' + [...this.base, ...folder].join('/');
    for (const entry of entries) {
      if (entry.path === self || !entry.path.startsWith(self === '/' ? '/' : `${self}/`)) continue;
      const name = entry.path.slice(self === '/' ? 1 : self.length + 1);
      if (!name || name.includes('/') || isTempName(name)) continue;
      const key = [...folder, name].join('/');
      if (entry.isCollection) {
        if (`${key}/`.startsWith(prefix) || prefix.startsWith(`${key}/`)) yield* this.walk([...folder, name], prefix);
      } else if (listedUnder(key, prefix)) {
        yield { key, size: entry.size, mtime: entry.mtime };
      }
    }
  }

  /** See {@link StorageBackend.remove}. */
  async remove(key: string): Promise<void> {
    const segments = keySegments(key);
    const what = `remove of ${key}`;
    const found = await this.propfind(what, segments, 0);
    if (!found || found[0]?.isCollection) return; // missing, or a folder: DELETE would take all it holds
    const res = await this.send(what, { method: 'DELETE', path: this.url(segments) });
    if (res.statusCode === 404) return void discard(res);
    if ((res.statusCode ?? 0) >= 300) throw this.fail(what, res);
    void discard(res);
  }

  /** See {@link StorageBackend.close}. */
  async close(): Promise<void> {
    this.closed = true;
    this.target.agent.destroy();
  }
}

/**
 * Opens a WebDAV location: one PROPFIND of the folder checks reachability and credentials (401 → AUTH). A
 * missing folder is fine: it is created by the first upload.
 */
export const webdavBackendFactory: BackendFactory<'webdav'> = {
  scheme: 'webdav',
  async open(config, opts) {
    const target: HttpTarget = {
      tls: config.tls,
      host: config.host,
      port: config.port,
      agent: makeAgent(config.tls, config.tlsVerify),
      timeoutMs: opts.timeoutMs ?? 30_000,
    };
    const backend = new WebdavBackend(config, target);
    try {
      await backend.probe();
      return backend;
    } catch (err) {
      target.agent.destroy();
      throw err;
    }
  },
};
