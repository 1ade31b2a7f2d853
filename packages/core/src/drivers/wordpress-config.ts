/**
 * wp-config.php: written fresh for a new install, read for an import, its database settings rewritten in place
 * after a move. Only literal values are read or replaced; everything else in an existing file is left as it is.
 */
import { randomBytes } from 'node:crypto';
import { EngineError } from '@installgate/contracts';
import type { DbCredentials } from '../runtime/db-server';
import { PHP_STRING, phpString, unphpString } from './php-support';
import type { AppFiles } from './app-files';

const SALT_NAMES = ['AUTH_KEY', 'SECURE_AUTH_KEY', 'LOGGED_IN_KEY', 'NONCE_KEY', 'AUTH_SALT', 'SECURE_AUTH_SALT', 'LOGGED_IN_SALT', 'NONCE_SALT'];
const DB_DEFINES = { db_name: 'DB_NAME', db_user: 'DB_USER', db_pass: 'DB_PASSWORD', db_host: 'DB_HOST' } as const;

/** A new wp-config.php: the database, fresh random salts, and core updates left to Installgate. */
export function renderWpConfig(db: DbCredentials): string {
  // 48 random bytes → 64 base64 characters per salt: as strong as WordPress's own generator, and quote-free.
  const salts = SALT_NAMES.map((n) => `define( '${n}', ${phpString(randomBytes(48).toString('base64'))} );`);
  return [
    '<?php',
    '/**',
    ' * WordPress configuration, written by Installgate.',
    ' * The database settings are managed by Installgate: change them by editing the install, not here.',
    ' */',
    '',
    `define( 'DB_NAME', ${phpString(db.db_name)} );`,
    `define( 'DB_USER', ${phpString(db.db_user)} );`,
    `define( 'DB_PASSWORD', ${phpString(db.db_pass)} );`,
    `define( 'DB_HOST', ${phpString(db.db_host)} );`,
    "define( 'DB_CHARSET', 'utf8mb4' );",
    "define( 'DB_COLLATE', '' );",
    '',
    ...salts,
    '',
    `$table_prefix = ${phpString(db.db_prefix)};`,
    '',
    "define( 'WP_DEBUG', false );",
    '',
    '// Core updates are Installgate\'s job (the install\'s autoup setting), with a backup first.',
    "define( 'WP_AUTO_UPDATE_CORE', false );",
    '',
    "if ( ! defined( 'ABSPATH' ) ) {",
    "\tdefine( 'ABSPATH', __DIR__ . '/' );",
    '}',
    '',
    "require_once ABSPATH . 'wp-settings.php';",
    '',
  ].join('\n');
}

function defineRe(name: string): RegExp {
  return new RegExp(`define\\s*\\(\\s*(['"])${name}\\1\\s*,\\s*(${PHP_STRING})\\s*\\)`);
}
const PREFIX_RE = new RegExp(`\\$table_prefix\\s*=\\s*(${PHP_STRING})\\s*;`);

/** The database settings of a wp-config.php text; null unless all five are string literals. */
export function parseWpConfig(text: string): DbCredentials | null {
  const out: Partial<DbCredentials> = {};
  for (const [key, name] of Object.entries(DB_DEFINES) as [keyof typeof DB_DEFINES, string][]) {
    const m = defineRe(name).exec(text);
    const v = m ? unphpString(m[2]) : null;
    if (v === null) return null;
    out[key] = v;
  }
  const p = PREFIX_RE.exec(text);
  const prefix = p ? unphpString(p[1]) : null;
  if (prefix === null) return null;
  return { ...(out as Omit<DbCredentials, 'db_prefix'>), db_prefix: prefix };
}

/**
 * `text` with DB_NAME, DB_USER, DB_PASSWORD, DB_HOST and `$table_prefix` replaced. Throws internal_error when one
 * of them is not a literal (a config that computes them is not ours to rewrite).
 */
export function rewriteWpConfig(text: string, db: DbCredentials): string {
  let out = text;
  for (const [key, name] of Object.entries(DB_DEFINES) as [keyof typeof DB_DEFINES, string][]) {
    if (!defineRe(name).test(out)) throw new EngineError('internal_error', { message: `wp-config.php has no literal ${name} to rewrite.` });
    // A replacer function: the values may contain `$`, which a replacement string would interpret.
    out = out.replace(defineRe(name), () => `define( '${name}', ${phpString(db[key])} )`);
  }
  if (!PREFIX_RE.test(out)) throw new EngineError('internal_error', { message: 'wp-config.php has no literal $table_prefix to rewrite.' });
  return out.replace(PREFIX_RE, () => `$table_prefix = ${phpString(db.db_prefix)};`);
}

/**
 * `text` with literal WP_HOME / WP_SITEURL defines that name `from` (with or without a trailing '/', or a path
 * below it) pointing at `to` instead. A site copied from another host may pin its URL there; left as it was, the
 * copy would send every visitor back to the old host. Other values are left alone.
 */
export function rewriteWpUrlDefines(text: string, from: string, to: string): string {
  const base = from.replace(/\/+$/, '');
  let out = text;
  for (const name of ['WP_HOME', 'WP_SITEURL']) {
    out = out.replace(new RegExp(defineRe(name).source, 'g'), (whole: string, _q: string, lit: string) => {
      const v = unphpString(lit);
      if (v === null || (v.replace(/\/+$/, '') !== base && !v.startsWith(`${base}/`))) return whole;
      return `define( '${name}', ${phpString(`${to.replace(/\/+$/, '')}${v.slice(base.length)}`.replace(/\/+$/, ''))} )`;
    });
  }
  return out;
}

/**
 * `text` with every literal authentication key and salt replaced by a fresh random one (those it does not define
 * as literals are left alone). A site made from a copy (a template) must not share its cookie secrets with others.
 */
export function renewWpSalts(text: string): string {
  let out = text;
  for (const name of SALT_NAMES) out = out.replace(defineRe(name), () => `define( '${name}', ${phpString(randomBytes(48).toString('base64'))} )`);
  return out;
}

/**
 * Where the site's wp-config.php is, relative to the app folder: in it, or (as wp-load.php allows) one folder up
 * when that folder is not itself a WordPress root. Null when there is none.
 */
export async function findWpConfig(files: AppFiles): Promise<string | null> {
  if ((await files.readText('wp-config.php')) !== null) return 'wp-config.php';
  if ((await files.readText('../wp-config.php')) !== null && (await files.readText('../wp-settings.php')) === null) return '../wp-config.php';
  return null;
}

/** The site's database settings from its wp-config.php, or null. */
export async function readWpConfigDb(files: AppFiles): Promise<DbCredentials | null> {
  const file = await findWpConfig(files);
  const text = file ? await files.readText(file) : null;
  return text === null ? null : parseWpConfig(text);
}
