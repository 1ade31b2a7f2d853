import * as path from 'node:path';
import { formatLocationUri } from '../format-location-uri';
import type { FtpLocation, SftpLocation } from '../location-config';
import { LocationUriError, parseLocationUri } from '../location-uri';
import { StorageError } from '../storage-error';
import type { FtpSiteFsOptions } from './ftp-site-fs';
import { LocalSiteFs } from './local-site-fs';
import type { SiteFs } from './site-fs';

/** Options of {@link openSiteFs}: those of backup locations (private key, timeout) plus FTP's transfer pool. */
export type OpenSiteFsOptions = FtpSiteFsOptions;

/** The schemes a website home may use (spec §8.2), lower case. */
const REMOTE_SCHEMES = new Set(['sftp', 'ssh', 'ftp', 'ftps']);

/** A website on another server: its connection settings (parsed as for backup locations) and its label. */
export interface RemoteSiteHome {
  config: SftpLocation | FtpLocation;
  /** The URI without its password (the `public-key` marker and `?tls_verify=0` stay): for messages and logs. */
  label: string;
}

const refuse = (message: string): StorageError => new StorageError('PROTOCOL', message);

/**
 * Parses a remote website home: `sftp://`, `ssh://` (password, or the literal password `public-key` for key
 * login), `ftp://`, `ftps://` (explicit TLS, `?tls_verify=0` as for locations). Credentials are URL-decoded by the
 * location-URI parser. Anything else is a StorageError PROTOCOL whose message never holds the password.
 */
export function parseSiteHome(uri: string): RemoteSiteHome {
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(uri.trim())?.[1].toLowerCase();
  if (!scheme || !REMOTE_SCHEMES.has(scheme)) {
    // Only the scheme is quoted: the rest of what was given may hold a password.
    throw refuse(`unsupported website home ${scheme ? `${scheme}://…` : '(not a URI)'}: expected an absolute folder or an sftp://, ssh://, ftp:// or ftps:// URI`);
  }
  let config;
  try {
    config = parseLocationUri(uri);
  } catch (err) {
    if (err instanceof LocationUriError) throw refuse(`website home: ${err.message.replace(/location URI/, 'URI')}`);
    throw err;
  }
  if (config.scheme !== 'sftp' && config.scheme !== 'ftp') throw refuse(`unsupported website home scheme ${scheme}://`);
  const withoutPassword = config.scheme === 'sftp' ? { ...config, password: null } : { ...config, password: '' };
  return { config, label: formatLocationUri(withoutPassword) };
}

/**
 * Opens a website's files wherever they live. An absolute folder of this machine → {@link LocalSiteFs}; an
 * `sftp://`/`ssh://` URI → SftpSiteFs and `ftp://`/`ftps://` → FtpSiteFs, which connect and log in before
 * resolving, so a wrong password is AUTH here and an unreachable server CONNECT. The URI's path is the home as
 * the server sees it (SFTP: absolute on the server; FTP: as the server shows it, often inside a chroot); no path
 * means the login folder. The caller owns the result and must close it.
 *
 * The network implementations load ssh2 and basic-ftp on first use, as the backup backends do (lazy-factory.ts).
 */
export async function openSiteFs(home: string, opts: OpenSiteFsOptions = {}): Promise<SiteFs> {
  if (path.isAbsolute(home)) return new LocalSiteFs(home);
  const { config, label } = parseSiteHome(home);
  if (config.scheme === 'sftp') {
    const { SftpSiteFs } = require('./sftp-site-fs') as typeof import('./sftp-site-fs');
    return SftpSiteFs.open(config, opts, label);
  }
  const { FtpSiteFs } = require('./ftp-site-fs') as typeof import('./ftp-site-fs');
  return FtpSiteFs.open(config, opts, label);
}
