import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ini from 'ini';
import { z } from 'zod';
import { parseSecretKey, newSecretKeyText, SECRET_KEY_COMMENT } from './secret-key';

/**
 * Server configuration: `settings.ini` under the data directory (the file an Installatron admin knows:
 * `key=`, `key2=`, `admin=`), overridden by INSTALLGATE_* environment variables.
 */
export interface Settings {
  /** Data directory (INSTALLGATE_HOME, default ./data). */
  home: string;
  /** Path of settings.ini. */
  file: string;
  host: string;
  port: number;
  /** API keys: `key` and `key2` are equally valid (spec §1.3, rotation). */
  key: string;
  key2: string;
  /** Main administrator account name (settings.ini `admin=`). */
  admin: string;
  /** Where websites live when a website gives no path: `${homes_root}/${user}`. */
  homes_root: string;
  /** MariaDB server for application databases, e.g. mysql://root:pw@127.0.0.1:3307 ('' = none configured). */
  db_url: string;
  /** The state database: a sqlite file (default `${home}/installgate.db`) or a mysql:// / postgres:// URL. */
  state_db: string;
  /** Extra path (besides `/`) where v1 `cmd` requests are answered, e.g. `/installatron/index.cgi`. */
  legacy_path: string;
  /** Server-wide default of `autoup` for new installs (spec §4.5: ours, shipped as `minor`). */
  default_autoup: 'none' | 'minor' | 'all';
  /** Whether the key was generated at this start (then the start message says where it is). */
  key_generated: boolean;
  /** The key secrets are encrypted with in the state database (settings.ini `secret_key=`, generated at first start). */
  secret_key: Buffer;
  /** Whether secret_key was generated at this start (a store encrypted before then refuses it: see explainKeyRefusal). */
  secret_key_generated: boolean;
  /** Start a private MariaDB under the data directory when no db_url is configured (settings.ini `embedded_db=`). */
  embedded_db: boolean;
  /** Application manifests (settings.ini `apps_dir=`, env INSTALLGATE_APPS_DIR); '' = the engine's default (<repo>/apps). */
  apps_dir: string;
  /** Application mirror (`mirror_dir=`, env INSTALLGATE_MIRROR_DIR); '' = the engine's default (<repo>/.cache/app-mirror). */
  mirror_dir: string;
  /**
   * Seconds between scheduler passes (expired backups, unfinished archives, automatic backups and updates);
   * settings.ini `scheduler_interval=`, 0 = off.
   */
  scheduler_interval: number;
  /** Outgoing mail for install notifications (spec §8.3): settings.ini `smtp_*`; `host` '' = no mail. */
  smtp: { host: string; port?: number; secure: 'auto' | 'starttls' | 'tls' | 'none'; tlsVerify: boolean; user: string; pass: string; from: string };
  /** Notification types the admin turned off for every install (settings.ini `notification_disabled=`, comma list). */
  notification_disabled: string[];
}

/** A free-text value: ini reads a bare `true`/`false` as a boolean, but a password may well be that word. */
const zIniText = z.preprocess((v) => (typeof v === 'boolean' ? String(v) : v), z.string());

const zFile = z.object({
  key: z.string().optional(),
  key2: z.string().optional(),
  admin: z.string().optional(),
  homes_root: z.string().optional(),
  db_url: z.string().optional(),
  state_db: z.string().optional(),
  legacy_path: z.string().optional(),
  default_autoup: z.enum(['none', 'minor', 'all']).optional(),
  host: z.string().optional(),
  port: z.coerce.number().int().min(0).max(65535).optional(),
  apps_dir: z.string().optional(),
  embedded_db: z.enum(['yes', 'no', 'true', 'false', '1', '0']).optional(),
  mirror_dir: z.string().optional(),
  scheduler_interval: z.coerce.number().int().min(0).max(86_400).optional(),
  smtp_host: z.string().optional(),
  smtp_port: z.coerce.number().int().min(1).max(65535).optional(),
  smtp_secure: z.enum(['auto', 'starttls', 'tls', 'none']).optional(),
  smtp_tls_verify: z.enum(['yes', 'no', 'true', 'false', '1', '0']).optional(),
  smtp_user: zIniText.optional(),
  smtp_pass: zIniText.optional(),
  smtp_from: z.string().optional(),
  notification_disabled: z.string().optional(),
  secret_key: z.string().optional(),
}).passthrough();

const zEnvPort = z.coerce.number().int().min(0).max(65535);

/** A new random API key: 48 url-safe characters. */
export function generateKey(): string {
  return randomBytes(36).toString('base64url');
}

