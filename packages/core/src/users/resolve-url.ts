import { posix } from 'node:path';
import { EngineError, type Website } from '@installgate/contracts';
import { parseVhostKey, safeSegments } from './websites';

/** Where an install URL lives on disk. */
export interface ResolvedUrl {
  /** The owner's website that serves the URL. */
  website: Website;
  /** The URL's host name, lower case, no port (an install's `url_domain`). */
  domain: string;
  /** Absolute document root of the matching vhost. */
  docroot: string;
  /** Absolute directory of the install: the docroot plus the URL path below the vhost. */
  path: string;
}

const badUrl = (message: string) => new EngineError('invalid_argument_url', { errfield: 'url', message });

/** A parsed install URL. */
interface ParsedUrl {
  scheme: 'http' | 'https';
  host: string;
  /** The port the URL names, when not its scheme's default; absent otherwise. */
  port?: number;
  segments: string[];
}

/** The port a request to this URL goes to: the one it names, else its scheme's default. */
function effectivePort(u: Pick<ParsedUrl, 'scheme' | 'port'>): number {
  return u.port ?? (u.scheme === 'https' ? 443 : 80);
}

/**
 * Parses an install URL: `http(s)://host[:port]/path`, or `host/path` (taken as http). No credentials, query or
 * fragment; no `.`/`..` segments (checked on the raw text, because URL parsing would quietly resolve them).
 */
export function parseInstallUrl(url: string): ParsedUrl {
  const text = url.trim();
  if (text === '') throw new EngineError('empty_argument_url', { errfield: 'url' });
  const m = /^(?:([a-z][a-z0-9+.-]*):\/\/)?([^/?#]*)(\/[^?#]*)?([?#].*)?$/i.exec(text);
  if (!m) throw badUrl('The URL is not valid.');
  const [, scheme = 'http', authority, path = '', rest] = m;
  const lower = scheme.toLowerCase();
  if (lower !== 'http' && lower !== 'https') throw badUrl('The URL must use http or https.');
  if (rest) throw badUrl('The URL must not have a query or fragment.');
  if (authority === '' || authority.includes('@')) throw badUrl('The URL must have a host and no credentials.');
  let host: string;
  let port: string;
  try {
    const u = new URL(`${lower}://${authority}`);
    host = u.hostname.toLowerCase();
    port = u.port;
  } catch {
    throw badUrl('The URL has an invalid host.');
  }
  const segments = safeSegments(path);
  if (!host || segments === null) throw badUrl('The URL path must not contain . or .. segments.');
  return { scheme: lower as 'http' | 'https', host, ...(port ? { port: Number(port) } : {}), segments };
}

/** Joins a website home (absolute path, or a URI kept for a later release) with relative segments. */
function joinUnder(base: string, rel: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(base)) return rel === '' ? base.replace(/\/+$/, '') : `${base.replace(/\/+$/, '')}/${rel}`;
  const joined = posix.join(base, rel);
  return joined.length > 1 ? joined.replace(/\/+$/, '') : joined;
}

/**
 * Maps an install URL to the website and directory that serve it, among `websites` (one user's). The vhost with
 * the longest matching path wins; at equal length a vhost naming the port beats one without, then an exact
 * scheme beats another scheme or a bare domain; then list order decides. Hosts must match exactly (no `www.`
 * aliasing). A vhost that names a port (`http://127.0.0.1:8080`) serves that port only: another port on the same
 * host is another website, often another user's. A vhost without a port serves any port of its host. Throws
 * invalid_argument_url (no website serves the URL, or unsafe URL) / empty_argument_url.
 */
export function resolveUrlIn(websites: readonly Website[], url: string): ResolvedUrl {
  const target = parseInstallUrl(url);
  let best: { score: number; website: Website; docroot: string; depth: number } | undefined;
  for (const website of websites) {
    for (const [key, docroot] of Object.entries(website.vhosts)) {
      const vhost = parseVhostKey(key);
      if (vhost.host !== target.host) continue;
      if (vhost.port !== undefined && vhost.port !== effectivePort(target)) continue;
      if (vhost.segments.length > target.segments.length) continue;
      if (!vhost.segments.every((s, i) => s === target.segments[i])) continue;
      // Depth first; then a vhost naming this very port; then an exact scheme.
      const score = vhost.segments.length * 4 + (vhost.port !== undefined ? 2 : 0) + (vhost.scheme === target.scheme ? 1 : 0);
      if (!best || score > best.score) best = { score, website, docroot, depth: vhost.segments.length };
    }
  }
  if (!best) throw badUrl(`No website of this user serves ${target.host}.`);
  const docroot = joinUnder(best.website.path, best.docroot);
  return {
    website: best.website,
    domain: target.host,
    docroot,
    path: joinUnder(docroot, target.segments.slice(best.depth).join('/')),
  };
}
