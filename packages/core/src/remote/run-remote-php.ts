/**
 * Runs one of Installgate's PHP helpers on a website's own server, for websites reached only through their files
 * (SiteFs) and their public URL: places a rendered one-time helper (render-remote-helper.ts) in the app's folder,
 * POSTs the input to it at the site's URL, reads its result exactly as the CLI path does, and removes it in every
 * case. The file holds only the SHA-256 of the secret, so even a copy left behind by a crash gives nothing away and
 * expires on its own.
 *
 * [R] Errcodes: the spec has none for "the website's URL does not answer"; failed_filesystem_host is the file
 * host's (SiteFs CONNECT). A URL that cannot be reached, does not serve the folder, or does not run PHP there is
 * the caller's `url` at fault → invalid_argument_url (errfield url), as migrate's invalid_argument_source_url.
 * A helper that was reached but did not finish in time → internal_error with details.timeoutMs, as runPhp's.
 */
import type { IncomingMessage } from 'node:http';
import { EngineError } from '@installgate/contracts';
import type { SiteFs } from '@installgate/storage';
import { SILENT_LOGGER, type Logger } from '../engine-context';
import type { PhpHelperName } from '../drivers/php-executor';
import { helperResult } from '../drivers/php-support';
import { PHP_STDOUT_CAP } from '../runtime/php';
import { redactText } from '../secrets/redact';
import { HelperPostError, helperPostReason, postHelper } from './post-helper';
import { renderRemoteHelper } from './render-remote-helper';
import { siteFailure } from '../sites/site-failure';

export interface RunRemotePhpOptions {
  site: SiteFs;
  /** The app's folder, relative to the website home ('' = the home); the helper is placed here. */
  dir: string;
  /** The URL that serves `dir` (http or https). */
  siteUrl: string;
  /** Connect to this IP instead of resolving siteUrl's host (API url_ip); Host header and TLS name stay siteUrl's. */
  urlIp?: string;
  helper: PhpHelperName;
  /** The helper's JSON input (its `dir` is the helper's own folder, set on the site). */
  input: Record<string, unknown>;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Masked in every message and log line, with the helper's own secret. */
  secrets: readonly string[];
  /** Names the step in messages. */
  what?: string;
  /** Where a helper that could not be removed is reported. */
  logger?: Logger;
}

/** A placed helper refuses to start once this old on the site's clock (it only has to outlive write → request). */
const HELPER_LIFETIME_SECONDS = 600;

interface Answer {
  status: number;
  location: string;
  body: string;
}

const urlError = (message: string) => new EngineError('invalid_argument_url', { errfield: 'url', message });

/** Reads the body up to `cap` bytes (a helper's result is small; the rest is not worth memory). */
function readBody(res: IncomingMessage, cap: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let ended = false;
    res.on('data', (b: Buffer) => {
      if (size < cap) chunks.push(b.subarray(0, cap - size));
      size += b.length;
    });
    res.once('end', () => {
      ended = true;
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
    res.once('error', (e: NodeJS.ErrnoException) => reject(new HelperPostError(e.name === 'AbortError' ? 'ABORTED' : (e.code ?? 'ECONNRESET'), true)));
    res.once('close', () => ended || reject(new HelperPostError('ECONNRESET', true)));
  });
}

/** Refusals by HTTP status; any other 4xx is refused generically, 3xx as a redirect, 2xx and 5xx are parsed. */
const REFUSALS: Record<number, string> = {
  401: 'asks for a login (HTTP 401): PHP cannot be run behind HTTP authentication',
  403: 'refused the helper (HTTP 403): the web server forbids PHP files in that folder, or a firewall blocked the request',
  404: 'does not serve that folder (HTTP 404 for the helper placed there): the URL must serve the folder of the site',
  405: 'does not accept POST requests there (HTTP 405)',
  413: 'refused the request as too large (HTTP 413)',
};

