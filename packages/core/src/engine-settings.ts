import { isAbsolute, resolve } from 'node:path';
import { EngineError, type Notification } from '@installgate/contracts';
import { checkDisabledNotifications, checkSmtpSettings, type SmtpSettings } from './notifications/smtp-settings';

/** Settings the engine needs from the operator's configuration (settings.ini). */
export interface EngineSettings {
  /** settings.ini `admin=`: username of the main administrator (a reseller with this id gets full admin rights). */
  admin: string;
  /** Default home of a website whose `path` is omitted: `${homesRoot}/${username}`. Absolute. */
  homesRoot: string;
  /** Auto-update policy given to new installs when the caller sends none (spec §9 #2). */
  defaultAutoup: 'none' | 'minor' | 'all';
  /** Application manifests (apps/<id>/manifest.json). Absolute; default `<repo>/apps`. */
  appsDir?: string;
  /** The local application mirror (release archives + releases.json). Absolute; default `<repo>/.cache/app-mirror`. */
  mirrorDir?: string;
  /**
   * Where captured templates (archive + images) are kept. Absolute; the server passes `<INSTALLGATE_HOME>/templates`;
   * default `<repo>/data/templates` (the server's default home is `./data`).
   */
  templatesDir?: string;
  /** The MariaDB server where application databases are created (`mysql://user:pass@host:port`); none: callers give db_*. */
  dbUrl?: string;
  /** Outgoing mail for notifications (spec §8.3); off without a host. */
  smtp?: SmtpSettings;
  /** Notification types the admin turned off for every install ("administration » Emails"). */
  notificationDisabled?: readonly Notification[];
  /**
   * The key secrets are encrypted with in the state store (settings.ini `secret_key`, 32 bytes). Required: an
   * engine never makes one up, since values sealed with a key nobody kept are lost.
   */
  secretKey: Buffer;
}

/** The repository (or installed tree) the core package sits in: packages/core/{src,dist} → three levels up. */
const REPO_ROOT = resolve(__dirname, '../../..');
/** Default of `appsDir`: the manifests shipped with Installgate. */
export const DEFAULT_APPS_DIR = resolve(REPO_ROOT, 'apps');
/** Default of `mirrorDir`: where scripts/provision/build-app-mirror.sh builds the mirror for development and tests. */
export const DEFAULT_MIRROR_DIR = resolve(REPO_ROOT, '.cache', 'app-mirror');

/** Default of `templatesDir`. */
export const DEFAULT_TEMPLATES_DIR = resolve(REPO_ROOT, 'data', 'templates');

/** The defaults the server applies when settings.ini is silent (the secret key has no default). */
export const DEFAULT_ENGINE_SETTINGS: Readonly<Omit<EngineSettings, 'secretKey'>> = Object.freeze({
  admin: 'admin',
  homesRoot: '/home',
  defaultAutoup: 'minor',
});

/**
 * Checks settings once at start, so that a bad settings.ini fails fast instead of producing odd paths later.
 * Throws EngineError('invalid_argument_settings') naming the bad member in `errfield`.
 */
export function checkEngineSettings(s: EngineSettings): EngineSettings {
  const bad = (field: string, message: string) => new EngineError('invalid_argument_settings', { errfield: field, message });
  if (!/^[A-Za-z0-9._@-]{1,64}$/.test(s.admin)) throw bad('admin', 'settings: admin must be a valid username.');
  if (!s.homesRoot.startsWith('/')) throw bad('homesRoot', 'settings: homesRoot must be an absolute path.');
  if (!['none', 'minor', 'all'].includes(s.defaultAutoup)) throw bad('defaultAutoup', 'settings: defaultAutoup must be none, minor or all.');
  for (const field of ['appsDir', 'mirrorDir', 'templatesDir'] as const) {
    const dir = s[field];
    if (dir !== undefined && (typeof dir !== 'string' || !isAbsolute(dir))) throw bad(field, `settings: ${field} must be an absolute path.`);
  }
  return {
    admin: s.admin,
    homesRoot: s.homesRoot.replace(/\/+$/, '') || '/',
    defaultAutoup: s.defaultAutoup,
    appsDir: resolve(s.appsDir ?? DEFAULT_APPS_DIR),
    mirrorDir: resolve(s.mirrorDir ?? DEFAULT_MIRROR_DIR),
    templatesDir: resolve(s.templatesDir ?? DEFAULT_TEMPLATES_DIR),
    dbUrl: s.dbUrl || undefined,
    smtp: checkSmtpSettings(s.smtp) ?? undefined,
    notificationDisabled: checkDisabledNotifications(s.notificationDisabled),
    // Its length is checked where it is used (createSecretBox), with the same errcode.
    secretKey: s.secretKey,
  };
}
