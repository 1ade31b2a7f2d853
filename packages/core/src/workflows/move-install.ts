/**
 * Moves an install to another URL of its owner (`POST /installs/{id}` with `url`, v1 `edit`): its files move by
 * rename to the folder of the new URL, then the application's stored URLs and paths follow (WordPress: the
 * serialization-aware relocate helper). A failure moves the files back: the site stays where it was.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EngineError, type Install } from '@installgate/contracts';
import type { Scope } from '../access/actor';
import type { AppDeps } from './app-deps';
import { currentContents } from './install-contents';
import { checkEmpty } from './resolve-target';

/** Where the install goes: the new URL's folder, checked to be free and not nested in the install itself. */
export async function planMove(deps: AppDeps, scope: Scope, install: Install, url: string): Promise<{ url: string; domain: string; dir: string }> {
  const resolved = await deps.users.resolveUrl(scope, install.user, url);
  if (resolved.path.includes('://') || !path.isAbsolute(resolved.path)) {
    throw new EngineError('not_implemented', { errfield: 'url', message: 'Websites on other servers (sftp://, ftp:// paths) are not supported by this release yet.' });
  }
  const dir = path.resolve(resolved.path);
  const rel = path.relative(install.path, dir);
  if (dir === install.path) throw new EngineError('invalid_argument_url', { errfield: 'url', message: 'The install is already at this folder.' });
  if (!rel.startsWith('..') && !path.isAbsolute(rel)) throw new EngineError('invalid_argument_url', { errfield: 'url', message: 'An install cannot move into a folder inside itself.' });
  const back = path.relative(dir, install.path);
  if (!back.startsWith('..') && !path.isAbsolute(back)) throw new EngineError('invalid_argument_url', { errfield: 'url', message: 'An install cannot move to a folder that contains it.' });
  await checkEmpty(dir);
  return { url, domain: resolved.domain, dir };
}

/** Renames `names` from `from` to `to`; on failure renames back what moved. Returns how to move them back. */
async function moveEntries(from: string, to: string, names: readonly string[]): Promise<() => Promise<void>> {
  const moved: string[] = [];
  const back = async () => {
    for (const n of [...moved].reverse()) await fs.promises.rename(path.join(to, n), path.join(from, n));
  };
  try {
    for (const n of names) {
      await fs.promises.rename(path.join(from, n), path.join(to, n));
      moved.push(n);
    }
  } catch (e) {
    await back();
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EXDEV') throw new EngineError('invalid_argument_url', { errfield: 'url', message: 'The new folder is on another file system; clone the install there instead.' });
    if (code === 'EACCES' || code === 'EPERM') throw new EngineError('failed_filesystem_permission', { message: 'The install\'s files cannot be moved (permission denied).' });
    throw e;
  }
  return back;
}

/** Moves the files, relocates the app's data and returns the record's new members. Runs under the install's lock. */
export async function moveInstall(deps: AppDeps, install: Install, to: { url: string; domain: string; dir: string }): Promise<Pick<Install, 'url' | 'url_domain' | 'path' | 'files'>> {
  const { files } = await currentContents(deps, install, null);
  let created = '';
  if (!fs.existsSync(to.dir)) {
    created = to.dir;
    while (!fs.existsSync(path.dirname(created))) created = path.dirname(created);
    await fs.promises.mkdir(to.dir, { recursive: true });
  }
  const undoCreate = async () => { if (created) await fs.promises.rm(created, { recursive: true, force: true }); };
  let back: () => Promise<void>;
  try {
    back = await moveEntries(install.path, to.dir, files);
  } catch (e) {
    await undoCreate();
    throw e;
  }
  const driver = deps.runtime.driverFor(deps.catalog.manifest(install.application).driver);
  try {
    await driver.relocate?.({ dir: to.dir, from: { url: install.url, path: install.path, prefix: install.db_prefix }, to: { url: to.url, path: to.dir, prefix: install.db_prefix } });
  } catch (e) {
    // The data may be half rewritten: put it back by relocating the other way, then the files.
    await driver.relocate?.({ dir: to.dir, from: { url: to.url, path: to.dir, prefix: install.db_prefix }, to: { url: install.url, path: install.path, prefix: install.db_prefix } }).catch(() => undefined);
    await back();
    await undoCreate();
    throw e;
  }
  // Folders the engine made for the install and that are empty now go; the new folder is the install's own.
  const res = await deps.resources.get(install.id);
  const inside = path.relative(res.created_path, install.path);
  if (res.created_path && !inside.startsWith('..') && !path.isAbsolute(inside)) {
    for (let d = install.path; ; d = path.dirname(d)) {
      if (!(await fs.promises.rmdir(d).then(() => true, () => false))) break;
      if (d === res.created_path || path.dirname(d) === d) break;
    }
  }
  await deps.resources.record(install.id, { created_path: created });
  return { url: to.url, url_domain: to.domain, path: to.dir, files };
}
