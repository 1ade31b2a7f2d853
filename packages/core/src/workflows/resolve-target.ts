import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EngineError, type User } from '@installgate/contracts';
import type { Scope } from '../access/actor';
import { parseInstallUrl, type ResolvedUrl } from '../users/resolve-url';
import type { AppDeps } from './app-deps';
import type { SiteFs } from '@installgate/storage';
import { isRemoteHome, publicHome, relativeToHome } from '../sites/site-home';
import { withSite } from '../sites/with-site';
import { missingSiteFolder } from '../sites/site-failure';

/** Where an install goes: its owner, the owner's website and the absolute directory for the URL. */
export interface InstallTarget {
  owner: User;
  resolved: ResolvedUrl;
  /**
   * Where the install lives, as its record's `path` says it: an absolute directory on this server, or for a
   * website on another server its home URI without the password plus the folder (see sites/site-home.ts).
   */
  dir: string;
  /** Set when the website is on another server: reach its files through a SiteFs opened on `home`. */
  remote: RemoteTarget | null;
}

/** An install folder on another server. */
export interface RemoteTarget {
  /** The website's home URI, credentials included (never logged or stored in a record). */
  home: string;
  /** The install folder relative to the home ('' = the home itself). */
  rel: string;
}

/** Entries a fresh install may share its folder with (they belong to the web server, not to an application). */
const IGNORABLE = new Set(['.well-known', 'cgi-bin', '.DS_Store']);

/**
 * True for an entry of an install folder that belongs to the web server or the host, never to an application: a new
 * install may share its folder with it, and no install, undo, restore or uninstall ever takes or removes it.
 */
export const isWebServerEntry = (name: string): boolean => IGNORABLE.has(name);

/**
 * The owner of a new install: the account the call runs as; for the main admin (no `user`), the one account whose
 * website serves the URL. None → invalid_argument_url; several → empty_argument_user (say which one).
 */
export async function resolveOwner(deps: AppDeps, scope: Scope, url: string): Promise<User> {
  if (scope.actor.kind === 'account') return deps.users.get(scope, scope.actor.id);
  // A missing or malformed URL is that, whoever calls: not "no website serves it" (each user's lookup below
  // would fail on it, and its own errcode would be lost).
  parseInstallUrl(url);
  const matches: User[] = [];
  for (let offset = 0; ; offset += 500) {
    const page = await deps.users.list(scope, { offset, limit: 500 });
    for (const u of page.items) {
      try {
        await deps.users.resolveUrl(scope, u.id, url);
        matches.push(u);
      } catch {
        // not this user's website
      }
    }
    if (!page.has_more) break;
  }
  if (matches.length === 1) return matches[0]!;
  if (matches.length === 0) throw new EngineError('invalid_argument_url', { errfield: 'url', message: 'No website of any user serves this URL; create the user and its website first (POST /users).' });
  throw new EngineError('empty_argument_user', { errfield: 'user', message: `Several users have a website for this URL (${matches.map((m) => m.id).join(', ')}); name one with user.` });
}

/**
 * Resolves the URL to the owner's website and directory, and checks a local directory can take a new install. A
 * website on another server is not connected to here (dryrun=input must not reach out): `mustBeEmpty` is checked
 * there by {@link checkRemoteFolder}, from the environment checks.
 */
export async function resolveTarget(deps: AppDeps, scope: Scope, url: string, opts: { mustBeEmpty: boolean; allowRemote?: boolean }): Promise<InstallTarget> {
  const owner = await resolveOwner(deps, scope, url);
  const resolved = await deps.users.resolveUrl(scope, owner.id, url);
  if (isRemoteHome(resolved.website.path)) {
    // Refused before connecting: operations that cannot work over SFTP/FTP yet must not touch the site at all.
    if (!opts.allowRemote) throw new EngineError('not_implemented', { errfield: 'url', message: 'This operation does not support websites on other servers (sftp://, ftp:// paths) yet.' });
    const rel = relativeToHome(resolved.website.path, resolved.path);
    if (rel === null) throw new EngineError('internal_error', { message: 'the install folder is not below its website home' });
    const remote = { home: resolved.website.path, rel };
    return { owner, resolved, dir: publicHome(resolved.path), remote };
  }
  const dir = path.resolve(resolved.path);
  if (opts.mustBeEmpty) await checkEmpty(dir);
  return { owner, resolved, dir, remote: null };
}


