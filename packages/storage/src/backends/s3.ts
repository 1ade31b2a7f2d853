import { Agent as HttpsAgent } from 'node:https';
import type { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  S3Client,
  type ListObjectsV2CommandOutput,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { secretsOf, type S3Location } from '../location-config';
import { keySegments, listedUnder, prefixFolder } from '../object-key';
import { guardGet } from '../get-guard';
import { guardPut, settled } from '../put-guard';
import type { BackendFactory } from '../registry';
import type { GetOptions, ObjectInfo, PutOptions, StorageBackend } from '../storage-backend';
import { StorageError, closedError, throwIfAborted } from '../storage-error';
import { mapS3Error } from './s3-errors';

const MiB = 1024 * 1024;
/** S3 allows at most 10 000 parts of at least 5 MiB. */
const MIN_PART = 5 * MiB;
const MAX_PARTS = 10_000;

/** Part size for a body of `size` bytes (unknown: `preferred`), at least 5 MiB and few enough parts for S3. */
export function partSizeFor(size: number | undefined, preferred: number): number {
  return Math.max(MIN_PART, preferred, size === undefined ? 0 : Math.ceil(size / (MAX_PARTS - 1)));
}

/**
 * Amazon S3 and S3-compatible servers, via @aws-sdk/client-s3. Custom endpoints (and bucket names with dots) use
 * path-style addressing. Bodies smaller than a part go up as one PUT; larger ones as a multipart upload
 * (@aws-sdk/lib-storage) whose completion is the publish point. A failed multipart upload is aborted, so nothing
 * appears under the key. Objects replace atomically. The SDK retries a failed request (a part, a GET) up to
 * twice itself; `withRetry` on top multiplies that.
 */
export class S3Backend implements StorageBackend {
  readonly scheme = 's3' as const;
  readonly features = { atomicReplace: true };
  private closed = false;
  private readonly secrets: string[];
  /** Key prefix of the location inside the bucket: '' or 'folder/'. */
  private readonly base: string;

  constructor(
    private readonly config: S3Location,
    private readonly client: S3Client,
    private readonly partSize: number,
  ) {
    this.secrets = secretsOf(config);
    this.base = config.prefix ? `${config.prefix.replace(/^\/+|\/+$/g, '')}/` : '';
  }

  private map(what: string) {
    return (err: unknown): StorageError => mapS3Error(err, what, this.secrets);
  }

  private objectKey(key: string): string {
    keySegments(key);
    if (this.closed) throw closedError(this.scheme);
    return this.base + key;
  }

  /** See {@link StorageBackend.put}. */
  async put(key: string, body: Readable, opts: PutOptions = {}): Promise<void> {
    const Key = this.objectKey(key);
    throwIfAborted(opts.signal, `upload of ${key}`);
    const guard = guardPut(key, body, opts);
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.config.bucket, Key, Body: guard.stream, ContentType: 'application/octet-stream' },
      partSize: partSizeFor(opts.size, this.partSize),
      queueSize: 2,
      leavePartsOnError: false,
    });
    const transfer = upload.done();
    try {
      await guard.race(transfer);
      guard.checkComplete();
    } catch (err) {
      const failure = guard.explain(err, this.map(`upload of ${key}`));
      // The body's failure reaches lib-storage, which then aborts the multipart upload itself; wait for that.
      await settled(transfer, 15_000);
      await upload.abort();
      throw failure;
    } finally {
      guard.dispose();
    }
  }

  /** See {@link StorageBackend.get}. */
  async get(key: string, opts: GetOptions = {}): Promise<Readable> {
    const Key = this.objectKey(key);
    throwIfAborted(opts.signal, `download of ${key}`);
    const map = this.map(`download of ${key}`);
    const out = await this.client.send(new GetObjectCommand({ Bucket: this.config.bucket, Key })).catch((err: unknown) => Promise.reject(map(err)));
    return guardGet(key, out.Body as Readable, opts.signal, map);
  }

  /** See {@link StorageBackend.stat}. */
  async stat(key: string): Promise<ObjectInfo | null> {
    const Key = this.objectKey(key);
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.config.bucket, Key }));
      return { key, size: head.ContentLength ?? 0, mtime: head.LastModified ?? new Date(0) };
    } catch (err) {
      const mapped = this.map(`stat of ${key}`)(err);
      if (mapped.code === 'NOT_FOUND' && !/NoSuchBucket/.test(mapped.message)) return null;
      throw mapped;
    }
  }

  /** See {@link StorageBackend.list}. */
  async *list(prefix: string): AsyncIterable<ObjectInfo> {
    prefixFolder(prefix);
    if (this.closed) throw closedError(this.scheme);
    let ContinuationToken: string | undefined;
    do {
      const page: ListObjectsV2CommandOutput = await this.client
        .send(new ListObjectsV2Command({ Bucket: this.config.bucket, Prefix: this.base + prefix, ContinuationToken }))
        .catch((err: unknown) => Promise.reject(this.map(`list of ${prefix || '/'}`)(err)));
      for (const object of page.Contents ?? []) {
        if (!object.Key || object.Key.endsWith('/')) continue; // folder markers made by consoles
        const key = object.Key.slice(this.base.length);
        if (listedUnder(key, prefix)) yield { key, size: object.Size ?? 0, mtime: object.LastModified ?? new Date(0) };
      }
      ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (ContinuationToken);
  }

  /** See {@link StorageBackend.remove}. */
  async remove(key: string): Promise<void> {
    const Key = this.objectKey(key);
    await this.client.send(new DeleteObjectCommand({ Bucket: this.config.bucket, Key })).catch((err: unknown) => {
      const mapped = this.map(`remove of ${key}`)(err);
      if (mapped.code !== 'NOT_FOUND' || /NoSuchBucket/.test(mapped.message)) throw mapped;
    });
  }

  /** See {@link StorageBackend.close}. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.client.destroy();
  }
}

/** An S3 client for `config`: path-style for custom endpoints, 3 attempts per request, checksums only where required. */
export function makeS3Client(config: S3Location, timeoutMs: number): S3Client {
  const endpoint = config.endpoint ? `${config.endpointScheme}://${config.endpoint}` : undefined;
  return new S3Client({
    region: config.region,
    endpoint,
    forcePathStyle: config.endpoint !== null || config.bucket.includes('.'),
    credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey },
    // Parts are buffers, so the SDK can resend one safely; a consumed body stream cannot be (see withRetry).
    maxAttempts: 3,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    requestHandler: {
      connectionTimeout: timeoutMs,
      requestTimeout: timeoutMs,
      ...(config.tlsVerify ? {} : { httpsAgent: new HttpsAgent({ keepAlive: true, rejectUnauthorized: false }) }),
    },
  });
}

/**
 * Opens an S3 location: lists one key of the bucket to check credentials (AUTH), permissions (PERMISSION), the
 * bucket (NOT_FOUND) and the endpoint (CONNECT).
 */
export const s3BackendFactory: BackendFactory<'s3'> = {
  scheme: 's3',
  async open(config, opts) {
    const client = makeS3Client(config, opts.timeoutMs ?? 30_000);
    const partSize = opts.s3PartSizeBytes ?? 16 * MiB;
    const backend = new S3Backend(config, client, partSize);
    try {
      await client.send(new ListObjectsV2Command({ Bucket: config.bucket, Prefix: config.prefix, MaxKeys: 1 }));
      return backend;
    } catch (err) {
      client.destroy();
      throw mapS3Error(err, `s3 bucket ${config.bucket}`, secretsOf(config));
    }
  },
};
