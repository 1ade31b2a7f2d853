import * as fs from 'node:fs';
import * as path from 'node:path';
import { EngineError, type Install } from '@installgate/contracts';
import type { Scope } from '../access/actor';
import type { AppDeps, RunOptions } from './app-deps';
import type { OperationResult } from './install-application';
import { folderBusy, folderLockKey, isWebServerEntry } from './resolve-target';
import type { DbCredentials } from './ports';
import { remoteSiteOf } from '../sites/install-site';
import { relativeToHome } from '../sites/site-home';
import { withSite } from '../sites/with-site';
import { removeSiteInstall } from './remove-site-install';
import { removeAllLoginFiles } from '../drivers/wordpress-sso';


/** The database settings of a record, or null when it has none. */
export function recordDb(i: Install): DbCredentials | null {
  return i.db_name ? { db_host: i.db_host, db_name: i.db_name, db_user: i.db_user, db_pass: i.db_pass, db_prefix: i.db_prefix } : null;
}

/** A file entry of a record that is safe to delete: one name directly inside the install folder. */
function safeEntry(dir: string, entry: string): string | null {
  if (entry === '' || entry === '.' || entry === '..' || entry.includes('/') || entry.includes('\\') || entry.includes('\0')) return null;
  const full = path.join(dir, entry);
  return path.dirname(full) === dir ? full : null;
}

/**
 * Removes the folders the install created, from its own folder up to `top` (the highest one it created), each only
 * when empty: another install (or the customer) may have put files in a folder since, and those must stay.
 */
async function removeEmptyFolders(dir: string, top: string): Promise<void> {
  const rel = path.relative(top, dir);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return;
  for (let d = dir; ; d = path.dirname(d)) {
    try {
      await fs.promises.rmdir(d);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOTEMPTY' || code === 'EEXIST') return;
      if (code !== 'ENOENT') throw e;
    }
    if (d === top) return;
  }
}

/**
 * Uninstalls (spec §2.2, v1 `uninstall`): deletes the files of `files` and the tables of `tables`, then the
 * database, database user and folder the engine created for this install, then the record. Backups stay.
 * `force` goes on past errors (a database that is gone, a host that does not answer) and reports them in the log.
 */
export async function uninstallApplication(deps: AppDeps, scope: Scope, id: string, opts: RunOptions & { force: boolean }): Promise<OperationResult<Install>> {
  const install = await deps.installs.get(scope, id);
  const remote = await remoteSiteOf(deps, install);
  if (opts.dryrun !== 'none') {
    if (opts.dryrun === 'all' && !opts.force) {
      const db = recordDb(install);
      if (db) await deps.runtime.database.checkCredentials(db);
      const there = remote ? await withSite(deps, remote.home, async (site) => (await site.stat(remote.rel))?.type === 'dir') : fs.existsSync(install.path);
      if (!there) throw new EngineError('failed_filesystem_directory', { message: `The folder of this install (${install.path}) no longer exists.` });
    }
    return { data: install, dryrun: true };
  }
  const secrets = install.db_pass ? [install.db_pass] : [];
  const problems: string[] = [];
  const attempt = async (what: string, f: () => Promise<void>) => {
    try {
      await f();
    } catch (e) {
      if (!opts.force) throw e;
      problems.push(`${what}: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  const { task } = await deps.runner.run({
    cmd: 'installs/uninstall', user: install.user, installId: id, url: install.url, title: install.title, label: '_tasks_uninstalling',
    payload: { install: id, force: opts.force }, lockInstall: [id, folderLockKey(install.path)], secrets,
  }, async (t) => {
    const res = await deps.resources.get(id);
    await t.progress('_tasks_shared_removingfiles', 0, 50);
    if (remote) {
      await attempt('files', () => withSite(deps, remote.home, (site) => removeSiteInstall(site, remote.rel, install, relativeToHome(remote.home, res.created_path))));
    } else await attempt('files', async () => {
      // An install cut off half-way (incomplete) may have written files its record does not list yet; its folder was
      // empty when it began (install preflight), so everything in it but web-server entries is the install's.
      const entries = install.incomplete
        ? (await fs.promises.readdir(install.path).catch(() => [] as string[])).filter((e) => !isWebServerEntry(e))
        : install.files;
      for (const entry of entries) {
        const full = safeEntry(install.path, entry);
        if (full) await fs.promises.rm(full, { recursive: true, force: true });
      }
      // Unused single sign-on links are not in the record's files; left there, they would keep the folder.
      await removeAllLoginFiles(install.path);
    });
    await t.progress('_tasks_shared_removingtables', 50, 90);
    const db = recordDb(install);
    if (res.created_db_name && deps.dbServer) {
      await attempt('database', () => deps.runtime.database.dropAppDatabase(deps.dbServer!, { db_name: res.created_db_name, db_user: res.created_db_user }));
    } else if (db && install.tables.length > 0) {
      await attempt('tables', () => deps.runtime.database.dropTables(db, install.tables));
    }
    if (res.created_path && !remote) await attempt('folder', () => removeEmptyFolders(install.path, res.created_path));
    await deps.installsRepo.remove(id);
    await deps.resources.forget(id);
    await deps.logs.write({
      user: install.user, cmd: 'installs/uninstall', install: id, url: install.url, title: install.title,
      severity: problems.length ? 'error' : 'info',
      message: problems.length ? `Uninstalled ${install.title} with problems (force): ${problems.join('; ')}` : `Uninstalled ${install.title} (${install.url}).`,
    }, secrets);
  }, { background: opts.background !== false }).catch((e: unknown) => { throw folderBusy(e, install.path); });
  return { data: install, task };
}