function refusal(a: Answer): string | null {
  if (REFUSALS[a.status]) return REFUSALS[a.status]!;
  if (a.status >= 300 && a.status < 400) return `redirects to ${a.location || 'another address'} (HTTP ${a.status}): give the URL the site is served at`;
  if (a.status >= 400 && a.status < 500) return `answered HTTP ${a.status}`;
  // The file came back as text: no PHP runs there (the body is the helper's own code, which holds no secret).
  if (a.body.startsWith('<?php')) return 'sends PHP files as text: PHP does not run in that folder';
  return null;
}

async function call(o: RunRemotePhpOptions, url: URL, secret: string, signal: AbortSignal): Promise<Answer> {
  const res = await postHelper({ url, ip: o.urlIp, secret, body: JSON.stringify(o.input), userAgent: 'Installgate', signal });
  const location = typeof res.headers.location === 'string' ? res.headers.location : '';
  return { status: res.statusCode ?? 0, location, body: await readBody(res, PHP_STDOUT_CAP) };
}

/** The base URL the helper's name is resolved against; anything but http(s) is refused before a file is written. */
function baseUrl(siteUrl: string): URL {
  let url: URL;
  try {
    url = new URL(siteUrl);
  } catch {
    throw urlError(`The site URL ${siteUrl} is not valid.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw urlError(`The site URL ${siteUrl} must be http:// or https://.`);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/`;
  url.search = '';
  url.hash = '';
  return url;
}

export async function runRemotePhp<T>(o: RunRemotePhpOptions): Promise<T> {
  o.signal?.throwIfAborted();
  const base = baseUrl(o.siteUrl);
  const seconds = o.timeoutMs / 1000;
  const helper = await renderRemoteHelper(o.helper, { maxAgeSeconds: HELPER_LIFETIME_SECONDS, timeLimitSeconds: seconds + 5 });
  const path = o.dir === '' ? helper.name : `${o.dir.replace(/\/+$/, '')}/${helper.name}`;
  const url = new URL(helper.name, base);
  const secrets = [...o.secrets, helper.secret];
  const mask = (s: string) => redactText(s, secrets);
  const what = o.what ?? `The PHP helper ${o.helper}`;
  const site = `${o.siteUrl}${o.urlIp ? ` (at ${o.urlIp})` : ''}`;
  const where = `${o.dir || '.'} of ${o.site.label}`;

  const ac = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    ac.abort();
  }, o.timeoutMs);
  const onAbort = () => ac.abort();
  o.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    await o.site.write(path, helper.text, { mode: 0o644 }).catch((e: unknown) => Promise.reject(siteFailure(e, o.site)));
    let answer: Answer;
    try {
      answer = await call(o, url, helper.secret, ac.signal);
    } catch (e) {
      if (o.signal?.aborted) throw o.signal.reason;
      if (!(e instanceof HelperPostError)) throw e;
      if (timedOut && e.connected) {
        throw new EngineError('internal_error', { message: `${what} on ${site} did not finish within ${o.timeoutMs} ms.`, details: { timeoutMs: o.timeoutMs } });
      }
      const reason = timedOut ? `did not accept a connection within ${o.timeoutMs} ms` : helperPostReason(e);
      throw urlError(mask(`${what} could not run: the site ${site} ${reason}. The site's URL must serve the folder ${where}.`));
    }
    const refused = refusal(answer);
    if (refused) throw urlError(mask(`${what} could not run: the site ${site} ${refused} (folder ${where}).`));
    return helperResult<T>({ stdout: answer.body, stderr: '', code: answer.status }, what, secrets, `HTTP ${answer.status}`);
  } finally {
    clearTimeout(timer);
    o.signal?.removeEventListener('abort', onAbort);
    // The helper deleted itself when it ran; this covers every run where it did not (refused, never reached).
    await o.site.unlink(path).catch((e: unknown) => {
      (o.logger ?? SILENT_LOGGER).warn('remote PHP helper not removed (it refuses to run after its lifetime)', {
        site: o.site.label, path, lifetimeSeconds: HELPER_LIFETIME_SECONDS, error: mask((e as Error).message ?? String(e)),
      });
    });
  }
}
