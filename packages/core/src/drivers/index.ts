/**
 * Application drivers: how Installgate installs, reads, changes and logs into each kind of application.
 * `driverFor(name)` is the registry; the catalog's manifests name a driver.
 */
import { EngineError } from '@installgate/contracts';
import type { AppDriver, DriverName } from './app-driver';
import { phpInstallerDriver } from './php-installer';
import { staticInstallerDriver } from './static-installer';
import { wordpressDriver } from './wordpress';

export type {
  AddonInfo,
  AddonList,
  AppDriver,
  DetectedInstall,
  DriverInstallInput,
  DriverInstallResult,
  DriverName,
  InstallFields,
} from './app-driver';
export { wordpressDriver } from './wordpress';
export { phpInstallerDriver } from './php-installer';
export { staticInstallerDriver } from './static-installer';
export { parseWpConfig, renderWpConfig, rewriteWpConfig, rewriteWpUrlDefines, findWpConfig } from './wordpress-config';
export {
  LOGIN_FILE_GLOB,
  LOGIN_FILE_RE,
  LOGIN_TTL_DEFAULT_SECONDS,
  LOGIN_TTL_MAX_SECONDS,
  removeAllLoginFiles,
  removeExpiredLoginFiles,
} from './wordpress-sso';

const DRIVERS: Record<DriverName, AppDriver> = {
  wordpress: wordpressDriver,
  'php-installer': phpInstallerDriver,
  'static-installer': staticInstallerDriver,
};

export const DRIVER_NAMES = Object.keys(DRIVERS) as DriverName[];

export function isDriverName(name: string): name is DriverName {
  return Object.prototype.hasOwnProperty.call(DRIVERS, name);
}

/** The driver of that name; internal_error for an unknown name (a manifest naming a driver that does not exist). */
export function driverFor(name: string): AppDriver {
  if (!isDriverName(name)) throw new EngineError('internal_error', { message: `No application driver named ${JSON.stringify(name)}.` });
  return DRIVERS[name];
}
