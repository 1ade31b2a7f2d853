import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import S3rver from 's3rver';
import { filesUnder } from '../temp-dir';
import { checkSigV4 } from './sigv4-check';

/** A running loopback S3 server (s3rver). */
export interface S3TestServer {
  /** `127.0.0.1:port`, for the v2 URI form. */
  endpoint: string;
  port: number;
  bucket: string;
  /** s3rver's built-in account. */
  accessKeyId: 'S3RVER';
  secretAccessKey: 'S3RVER';
  /**
   * Every file s3rver keeps, with multipart uploads in progress shown as `.partial-multipart-<id>` so the
   * conformance suite sees uploads that were not aborted.
   */
  rawNames(): Promise<string[]>;
  stop(): Promise<void>;
}

interface KoaContext {
  method: string;
  path: string;
  query: Record<string, string | undefined>;
  status: number;
  body: unknown;
  type: string;
  req: { url?: string; headers: Record<string, string | string[] | undefined> };
}

const s3Error = (ctx: KoaContext, status: number, code: string, message: string): void => {
  ctx.status = status;
  ctx.type = 'application/xml';
  ctx.body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`;
};

/**
 * Starts s3rver on 127.0.0.1 (free port) storing in `root`, with one bucket. Two gaps of s3rver 3.7.1 are
 * filled by middleware in front of it: it accepts any SigV4 signature (so a wrong secret key would go unnoticed;
 * here it gets 403 SignatureDoesNotMatch as on S3), and it lacks AbortMultipartUpload (405; here the upload's
 * folder is deleted, so tests can check that a failed upload was aborted).
 */
export async function startS3Server(root: string, bucket = 'backups'): Promise<S3TestServer> {
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: root, configureBuckets: [{ name: bucket }] });
  const uploadsDir = (b: string): string => server.store.getResourcePath(b, undefined, 'uploads');
  const abortMultipart = async (ctx: KoaContext, next: () => Promise<void>): Promise<void> => {
    const uploadId = ctx.query.uploadId;
    if (ctx.method !== 'DELETE' || !uploadId || !/^[0-9a-f]+$/.test(uploadId)) return next();
    const b = decodeURIComponent(ctx.path.split('/')[1] ?? '');
    await fs.rm(path.join(uploadsDir(b), uploadId), { recursive: true, force: true });
    ctx.status = 204;
    ctx.body = null;
  };
  const verifySignature = async (ctx: KoaContext, next: () => Promise<void>): Promise<void> => {
    const verdict = checkSigV4({ method: ctx.method, rawUrl: ctx.req.url ?? '/', headers: ctx.req.headers }, (id) =>
      id === 'S3RVER' ? 'S3RVER' : undefined,
    );
    if (verdict === 'unknown-key') return s3Error(ctx, 403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.');
    if (verdict === 'mismatch') return s3Error(ctx, 403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.');
    return next();
  };
  server.middleware.unshift(verifySignature, abortMultipart); // before s3rver's own routes
  const { port } = await server.run();
  return {
    endpoint: `127.0.0.1:${port}`,
    port,
    bucket,
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
    async rawNames() {
      const names = await filesUnder(root);
      const uploads = new Set(names.map((n) => /_S3rver_uploads\/([0-9a-f]+)\//.exec(n)?.[1]).filter(Boolean));
      return [...names.filter((n) => !n.includes('_S3rver_uploads/')), ...[...uploads].map((id) => `.partial-multipart-${id}`)];
    },
    stop: () => server.close(),
  };
}
