import type { LocationConfig, S3Location } from './location-config';

/** Why a location URI was refused. */
export type LocationUriErrorReason = 'oauth_required' | 'unsupported' | 'malformed';

/**
 * A location URI that cannot be used. `reason` tells the API layer which errcode to give: `malformed` is a bad
 * argument, `oauth_required` (Dropbox, Google Drive) and `unsupported` (Rackspace, unknown schemes) are refusals.
 * The message never contains the URI's password.
 */
export class LocationUriError extends Error {
  override readonly name = 'LocationUriError';
  constructor(
    readonly reason: LocationUriErrorReason,
    message: string,
  ) {
    super(message);
  }
}

/** Schemes that need an OAuth grant made in Installatron's UI; Installgate has no such UI. */
const OAUTH_SCHEMES: Readonly<Record<string, string>> = {
  dropbox: 'Dropbox',
  dropbox2: 'Dropbox',
  dropbox3: 'Dropbox',
  gdrive: 'Google Drive',
};

/** Default port per URI scheme. */
export const DEFAULT_PORTS: Readonly<Record<string, number>> = {
  ftp: 21,
  ftps: 21, // spec §9 #21: the doc example's :22 is not a default
  sftp: 22,
  ssh: 22,
  webdav: 80,
  webdavs: 443,
};

/** Query options each scheme accepts (Installgate extensions; Installatron URIs have no query). */
const QUERY_OPTIONS: Readonly<Record<string, readonly string[]>> = {
  ftps: ['tls_verify'],
  webdavs: ['tls_verify'],
  s3: ['tls_verify', 'endpoint_scheme'],
};

/** The literal password that asks for SSH key authentication. */
export const KEY_AUTH_PASSWORD = 'public-key';

/** An AWS region name such as `us-east-1` or `us-gov-west-1`. */
const AWS_REGION = /^[a-z]{2}(?:-[a-z]+)+-\d+$/;

interface UriParts {
  scheme: string;
  user: string | null;
  password: string | null;
  host: string;
  port: number | null;
  /** Decoded path, always starting with '/'. */
  path: string;
  query: Map<string, string>;
}

const malformed = (why: string): LocationUriError => new LocationUriError('malformed', `malformed location URI: ${why}`);

function decode(part: string, what: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw malformed(`bad percent-encoding in the ${what}`);
  }
}

/**
 * Splits `scheme://[user[:password]@]host[:port][/path][?query]`. Credentials are URL-decoded; an unencoded '@'
 * inside the password is tolerated (the last '@' before the path ends the user part).
 */
function splitUri(uri: string): UriParts {
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^]*)$/.exec(uri);
  if (!m) throw malformed('expected scheme://host/…');
  const scheme = m[1].toLowerCase();
  let rest = m[2];
  if (rest.includes('#')) throw malformed('fragments (#) are not allowed; URL-encode credentials that contain #');
  let queryText = '';
  const q = rest.indexOf('?');
  if (q >= 0) [rest, queryText] = [rest.slice(0, q), rest.slice(q + 1)];
  const slash = rest.indexOf('/');
  const authority = slash < 0 ? rest : rest.slice(0, slash);
  const rawPath = slash < 0 ? '/' : rest.slice(slash);

  const at = authority.lastIndexOf('@');
  const userinfo = at < 0 ? null : authority.slice(0, at);
  const hostport = at < 0 ? authority : authority.slice(at + 1);
  let user: string | null = null;
  let password: string | null = null;
  if (userinfo !== null) {
    const colon = userinfo.indexOf(':');
    user = decode(colon < 0 ? userinfo : userinfo.slice(0, colon), 'user name');
    password = colon < 0 ? null : decode(userinfo.slice(colon + 1), 'password');
  }

  let host: string;
  let portText: string | null = null;
  const v6 = /^\[([0-9A-Fa-f:.]+)\](?::(.*))?$/.exec(hostport);
  if (v6) {
    host = v6[1];
    portText = v6[2] ?? null;
  } else {
    const colon = hostport.lastIndexOf(':');
    host = colon < 0 ? hostport : hostport.slice(0, colon);
    portText = colon < 0 ? null : hostport.slice(colon + 1);
    if (/[^A-Za-z0-9._~%-]/.test(host)) throw malformed('bad host name (URL-encode credentials that contain / ? # or :)');
    host = decode(host, 'host');
  }
  let port: number | null = null;
  if (portText !== null && portText !== '') {
    if (!/^\d{1,5}$/.test(portText) || Number(portText) < 1 || Number(portText) > 65535) {
      throw malformed(`bad port ${JSON.stringify(portText)}`);
    }
    port = Number(portText);
  }

  const segments = rawPath.split('/').filter((s) => s !== '').map((s) => decode(s, 'path'));
  if (segments.some((s) => s === '.' || s === '..')) throw malformed("'.' and '..' are not allowed in the path");
  const query = new Map<string, string>();
  for (const pair of queryText.split('&').filter(Boolean)) {
    const eq = pair.indexOf('=');
    query.set(decode(eq < 0 ? pair : pair.slice(0, eq), 'query'), decode(eq < 0 ? '' : pair.slice(eq + 1), 'query'));
  }
  return { scheme, user, password, host, port, path: '/' + segments.join('/'), query };
}

function checkQuery(parts: UriParts): void {
  const allowed = QUERY_OPTIONS[parts.scheme] ?? [];
  for (const key of parts.query.keys()) {
    if (!allowed.includes(key)) throw malformed(`unknown option ${JSON.stringify(key)} for ${parts.scheme}://`);
  }
}

function boolOption(parts: UriParts, key: string, fallback: boolean): boolean {
  const value = parts.query.get(key);
  if (value === undefined) return fallback;
  if (['1', 'true', 'yes'].includes(value)) return true;
  if (['0', 'false', 'no'].includes(value)) return false;
  throw malformed(`option ${key} must be 0 or 1`);
}

