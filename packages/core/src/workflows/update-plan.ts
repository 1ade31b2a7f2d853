/**
 * Preflight of `POST /installs/{id}/update` (spec §2.2, v1 `update`/`upgrade`): which install, from which version
 * to which (the catalog's upgrade rules), which add-ons, and whether the environment can take the new release.
 *
 * Version decisions (the spec names the errcodes, not the cases):
 * - absent: the newest version an automatic update may reach (`upgrade_from` minor or major, never `manual`);
 *   with none, an update that names plugins/themes goes on without the core, anything else is
 *   invalid_argument_version_noupdate ("nothing to update");
 * - `current`: the core stays; only plugins/themes (from the current release's bundled copies);
 * - not a version, not in the catalog/mirror, or the version the install already runs: invalid_argument_version;
 * - older (a downgrade) or a version whose manifest says `update: none`: invalid_argument_version_noupdate;
 * - `update: manual`: invalid_argument_version_manualupdate (only a manual update reaches it);
 * - PHP / MySQL requirements of the target release not met: invalid_argument_version_unmetrequirements.
 * All with errfield `version`.
 */
import * as fs from 'node:fs';
import { EngineError, invalidArgument, type Errcode, type Install } from '@installgate/contracts';
import { ADMIN_SCOPE, type Scope } from '../access/actor';
import { compareVersions, isVersion } from '../applications/versions';
import { resolveLocation, type ResolvedLocation } from '../backups/backup-location';
import type { AppDeps } from './app-deps';
import { withInstallHost } from '../sites/install-host';
import { isRemoteHome, publicHome } from '../sites/site-home';
import { localRootFor } from './backup-install';
import type { DbCredentials, DriverPort, ManifestPort } from './ports';
import { freeBytes, parseSize } from './resolve-target';
import { recordDb } from './uninstall-application';
import { numericVersion, satisfiesRange } from './version-range';

/** The update call's input, v2 names (the v1 adapter translates `revert=yes`, `plugin=*`, …). */
export interface UpdateRequest {
  /** A version, or `current` (core stays). Default: the newest automatic target. */
  version?: string;
  /** Take a backup first (no backup, no update) and restore the site if the update fails. */
  revert?: boolean;
  /** `[]` = all installed; slugs = those. Absent = none. */
  plugins?: string[];
  themes?: string[];
}

export interface UpdatePlan {
  install: Install;
  manifest: ManifestPort;
  driver: DriverPort;
  from: string;
  /** The core's new version; null when the core stays (`current`, or only add-ons asked). */
  to: string | null;
  /** The release whose files and bundled add-ons the update uses (`to`, else the current version). */
  source: string;
  plugins?: string[];
  themes?: string[];
  db: DbCredentials | null;
  /** Where the pre-update backup goes; null without `revert`. */
  backupTo: ResolvedLocation | null;
}

const versionError = (errcode: Errcode, message: string) => new EngineError(errcode, { errfield: 'version', message });

function targetVersion(deps: AppDeps, install: Install, req: UpdateRequest, manifest: ManifestPort): string | null {
  const from = install.version;
  const addonsAsked = req.plugins !== undefined || req.themes !== undefined;
  if (req.version === 'current') return null;
  if (req.version === undefined) {
    const auto = deps.catalog.autoUpdateTarget(install.application, from, 'all');
    if (auto === null && !addonsAsked) {
      throw versionError('invalid_argument_version_noupdate', `${manifest.name} ${from} is the newest version this install can be updated to automatically; nothing to update.`);
    }
    return auto;
  }
  if (!isVersion(req.version)) throw versionError('invalid_argument_version', 'version must be a version such as 6.4.5, or current.');
  const to = req.version;
  const how = deps.catalog.upgradeFrom(install.application, from, to);
  const cmp = compareVersions(to, from);
  if (cmp === 0) throw versionError('invalid_argument_version', `This install already runs ${manifest.name} ${from}.`);
  if (cmp < 0) throw versionError('invalid_argument_version_noupdate', `${manifest.name} ${to} is older than ${from}: an update cannot go back to it (restore a backup instead).`);
  if (how === 'none') throw versionError('invalid_argument_version_noupdate', `Installgate does not update ${manifest.name} to ${to} (the catalog's upgrade rules exclude it); a manual update may exist.`);
  if (how === 'manual') throw versionError('invalid_argument_version_manualupdate', `${manifest.name} ${to} can only be reached by a manual update, not by Installgate.`);
  return to;
}

