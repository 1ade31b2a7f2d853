/**
 * The remote side of a migration (spec §2.1 `POST /browser/{id}/migrate`): which account holds the files
 * (`source_path`, v1 `source_ftu` + `source_ftu_key`), which URL serves them (`source_url`, `source_url_ip`), and
 * how a failure to reach them is told: the storage package's errors become the `failed_filesystem_*` codes with
 * errfield `source_path`, and never carry a credential (the storage package masks them in its messages).
 */
import { isIP } from 'node:net';
import { EngineError, invalidArgument } from '@installgate/contracts';
import { isStorageError, LocationUriError, openBackend, parseLocationUri, redactUri, type FtpLocation, type SftpLocation, type StorageBackend, type StorageErrorCode } from '@installgate/storage';
import { parseWpConfig } from '../drivers/wordpress-config';
import type { DbCredentials } from './ports';
import { STORAGE_ERRCODE } from '../backups/storage-failure';

/** The source parameters of a migration, v2 names. */
export interface MigrateSource {
  source_url?: string;
  source_path?: string;
  /** v1 `source_ftu_key`: private key file for SFTP/SSH when the URI has no password. */
  source_ftu_key?: string;
  source_url_ip?: string;
}

export interface ParsedSource {
  location: FtpLocation | SftpLocation;
  /** `source_path` with its password masked: safe in messages, logs and task payloads. */
  label: string;
  /** `source_url` without a trailing '/'. */
  url: string;
  ip: string | undefined;
  /** The credentials, to be masked wherever text could carry them. */
  secrets: string[];
}

/** Location URI schemes a migration reads from (the file-serving protocols of a hosting account). */
const SOURCE_SCHEMES = ['ftp', 'ftps', 'sftp', 'ssh'] as const;

/** A failure while reading the source: a missing folder is the source's, not a missing backup. */
const SOURCE_ERRCODE = { ...STORAGE_ERRCODE, NOT_FOUND: 'failed_filesystem_directory' } as const satisfies Record<StorageErrorCode, string>;