/**
 * Adds generated settings to settings.ini. Appended, so that the operator's comments and layout stay; a later
 * line wins over an earlier empty one when ini reads the file. The file holds keys: owner-readable only.
 */
function appendGenerated(file: string, current: string, values: Record<string, string>): void {
  const { secret_key: secretKey, ...keys } = values;
  const lines = ini.stringify(keys) + (secretKey === undefined ? '' : SECRET_KEY_COMMENT + ini.stringify({ secret_key: secretKey }));
  const sep = current === '' || current.endsWith('\n') ? '' : '\n';
  fs.appendFileSync(file, sep + lines, { mode: 0o600 });
  fs.chmodSync(file, 0o600);
}

/**
 * Reads (and on first start creates) settings.ini, applies environment overrides and validates the result.
 * Throws an Error naming the offending setting: a server must not start on a broken configuration.
 */
export function loadSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const home = path.resolve(env.INSTALLGATE_HOME || './data');
  fs.mkdirSync(home, { recursive: true, mode: 0o700 });
  const file = path.join(home, 'settings.ini');
  const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  const raw: Record<string, unknown> = ini.parse(text);
  const parsed = zFile.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    // zod's message names the expected form, never the value given (smtp_pass must not reach a console).
    throw new Error(`${file}: setting ${issue?.path.join('.')} is not valid: ${issue?.message}`);
  }
  const s = parsed.data;

  // First start: generate the keys and keep them. An empty `secret_key=` is not "missing": it is refused below
  // rather than replaced, since a new key cannot read what the old one sealed.
  const generated: Record<string, string> = {};
  if (!s.key && !env.INSTALLGATE_API_KEY) Object.assign(generated, { key: generateKey(), ...(s.admin === undefined ? { admin: 'admin' } : {}) });
  if (s.secret_key === undefined) generated.secret_key = newSecretKeyText();
  if (Object.keys(generated).length > 0) {
    appendGenerated(file, text, generated);
    Object.assign(s, generated);
  }
  const keyGenerated = generated.key !== undefined;
  const port = env.INSTALLGATE_PORT !== undefined && env.INSTALLGATE_PORT !== ''
    ? zEnvPort.safeParse(env.INSTALLGATE_PORT) : { success: true as const, data: s.port ?? 8080 };
  if (!port.success) throw new Error(`INSTALLGATE_PORT is not a port number: ${env.INSTALLGATE_PORT}`);

  const key = env.INSTALLGATE_API_KEY || s.key || '';
  if (key.length < 8) throw new Error('the API key (settings.ini key= or INSTALLGATE_API_KEY) must have at least 8 characters');
  return {
    home,
    file,
    host: env.INSTALLGATE_HOST || s.host || '127.0.0.1',
    port: port.data,
    key,
    key2: s.key2 ?? '',
    admin: s.admin || 'admin',
    homes_root: path.resolve(home, s.homes_root || 'homes'),
    db_url: env.INSTALLGATE_DB_URL || s.db_url || '',
    state_db: env.INSTALLGATE_STATE_DB || s.state_db || path.join(home, 'installgate.db'),
    legacy_path: s.legacy_path || '',
    default_autoup: s.default_autoup ?? 'minor',
    key_generated: keyGenerated,
    secret_key: parseSecretKey(s.secret_key ?? '', file),
    secret_key_generated: generated.secret_key !== undefined,
    embedded_db: !['no', 'false', '0'].includes(String(s.embedded_db ?? 'yes')),
    // The environment is read relative to the working directory (as INSTALLGATE_HOME), settings.ini relative to the
    // data directory (as homes_root).
    apps_dir: env.INSTALLGATE_APPS_DIR ? path.resolve(env.INSTALLGATE_APPS_DIR) : s.apps_dir ? path.resolve(home, s.apps_dir) : '',
    mirror_dir: env.INSTALLGATE_MIRROR_DIR ? path.resolve(env.INSTALLGATE_MIRROR_DIR) : s.mirror_dir ? path.resolve(home, s.mirror_dir) : '',
    scheduler_interval: s.scheduler_interval ?? 300,
    smtp: {
      host: (s.smtp_host ?? '').trim(),
      port: s.smtp_port,
      secure: s.smtp_secure ?? 'auto',
      tlsVerify: !['no', 'false', '0'].includes(String(s.smtp_tls_verify ?? 'yes')),
      user: s.smtp_user ?? '',
      pass: s.smtp_pass ?? '',
      from: s.smtp_from ?? '',
    },
    notification_disabled: (s.notification_disabled ?? '').split(',').map((t) => t.trim()).filter((t) => t !== ''),
  };
}