/** Part 1 (dryrun=input stops here): install, versions, add-on names, backup location. */
export async function planUpdate(deps: AppDeps, scope: Scope, id: string, req: UpdateRequest): Promise<UpdatePlan> {
  const install = await deps.installs.get(scope, id);
  if (install.incomplete) throw new EngineError('install_busy', { errfield: 'id', message: 'This install is incomplete (an install or restore did not finish); it cannot be updated.' });
  const manifest = deps.catalog.manifest(install.application);
  const driver = deps.runtime.driverFor(manifest.driver);
  const to = targetVersion(deps, install, req, manifest);
  for (const kind of ['plugins', 'themes'] as const) {
    if (req[kind] !== undefined && !driver.update?.addonDirs) {
      throw invalidArgument(kind, `${manifest.name} has no ${kind}.`);
    }
  }
  let backupTo: ResolvedLocation | null = null;
  if (req.revert) {
    const owner = await deps.users.get(scope, install.user);
    backupTo = await resolveLocation(deps, scope.actor, install.bkloc || 'local', await localRootFor(deps, owner, install));
  }
  return {
    install, manifest, driver, from: install.version, to, source: to ?? install.version,
    plugins: req.plugins, themes: req.themes, db: recordDb(install), backupTo,
  };
}

/**
 * Spec §2.2 failed_website_vhost ("the user's hosting account does not manage this domain"): no website of the
 * owner serves the install's URL any more (its vhosts changed, or the website was removed). Checked before
 * anything else of the environment, so such an install is refused the same way wherever its files are.
 */
async function checkServed(deps: AppDeps, install: Install): Promise<void> {
  try {
    await deps.users.resolveUrl(ADMIN_SCOPE, install.user, install.url);
  } catch (e) {
    if (e instanceof EngineError && e.errfield === 'url') throw new EngineError('failed_website_vhost', { message: `No website of ${install.user} serves ${install.url} any more.` });
    throw e;
  }
}

/** The install's folder is there and writable: on this server by stat/access, on a website by stat over its SiteFs. */
async function checkFolder(deps: AppDeps, install: Install): Promise<void> {
  const gone = () => new EngineError('failed_filesystem_directory', { message: `The folder of this install (${publicHome(install.path)}) no longer exists.` });
  await withInstallHost(deps, install, async ({ site, dir }) => {
    if (site) {
      // SFTP and FTP tell no "may I write here" short of writing: a refused write shows at the upload (nothing
      // live is touched before the swap) as failed_filesystem_permission.
      if ((await site.stat(dir))?.type !== 'dir') throw gone();
      return;
    }
    const st = await fs.promises.stat(dir).catch(() => null);
    if (!st?.isDirectory()) throw gone();
    try {
      await fs.promises.access(dir, fs.constants.W_OK | fs.constants.X_OK);
    } catch {
      throw new EngineError('failed_filesystem_permission', { message: `Installgate may not write to ${dir}.` });
    }
  });
}

/** Part 2 (dryrun=all and every real run): the website, the folder, the database, the new release's requirements. */
export async function checkUpdateEnvironment(deps: AppDeps, plan: UpdatePlan): Promise<void> {
  await checkServed(deps, plan.install);
  await checkFolder(deps, plan.install);
  if (plan.db) await deps.runtime.database.checkCredentials(plan.db);
  if (plan.to === null) return;
  const release = deps.catalog.get(plan.install.application, { version: plan.to })[0]!;
  const need = release.requirements;
  const php = numericVersion(await deps.runtime.phpVersion());
  if (!satisfiesRange(php, need.php)) {
    throw versionError('invalid_argument_version_unmetrequirements', `${plan.manifest.name} ${plan.to} needs PHP ${need.php}; this server has ${php}.`);
  }
  if (plan.db) {
    const mysql = numericVersion(await deps.runtime.database.serverVersion(plan.db));
    if (!satisfiesRange(mysql, need.mysql)) {
      throw versionError('invalid_argument_version_unmetrequirements', `${plan.manifest.name} ${plan.to} needs MySQL/MariaDB ${need.mysql}; the database server has ${mysql}.`);
    }
  }
  const needed = parseSize(need.diskspace);
  // SFTP and FTP have no portable free-space query: on another server the upload's own quota error tells.
  if (needed > 0 && !isRemoteHome(plan.install.path) && (await freeBytes(plan.install.path)) < needed) {
    throw new EngineError('failed_filesystem_quota', { message: `${plan.manifest.name} ${plan.to} needs ${need.diskspace} of free disk space beside the install.` });
  }
}