function requireHost(parts: UriParts): string {
  if (!parts.host) throw malformed(`no host in ${parts.scheme}:// URI`);
  return parts.host;
}

function parseS3(parts: UriParts): S3Location {
  const host = requireHost(parts);
  if (!parts.user || !parts.password) throw malformed('s3:// needs AccessKey:SecretKey@');
  const tlsVerify = boolOption(parts, 'tls_verify', true);
  const segments = parts.path.split('/').filter(Boolean);
  const base = { scheme: 's3' as const, accessKeyId: parts.user, secretAccessKey: parts.password, tlsVerify };
  if (segments.length > 0) {
    // v2: Endpoint/Region/Bucket/Folder…
    if (segments.length < 2) throw malformed('missing bucket: expected s3://AccessKey:SecretKey@Endpoint/Region/Bucket/Folder');
    const scheme = parts.query.get('endpoint_scheme') ?? 'https';
    if (scheme !== 'http' && scheme !== 'https') throw malformed('endpoint_scheme must be http or https');
    const endpoint = parts.port === null ? host : `${host.includes(':') ? `[${host}]` : host}:${parts.port}`;
    return { ...base, form: 'v2', endpoint, endpointScheme: scheme, region: segments[0], bucket: segments[1], prefix: segments.slice(2).join('/') };
  }
  // v1: bucket-id.region-id (the bucket may itself contain dots; the region never does)
  if (parts.query.has('endpoint_scheme')) throw malformed('endpoint_scheme needs the s3://…@Endpoint/Region/Bucket form');
  const dot = host.lastIndexOf('.');
  const bucket = dot < 0 ? '' : host.slice(0, dot);
  const region = dot < 0 ? host : host.slice(dot + 1);
  if (!bucket || !AWS_REGION.test(region) || parts.port !== null) {
    throw malformed('missing bucket: expected s3://key:secret@bucket-id.region-id or s3://AccessKey:SecretKey@Endpoint/Region/Bucket/Folder');
  }
  return { ...base, form: 'v1', endpoint: null, endpointScheme: 'https', region, bucket, prefix: '' };
}

/** The members FTP(S) and WebDAV(S) locations share: user/password login, TLS when the scheme says `tlsScheme`. */
function passwordServer(parts: UriParts, tlsScheme: string) {
  return {
    tls: parts.scheme === tlsScheme,
    host: requireHost(parts),
    port: parts.port ?? DEFAULT_PORTS[parts.scheme],
    username: parts.user ?? '',
    password: parts.password ?? '',
    path: parts.path,
    tlsVerify: boolOption(parts, 'tls_verify', true),
  };
}

/**
 * Parses a backup-location URI (spec §5.3) into a {@link LocationConfig}. Accepts `local`,
 * `file://localhost/path` and `file:///path`, `ftp://`, `ftps://` (explicit TLS, default port 21), `sftp://`,
 * `ssh://` (password, or the literal password `public-key` for key auth), `webdav://`, `webdavs://`, and both S3
 * forms. Credentials are URL-decoded. Pure: touches no network.
 *
 * Throws {@link LocationUriError}: `oauth_required` for `dropbox2://`, `dropbox3://`, `gdrive://`; `unsupported`
 * for `rackspace://` and unknown schemes; `malformed` for a missing host, a bad port, a missing bucket, bad
 * percent-encoding, a location id (resolve it to its URI first) and anything else unparseable.
 */
export function parseLocationUri(uri: string): LocationConfig {
  const text = uri.trim();
  if (text === 'local') return { scheme: 'local', path: null };
  if (!text.includes('://')) {
    if (/^[A-Za-z0-9]{16,40}$/.test(text)) throw malformed('this looks like a location id; resolve it to its URI first');
    throw malformed('expected "local" or scheme://…');
  }
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(text)?.[1].toLowerCase() ?? '';
  if (OAUTH_SCHEMES[scheme]) {
    throw new LocationUriError(
      'oauth_required',
      `${OAUTH_SCHEMES[scheme]} locations (${scheme}://) need an OAuth grant made in a web UI, which Installgate does not have`,
    );
  }
  if (scheme === 'rackspace') throw new LocationUriError('unsupported', 'Rackspace Cloud Files locations (rackspace://) are not supported');
  const parts = splitUri(text);
  checkQuery(parts);
  switch (parts.scheme) {
    case 'file':
      if (parts.host !== '' && parts.host.toLowerCase() !== 'localhost') throw malformed('file:// URIs must name localhost or no host');
      if (parts.user !== null || parts.port !== null) throw malformed('file:// URIs take no credentials or port');
      return { scheme: 'local', path: parts.path };
    case 'ftp':
    case 'ftps':
      return { scheme: 'ftp', ...passwordServer(parts, 'ftps') };
    case 'sftp':
    case 'ssh': {
      const host = requireHost(parts);
      if (!parts.user) throw malformed(`${parts.scheme}:// needs a user name`);
      const keyAuth = parts.password === KEY_AUTH_PASSWORD;
      return {
        scheme: 'sftp',
        uriScheme: parts.scheme,
        host,
        port: parts.port ?? DEFAULT_PORTS[parts.scheme],
        username: parts.user,
        password: keyAuth ? null : (parts.password ?? ''),
        keyAuth,
        path: parts.path,
      };
    }
    case 'webdav':
    case 'webdavs':
      return { scheme: 'webdav', ...passwordServer(parts, 'webdavs') };
    case 's3':
      return parseS3(parts);
    default:
      throw new LocationUriError('unsupported', `unsupported location scheme ${JSON.stringify(parts.scheme)}`);
  }
}
