import type { LocationConfig } from './location-config';
import { DEFAULT_PORTS, KEY_AUTH_PASSWORD } from './location-uri';
import { SECRET_MASK } from './storage-error';

/** Options of {@link formatLocationUri}. */
export interface FormatLocationOptions {
  /** Put the real password / secret key in the URI. Default false: it is written as `*****`. */
  withSecrets?: boolean;
}

const encodePath = (path: string): string =>
  '/' +
  path
    .split('/')
    .filter(Boolean)
    .map((s) => encodeURIComponent(s))
    .join('/');

const bracket = (host: string): string => (host.includes(':') ? `[${host}]` : host);

function userinfo(user: string, password: string | null, withSecrets: boolean): string {
  if (!user && !password) return '';
  const pass =
    password === null || password === '' ? '' : `:${withSecrets || password === KEY_AUTH_PASSWORD ? encodeURIComponent(password) : SECRET_MASK}`;
  return `${encodeURIComponent(user)}${pass}@`;
}

function query(options: Record<string, string | undefined>): string {
  const pairs = Object.entries(options).filter(([, v]) => v !== undefined);
  return pairs.length ? '?' + pairs.map(([k, v]) => `${k}=${encodeURIComponent(v as string)}`).join('&') : '';
}

/**
 * The URI for `config`, in the spelling it was parsed from (`ftps`, `ssh`, the S3 form…), so that
 * `parseLocationUri(formatLocationUri(c, { withSecrets: true }))` deep-equals `c` for any parsed `c` (config-only
 * fields such as `privateKeyPath` are not part of a URI and are dropped). Default ports are left out.
 * Without `withSecrets` the password is `*****` and the result is safe to log, but it does not parse back to `c`.
 */
export function formatLocationUri(config: LocationConfig, options: FormatLocationOptions = {}): string {
  const withSecrets = options.withSecrets ?? false;
  const port = (scheme: string, p: number): string => (p === DEFAULT_PORTS[scheme] ? '' : `:${p}`);
  switch (config.scheme) {
    case 'local':
      return config.path === null ? 'local' : `file://localhost${encodePath(config.path)}`;
    case 'ftp': {
      const scheme = config.tls ? 'ftps' : 'ftp';
      const q = config.tls ? query({ tls_verify: config.tlsVerify ? undefined : '0' }) : '';
      return `${scheme}://${userinfo(config.username, config.password, withSecrets)}${bracket(config.host)}${port(scheme, config.port)}${encodePath(config.path)}${q}`;
    }
    case 'sftp': {
      const password = config.keyAuth ? KEY_AUTH_PASSWORD : config.password;
      return `${config.uriScheme}://${userinfo(config.username, password, withSecrets)}${bracket(config.host)}${port(config.uriScheme, config.port)}${encodePath(config.path)}`;
    }
    case 'webdav': {
      const scheme = config.tls ? 'webdavs' : 'webdav';
      const q = config.tls ? query({ tls_verify: config.tlsVerify ? undefined : '0' }) : '';
      return `${scheme}://${userinfo(config.username, config.password, withSecrets)}${bracket(config.host)}${port(scheme, config.port)}${encodePath(config.path)}${q}`;
    }
    case 's3': {
      const creds = userinfo(config.accessKeyId, config.secretAccessKey, withSecrets);
      const tls = config.tlsVerify ? undefined : '0';
      if (config.form === 'v1' && config.endpoint === null && config.prefix === '') {
        return `s3://${creds}${config.bucket}.${config.region}${query({ tls_verify: tls })}`;
      }
      const endpoint = config.endpoint ?? `s3.${config.region}.amazonaws.com`;
      const path = encodePath([config.region, config.bucket, config.prefix].join('/'));
      const scheme = config.endpointScheme === 'http' ? 'http' : undefined;
      return `s3://${creds}${endpoint}${path}${query({ tls_verify: tls, endpoint_scheme: scheme })}`;
    }
  }
}

/**
 * `uri` with its password replaced by `*****`. Works on any string, parseable or not, so it is safe for logging
 * what a user typed. The user name and the `public-key` marker stay visible. When the end of the credentials is
 * ambiguous (an unencoded '/' in the password), more than the password is masked, never less.
 */
export function redactUri(uri: string): string {
  const m = /^([A-Za-z][A-Za-z0-9+.-]*:\/\/)([^]*)$/.exec(uri);
  if (!m) return uri;
  const [, head, rest] = m;
  const slash = rest.search(/[/?#]/);
  const authority = slash < 0 ? rest : rest.slice(0, slash);
  let at = authority.lastIndexOf('@');
  if (at < 0) {
    // No '@' before the path: either no credentials, or a password with an unencoded '/', '?' or '#'.
    if (!authority.includes(':') || !rest.includes('@')) return uri;
    at = rest.lastIndexOf('@');
  }
  const creds = rest.slice(0, at);
  const colon = creds.indexOf(':');
  if (colon < 0) return uri;
  const password = creds.slice(colon + 1);
  if (password === '' || password === KEY_AUTH_PASSWORD) return uri;
  return `${head}${creds.slice(0, colon)}:${SECRET_MASK}${rest.slice(at)}`;
}
