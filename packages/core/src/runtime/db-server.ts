/**
 * Where application databases live: the database server Installgate administers (INSTALLGATE_DB_URL) and the
 * credentials an application is configured with.
 */
import { EngineError, invalidArgument } from '@installgate/contracts';

/** A MariaDB/MySQL server reachable with administrative credentials (creates databases and users). */
export interface DbServer {
  /** Host name or IP as reached from Installgate and written into application configs. */
  host: string;
  port: number;
  user: string;
  password: string;
  /** Unix socket to connect through instead of TCP (`?socket=/run/mysqld/mysqld.sock` in the URL). */
  socketPath?: string;
}

/** An application's database settings, exactly as written into (or read from) the application's config. */
export type DbCredentials = {
  /** `host`, `host:port` or `localhost:/path/to/socket`, as written into the app config. */
  db_host: string;
  db_name: string;
  db_user: string;
  db_pass: string;
  db_prefix: string;
};

export const DEFAULT_DB_PORT = 3306;

/**
 * Parses `mysql://user:pass@host:port` (or `mariadb://…`). User and password are URL-decoded, so a password with
 * `@`, `:` or `/` must be percent-encoded. Port defaults to 3306; `?socket=PATH` selects a unix socket.
 * Throws EngineError `service_unavailable` (the setting is the operator's, not the API caller's) on a malformed URL;
 * the message never contains the password.
 */
export function parseDbUrl(url: string): DbServer {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new EngineError('service_unavailable', { message: 'The database server URL is not a valid URL (mysql://user:pass@host:port).' });
  }
  if (u.protocol !== 'mysql:' && u.protocol !== 'mariadb:') {
    throw new EngineError('service_unavailable', { message: `The database server URL must start with mysql:// or mariadb:// (got ${u.protocol}//).` });
  }
  // WHATWG URL keeps IPv6 hosts in brackets; the drivers want them bare.
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
  if (!host) throw new EngineError('service_unavailable', { message: 'The database server URL has no host.' });
  const port = u.port ? Number(u.port) : DEFAULT_DB_PORT;
  let user: string;
  let password: string;
  try {
    user = decodeURIComponent(u.username);
    password = decodeURIComponent(u.password);
  } catch {
    throw new EngineError('service_unavailable', { message: 'The database server URL has badly percent-encoded credentials.' });
  }
  if (!user) throw new EngineError('service_unavailable', { message: 'The database server URL has no user.' });
  const socketPath = u.searchParams.get('socket') ?? undefined;
  return { host, port, user, password, ...(socketPath ? { socketPath } : {}) };
}

/** The `db_host` that applications are configured with for this server: `host` on 3306, else `host:port`. */
export function appDbHost(server: Pick<DbServer, 'host' | 'port'>): string {
  const host = server.host.includes(':') ? `[${server.host}]` : server.host;
  return server.port === DEFAULT_DB_PORT ? host : `${host}:${server.port}`;
}

/** Where a `db_host` value points: TCP host and port, or a unix socket. */
export interface DbEndpoint {
  host: string;
  port: number;
  socketPath?: string;
}

/**
 * Splits a `db_host` as PHP applications write it (WordPress's DB_HOST syntax): `host`, `host:port`,
 * `[v6addr]:port`, `localhost:/path/to.sock`, or `:/path/to.sock`. `localhost` without a socket means TCP to
 * 127.0.0.1 here (mysql2 has no default socket; PHP would use its default socket, which is the same server on a
 * normal setup). Throws invalid_argument_db_host on anything else.
 */
export function parseDbHost(dbHost: string): DbEndpoint {
  const s = dbHost.trim();
  const sock = /^([^:]*):(\/.+)$/.exec(s);
  if (sock) return { host: sock[1] || 'localhost', port: DEFAULT_DB_PORT, socketPath: sock[2] };
  const v6 = /^\[([0-9a-fA-F:.]+)\](?::(\d{1,5}))?$/.exec(s);
  const plain = /^([A-Za-z0-9._-]+)(?::(\d{1,5}))?$/.exec(s);
  const m = v6 ?? plain;
  if (!m) throw invalidArgument('db_host', 'The database host must be host or host:port.');
  const port = m[2] ? Number(m[2]) : DEFAULT_DB_PORT;
  if (port < 1 || port > 65535) throw invalidArgument('db_host', 'The database port must be from 1 to 65535.');
  return { host: m[1], port };
}
