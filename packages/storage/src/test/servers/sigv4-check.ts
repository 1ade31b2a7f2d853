import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** The parts of an HTTP request that AWS Signature Version 4 signs. */
export interface SignedRequest {
  method: string;
  /** Path and query exactly as sent (`/bucket/key%20x?list-type=2&prefix=a`). */
  rawUrl: string;
  /** Lower-case header names. */
  headers: Record<string, string | string[] | undefined>;
}

const sha256 = (data: string): string => createHash('sha256').update(data, 'utf8').digest('hex');
const hmac = (key: Buffer | string, data: string): Buffer => createHmac('sha256', key).update(data, 'utf8').digest();
/** RFC 3986 encoding as SigV4 wants it. */
const uriEncode = (s: string): string => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

function canonicalQuery(query: string): string {
  return query
    .split('&')
    .filter(Boolean)
    .map((pair) => {
      const eq = pair.indexOf('=');
      const k = decodeURIComponent(eq < 0 ? pair : pair.slice(0, eq));
      const v = decodeURIComponent(eq < 0 ? '' : pair.slice(eq + 1).replace(/\+/g, '%20'));
      return [uriEncode(k), uriEncode(v)] as const;
    })
    .sort(([a, av], [b, bv]) => (a === b ? (av < bv ? -1 : 1) : a < b ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

/**
 * Checks a header-signed SigV4 request (`Authorization: AWS4-HMAC-SHA256 …`) against `secretFor(accessKeyId)`.
 * Returns 'unsigned' for other requests, 'unknown-key', 'mismatch' or 'ok'. Enough of SigV4 for the S3 SDK's
 * requests: S3 canonical URIs are the path as sent (not encoded twice).
 */
export function checkSigV4(req: SignedRequest, secretFor: (accessKeyId: string) => string | undefined): 'unsigned' | 'unknown-key' | 'mismatch' | 'ok' {
  const auth = req.headers.authorization;
  if (typeof auth !== 'string' || !auth.startsWith('AWS4-HMAC-SHA256 ')) return 'unsigned';
  const field = (name: string): string => new RegExp(`${name}=([^,\\s]+)`).exec(auth)?.[1] ?? '';
  const [accessKeyId, date, region, service] = field('Credential').split('/');
  const secret = secretFor(accessKeyId);
  if (secret === undefined) return 'unknown-key';
  const signedHeaders = field('SignedHeaders');
  const header = (name: string): string => {
    const v = req.headers[name];
    return (Array.isArray(v) ? v.join(',') : (v ?? '')).trim().replace(/\s+/g, ' ');
  };
  const q = req.rawUrl.indexOf('?');
  const path = q < 0 ? req.rawUrl : req.rawUrl.slice(0, q);
  const canonical = [
    req.method,
    path,
    canonicalQuery(q < 0 ? '' : req.rawUrl.slice(q + 1)),
    signedHeaders
      .split(';')
      .map((h) => `${h}:${header(h)}\n`)
      .join(''),
    signedHeaders,
    header('x-amz-content-sha256') || 'UNSIGNED-PAYLOAD',
  ].join('\n');
  const scope = `${date}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', header('x-amz-date'), scope, sha256(canonical)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), 'aws4_request');
  const expected = Buffer.from(createHmac('sha256', key).update(stringToSign, 'utf8').digest('hex'));
  const given = Buffer.from(field('Signature'));
  return given.length === expected.length && timingSafeEqual(given, expected) ? 'ok' : 'mismatch';
}
