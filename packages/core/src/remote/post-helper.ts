/**
 * The HTTP half of every one-time helper Installgate places on a website (remote PHP runs, the migration dump):
 * one POST with the helper's secret in a header, optionally to a given IP address instead of the URL's DNS answer
 * (API `url_ip` / `source_url_ip`), keeping the URL's Host header and TLS name so that the right site answers and
 * its certificate is still checked.
 */
import type { IncomingMessage } from 'node:http';
import * as http from 'node:http';
import * as https from 'node:https';

export const SECRET_HEADER = 'x-installgate-secret';

export interface HelperPost {
  /** The helper's URL (http: or https:). */
  url: URL;
  /** Connect here instead of resolving the URL's host. */
  ip?: string;
  secret: string;
  /** JSON text sent as the body ('' sends an empty one). */
  body?: string;
  userAgent: string;
  signal?: AbortSignal;
  /** Give up when the socket stays silent this long (none by default). */
  idleTimeoutMs?: number;
}

/** Why a helper request got no HTTP answer. `connected`: the site accepted the connection (and TLS) first. */
export class HelperPostError extends Error {
  constructor(readonly code: string, readonly connected: boolean) {
    super(`helper request failed: ${code}`);
    this.name = 'HelperPostError';
  }
}

/**
 * Sends the POST and resolves with the response once its head arrived (the body is the caller's to read or
 * destroy). Rejects with HelperPostError for anything before that, including an abort through `signal`.
 * A fresh connection each time (agent: false): nothing lingers after a one-time call.
 */
export function postHelper(p: HelperPost): Promise<IncomingMessage> {
  const tls = p.url.protocol === 'https:';
  const client = tls ? https : http;
  const body = Buffer.from(p.body ?? '', 'utf8');
  return new Promise((resolve, reject) => {
    let connected = false;
    const req = client.request({
      host: p.ip ?? p.url.hostname, port: p.url.port || undefined, path: `${p.url.pathname}${p.url.search}`, method: 'POST',
      signal: p.signal, agent: false, servername: tls ? p.url.hostname : undefined,
      headers: {
        host: p.url.host, [SECRET_HEADER]: p.secret, 'content-type': 'application/json', 'content-length': String(body.length),
        'user-agent': p.userAgent, accept: 'text/plain, application/sql',
      },
    }, resolve);
    req.on('socket', (s) => s.once(tls ? 'secureConnect' : 'connect', () => (connected = true)));
    if (p.idleTimeoutMs) req.setTimeout(p.idleTimeoutMs, () => req.destroy(Object.assign(new Error('no answer'), { code: 'ETIMEDOUT' })));
    req.on('error', (e: NodeJS.ErrnoException) => reject(new HelperPostError(e.name === 'AbortError' ? 'ABORTED' : (e.code ?? e.message), connected)));
    req.end(body);
  });
}

/** What went wrong, in words, by error code (tables, not branches); TLS codes are many and share one phrase. */
const REASONS: Record<string, string> = {
  ECONNREFUSED: 'refused the connection',
  ENOTFOUND: 'has a host name that does not resolve (DNS)',
  EAI_AGAIN: 'has a host name that could not be resolved now (DNS)',
  ETIMEDOUT: 'did not answer in time',
  ECONNRESET: 'closed the connection without answering',
  EPIPE: 'closed the connection without answering',
  EHOSTUNREACH: 'is unreachable (no route to its host)',
  ENETUNREACH: 'is unreachable (no route to its network)',
  ABORTED: 'was not waited for (the request was cancelled)',
};
const TLS_REASON = 'presented an HTTPS certificate that is not valid for its host name';
const TLS_CODE = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|ERR_SSL/;

/** "refused the connection (ECONNREFUSED)" and the like, for messages. */
export function helperPostReason(e: HelperPostError): string {
  const reason = REASONS[e.code] ?? (TLS_CODE.test(e.code) ? TLS_REASON : 'could not be reached');
  return `${reason} (${e.code})`;
}
