import { EngineError } from '@installgate/contracts';

/** Settings the engine needs from the operator's configuration (settings.ini). */
export interface EngineSettings {
  /** settings.ini `admin=`: username of the main administrator (a reseller with this id gets full admin rights). */
  admin: string;
  /** Default home of a website whose `path` is omitted: `${homesRoot}/${username}`. Absolute. */
  homesRoot: string;
  /** Auto-update policy given to new installs when the caller sends none (spec §9 #2). */
  defaultAutoup: 'none' | 'minor' | 'all';
}

/** The defaults the server applies when settings.ini is silent. */
export const DEFAULT_ENGINE_SETTINGS: EngineSettings = Object.freeze({
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
  return { admin: s.admin, homesRoot: s.homesRoot.replace(/\/+$/, '') || '/', defaultAutoup: s.defaultAutoup };
}
