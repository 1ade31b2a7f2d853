import * as http from 'node:http';
import * as https from 'node:https';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';

/** One HTTP request. */
export interface HttpRequest {
  method: string;
  /** Already-encoded path (and query). */
  path: string;
  headers?: http.OutgoingHttpHeaders;
  /** A body to stream, or a string/Buffer. */
  body?: Readable | string | Buffer;
  signal?: AbortSignal;
}

/** Where and how requests go. */
export interface HttpTarget {
  tls: boolean;
  host: string;
  port: number;
  agent: http.Agent;
  /** Socket idle timeout, ms. */
  timeoutMs: number;
}

/** A keep-alive agent for `target`. `tlsVerify: false` accepts any server certificate. */
export function makeAgent(tls: boolean, tlsVerify: boolean): http.Agent {
  return tls ? new https.Agent({ keepAlive: true, maxSockets: 8, rejectUnauthorized: tlsVerify }) : new http.Agent({ keepAlive: true, maxSockets: 8 });
}

/**
 * Sends a request and resolves with the response once its headers arrived (the body is not read). Rejects with
 * the socket's error; an idle socket fails with code ETIMEDOUT. When the server answers before the body was
 * sent (an early 401 or 507), the upload is stopped and the response still resolves.
 */
export function httpRequest(target: HttpTarget, req: HttpRequest): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const headers = { ...req.headers };
    if (typeof req.body === 'string' || Buffer.isBuffer(req.body)) headers['content-length'] = Buffer.byteLength(req.body);
    const request = (target.tls ? https : http).request({
      host: target.host,
      port: target.port,
      method: req.method,
      path: req.path,
      headers,
      agent: target.agent,
      signal: req.signal,
    });
    request.setTimeout(target.timeoutMs, () => request.destroy(Object.assign(new Error(`no answer within ${target.timeoutMs} ms`), { code: 'ETIMEDOUT' })));
    request.once('error', reject);
    request.once('response', (res) => {
      const ok = (res.statusCode ?? 0) < 300;
      if (!ok && !request.writableFinished && req.body && typeof req.body === 'object' && 'pipe' in req.body) {
        req.body.unpipe(request); // the server refused: stop sending
        request.destroy();
      }
      resolve(res);
    });
    if (req.body === undefined) request.end();
    else if (typeof req.body === 'string' || Buffer.isBuffer(req.body)) request.end(req.body);
    else pipeline(req.body, request).catch((err: unknown) => request.destroy(err as Error));
  });
}

/** Reads a (small) response body as text, at most `limit` bytes; more is an error. */
export async function readText(res: http.IncomingMessage, limit = 32 * 1024 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      res.destroy();
      throw new Error(`response body larger than ${limit} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Drains a response body so its socket can be reused. */
export function discard(res: http.IncomingMessage): Promise<void> {
  return new Promise((resolve) => {
    res.once('end', resolve).once('error', () => resolve()).once('close', resolve);
    res.resume();
  });
}
