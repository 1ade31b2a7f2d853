/**
 * One-time WordPress login files. Each is `installgate-sso-<32 hex>.php` in the install's folder
 * (LOGIN_FILE_GLOB / LOGIN_FILE_RE): uninstall, backups, clones and file listings must skip or delete them.
 * A file holds the SHA-256 of a random token, an expiry, the administrator's login and the landing URL, never the
 * token itself; php/wordpress/sso.php is the template and explains the protocol.
 *
 * The files go through AppFiles: the install's folder on this server, or on a website on another server (SFTP/FTP),
 * where the web server that serves the install runs the file.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { invalidArgument } from '@installgate/contracts';
import { phpHelper } from '../runtime/php';
import { localAppFiles, type AppFiles } from './app-files';
import { phpString } from './php-support';

/** Shell-style pattern of login files, for exclusion lists. */
export const LOGIN_FILE_GLOB = 'installgate-sso-*.php';
/** Exact pattern of a login file's name. */
export const LOGIN_FILE_RE = /^installgate-sso-[0-9a-f]{32}\.php$/;

export const LOGIN_TTL_DEFAULT_SECONDS = 120;
export const LOGIN_TTL_MAX_SECONDS = 3600;

let template: Promise<string> | undefined;

/** A folder given as a path on this server, or as AppFiles (any website). */
const filesOf = (where: string | AppFiles): AppFiles => (typeof where === 'string' ? localAppFiles(where) : where);

/**
 * Writes a login file into `files` and returns the URL that uses it: `${url}/installgate-sso-<hex>.php?token=<64
 * hex>`. `redirect` is relative to the install URL or absolute (WordPress only follows it to its own host);
 * default: the dashboard. Expired leftovers in the folder are removed first.
 */
export async function writeLoginFile(i: { files: AppFiles; url: string; login: string; redirect?: string; ttlSeconds?: number }): Promise<string> {
  const ttl = i.ttlSeconds ?? LOGIN_TTL_DEFAULT_SECONDS;
  if (!Number.isInteger(ttl) || ttl < 1 || ttl > LOGIN_TTL_MAX_SECONDS) throw invalidArgument('ttl', `The login link lifetime must be 1–${LOGIN_TTL_MAX_SECONDS} s.`);
  if (!i.login) throw invalidArgument('login', 'No administrator login to sign in as.');
  const base = i.url.replace(/\/+$/, '');
  let redirect = '';
  if (i.redirect) {
    try {
      redirect = new URL(i.redirect, `${base}/`).href;
    } catch {
      throw invalidArgument('url', 'The landing URL is not valid.');
    }
  }
  await removeExpiredLoginFiles(i.files);
  const token = randomBytes(32).toString('hex');
  const name = `installgate-sso-${randomBytes(16).toString('hex')}.php`;
  template ??= readFile(phpHelper('wordpress', 'sso.php'), 'utf8');
  const values: Record<string, string> = {
    "'%%HASH%%'": phpString(createHash('sha256').update(token).digest('hex')),
    '%%EXPIRES%%': String(Math.floor(Date.now() / 1000) + ttl),
    "'%%LOGIN%%'": phpString(i.login),
    "'%%REDIRECT%%'": phpString(redirect),
  };
  const text = (await template).replace(/'%%HASH%%'|%%EXPIRES%%|'%%LOGIN%%'|'%%REDIRECT%%'/g, (k) => values[k]);
  // 0644: the web server (maybe another user) must read it; it holds no secret. create() never overwrites.
  await i.files.create(name, text, 0o644);
  return `${base}/${name}?token=${token}`;
}

/**
 * Removes login files whose expiry has passed (or that cannot be read as one) from a folder (a path here, or
 * AppFiles). Returns the names removed.
 */
export async function removeExpiredLoginFiles(where: string | AppFiles, now = Date.now()): Promise<string[]> {
  const files = filesOf(where);
  const removed: string[] = [];
  for (const name of (await files.list('')).filter((n) => LOGIN_FILE_RE.test(n))) {
    const text = await files.readText(name).catch(() => null);
    const expires = Number(/'expires' => (\d+)/.exec(text ?? '')?.[1] ?? 0);
    if (expires * 1000 < now) {
      await files.remove(name);
      removed.push(name);
    }
  }
  return removed;
}

/** Removes every login file in a folder (uninstall, before a backup). Returns the names removed. */
export async function removeAllLoginFiles(where: string | AppFiles): Promise<string[]> {
  return removeExpiredLoginFiles(where, Number.MAX_SAFE_INTEGER);
}