/**
 * Refuses a target on another server for an application whose driver only works on this server (its installer runs
 * under PHP CLI here), before anything is contacted.
 */
export function requireRemoteSupport(target: InstallTarget, driver: { remoteSites: boolean }, appName: string): void {
  if (target.remote && !driver.remoteSites) {
    throw new EngineError('not_implemented', { errfield: 'url', message: `${appName} cannot be installed on websites on other servers (sftp://, ftp:// paths) yet; WordPress can.` });
  }
}

/** The folder must be missing or empty (but for web-server entries): an install never overwrites files. */
export async function checkEmpty(dir: string): Promise<void> {
  let entries: string[];
  try {
    entries = await fs.promises.readdir(dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return;
    if (code === 'ENOTDIR') throw notAFolder();
    if (code === 'EACCES' || code === 'EPERM') throw new EngineError('failed_filesystem_permission', { message: 'The folder for this URL cannot be read.' });
    throw e;
  }
  refuseEntries(entries);
}

/**
 * Connects to a website on another server and checks that a new install can go to `remote.rel`: the login works
 * (failed_filesystem_login / _host otherwise), the home is there (failed_filesystem_directory: else the install
 * would fail later, or create a home the website does not serve) and the folder is missing or empty.
 */
export async function checkRemoteFolder(deps: Pick<AppDeps, 'sites'>, remote: RemoteTarget): Promise<void> {
  await withSite(deps, remote.home, (site) => checkFolderOn(site, remote.rel));
}

/** {@link checkRemoteFolder} on an open connection. */
export async function checkFolderOn(site: SiteFs, rel: string): Promise<void> {
  if ((await site.stat(''))?.type !== 'dir') throw missingSiteFolder(site, '');
  await checkEmptyOn(site, rel);
}

/** {@link checkEmpty} for a folder on a website's SiteFs. */
export async function checkEmptyOn(site: SiteFs, rel: string): Promise<void> {
  const st = await site.stat(rel);
  if (!st) return;
  if (st.type !== 'dir') throw notAFolder();
  refuseEntries((await site.list(rel)).map((e) => e.name));
}

const notAFolder = () => new EngineError('invalid_argument_url_notempty', { errfield: 'url', message: 'The path for this URL is a file.' });

function refuseEntries(entries: readonly string[]): void {
  const blocking = entries.filter((e) => !IGNORABLE.has(e));
  if (blocking.length > 0) {
    throw new EngineError('invalid_argument_url_notempty', {
      errfield: 'url',
      message: `The folder for this URL is not empty (${blocking.slice(0, 5).join(', ')}${blocking.length > 5 ? ', …' : ''}); choose an empty folder or remove the files.`,
    });
  }
}

/** Free bytes on the filesystem that holds `dir` (or its nearest existing parent). */
export async function freeBytes(dir: string): Promise<number> {
  let probe = dir;
  while (!fs.existsSync(probe) && path.dirname(probe) !== probe) probe = path.dirname(probe);
  const s = await fs.promises.statfs(probe);
  return s.bavail * s.bsize;
}

/** "40M", "1.5G", "512K", "100" (bytes) → bytes. */
export function parseSize(text: string | undefined): number {
  if (!text) return 0;
  const m = /^\s*(\d+(?:\.\d+)?)\s*([KMG]?)B?\s*$/i.exec(text);
  if (!m) return 0;
  const unit = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[m[2]!.toUpperCase() as '' | 'K' | 'M' | 'G'];
  return Math.round(parseFloat(m[1]!) * unit);
}

/**
 * The install-lock key of a folder (install_locks.install_id, at most 64 characters): install, import and uninstall
 * take it next to the install's own key, so that two operations never write into (or delete from) one folder at
 * the same time: e.g. two installs to one URL, where each found the folder empty before the other started.
 */
export function folderLockKey(dir: string): string {
  return `folder:${createHash('sha256').update(path.resolve(dir)).digest('hex').slice(0, 40)}`;
}

/** An install_busy from taking `folderLockKey(dir)` as a caller-facing error about the URL (errfield url). */
export function folderBusy(e: unknown, dir: string): unknown {
  if (e instanceof EngineError && e.errcode === 'install_busy' && e.details?.lock === folderLockKey(dir)) {
    return new EngineError('install_busy', {
      errfield: 'url',
      message: 'Another task is installing into, importing or removing the folder of this URL; wait for it to finish.',
      details: e.details,
    });
  }
  return e;
}