function parseSourceUrl(raw: string | undefined): string {
  if (raw === undefined || raw.trim() === '') throw new EngineError('empty_argument_source_url', { errfield: 'source_url', message: 'source_url (the URL of the site to migrate) is required.' });
  let u: URL;
  try {
    u = new URL(raw.trim());
  } catch {
    throw invalidArgument('source_url', 'source_url is not a URL.');
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw invalidArgument('source_url', 'source_url must be an http:// or https:// URL.');
  if (u.username || u.password || u.search || u.hash) throw invalidArgument('source_url', 'source_url may not carry credentials, a query or a fragment.');
  return `${u.protocol}//${u.host}${u.pathname}`.replace(/\/+$/, '');
}

/** Checks the source parameters (dryrun=input level): nothing is contacted. */
export function parseMigrateSource(req: MigrateSource): ParsedSource {
  const url = parseSourceUrl(req.source_url);
  const raw = req.source_path?.trim() ?? '';
  if (raw === '') throw new EngineError('empty_argument_source_path', { errfield: 'source_path', message: 'source_path (ftp://, ftps://, sftp:// or ssh:// location of the site\'s files) is required.' });
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(raw)?.[1]?.toLowerCase();
  if (scheme === 'app') {
    throw invalidArgument('source_path', 'app:// (the Installatron Migration Assistant plugin) is not supported by Installgate; give the site\'s ftp://, ftps://, sftp:// or ssh:// location.');
  }
  if (!SOURCE_SCHEMES.includes(scheme as (typeof SOURCE_SCHEMES)[number])) {
    throw invalidArgument('source_path', 'source_path must be an ftp://, ftps://, sftp:// or ssh:// location.');
  }
  let parsed;
  try {
    parsed = parseLocationUri(raw);
  } catch (e) {
    if (e instanceof LocationUriError) throw invalidArgument('source_path', e.message);
    throw e;
  }
  if (parsed.scheme !== 'ftp' && parsed.scheme !== 'sftp') throw invalidArgument('source_path', 'source_path must be an ftp://, ftps://, sftp:// or ssh:// location.');
  let location: FtpLocation | SftpLocation = parsed;
  const key = req.source_ftu_key?.trim();
  if (key) {
    if (location.scheme !== 'sftp') throw invalidArgument('source_ftu_key', 'A key file is only used with sftp:// or ssh://.');
    if (location.password) throw invalidArgument('source_ftu_key', 'Give either a password in source_path or a key file, not both.');
    // Absolute only; ownership and existence are checked once the owner is known (migrate-install checkKeyFile).
    if (!key.startsWith('/')) throw invalidArgument('source_ftu_key', 'source_ftu_key must be the absolute path of a key file on this server.');
    location = { ...location, password: null, keyAuth: true, privateKeyPath: key };
  }
  const ip = req.source_url_ip?.trim() || undefined;
  if (ip !== undefined && isIP(ip) === 0) throw invalidArgument('source_url_ip', 'source_url_ip must be an IPv4 or IPv6 address.');
  const secrets = [location.password ?? ''].filter((s) => s !== '');
  return { location, label: redactUri(raw), url, ip, secrets };
}

/** What reaching the source threw, as an EngineError on `source_path` that names the location without its password. */
export function sourceFailure(e: unknown, label: string): EngineError {
  if (e instanceof EngineError) return e;
  if (isStorageError(e)) {
    return new EngineError(SOURCE_ERRCODE[e.code], { errfield: 'source_path', message: `Source ${label}: ${e.message}`, details: { storage: e.code }, cause: e });
  }
  return new EngineError('internal_error', { cause: e });
}

/** Opens the source location (login checked); a refused login or an unreachable host fails here. */
export async function openSource(source: ParsedSource): Promise<StorageBackend> {
  return openBackend(source.location, { timeoutMs: 30_000 }).catch((e: unknown) => Promise.reject(sourceFailure(e, source.label)));
}

/** wp-config.php is a few KiB; anything this large is not one and is not read into memory. */
const MAX_CONFIG_BYTES = 1 << 20;

/**
 * The source site's database settings, from its wp-config.php read over the open location (literal values only,
 * never executed). An empty or missing folder → `failed_filesystem_directory`; a folder without wp-config.php, or
 * one whose settings are not plain literals → `invalid_argument_source_path`.
 */
export async function readSourceConfig(backend: StorageBackend, source: ParsedSource): Promise<DbCredentials> {
  try {
    const info = await backend.stat('wp-config.php');
    if (!info) {
      let any = false;
      for await (const _ of backend.list('')) { any = true; break; }
      if (!any) throw new EngineError('failed_filesystem_directory', { errfield: 'source_path', message: `Source ${source.label}: the folder does not exist or is empty.` });
      throw invalidArgument('source_path', `Source ${source.label}: the folder has no wp-config.php; source_path must name the folder of the WordPress site.`);
    }
    if (info.size > MAX_CONFIG_BYTES) throw invalidArgument('source_path', `Source ${source.label}: wp-config.php is too large to be a WordPress configuration.`);
    const chunks: Buffer[] = [];
    for await (const c of await backend.get('wp-config.php')) chunks.push(c as Buffer);
    const db = parseWpConfig(Buffer.concat(chunks).toString('utf8'));
    if (!db) throw invalidArgument('source_path', `Source ${source.label}: the database settings of wp-config.php (DB_NAME, DB_USER, DB_PASSWORD, DB_HOST, $table_prefix) are not plain values.`);
    if (db.db_prefix === '' || !/^[A-Za-z0-9_]+$/.test(db.db_prefix)) throw invalidArgument('source_path', `Source ${source.label}: the table prefix in wp-config.php is empty or unusual; such a site cannot be migrated.`);
    return db;
  } catch (e) {
    throw sourceFailure(e, source.label);
  }
}
