import * as fs from 'node:fs';
import * as path from 'node:path';
import { EngineError, type Install } from '@installgate/contracts';
import type { SiteFs } from '@installgate/storage';
import { isRemoteHome } from '../sites/site-home';
import { siteFailure } from '../sites/site-failure';
import type { AppDeps } from './app-deps';
import { recordDb } from './uninstall-application';

/** Top-level entries that belong to the web server or to Installgate's own work, never to a site's backup. */
const NOT_THE_SITE = new Set(['.well-known', 'cgi-bin']);
// Login and PHP helpers (installgate-*) are there only for the moment a call runs, on this server or another.
const OURS = /^(?:\.ig-|installgate-)/;

/** Every install of the owner (records are cached decoded; owners have hundreds at most). */
async function ownerInstalls(deps: AppDeps, user: string): Promise<Install[]> {
  const out: Install[] = [];
  for (let offset = 0; ; offset += 1000) {
    const page = await deps.installsRepo.list({ owners: [user] }, { offset, limit: 1000 });
    out.push(...page.items);
    if (!page.has_more) return out;
  }
}

/** An install folder on an open website connection (`rel` relative to the website home). */
export interface SiteFolder {
  site: SiteFs;
  rel: string;
}

/** The top-level names in the install's folder: here, or on its website through `on` (required for a remote one). */
async function topLevelNames(install: Install, on: SiteFolder | null): Promise<string[]> {
  if (on) return (await on.site.list(on.rel).catch((e: unknown) => Promise.reject(siteFailure(e, on.site)))).map((e) => e.name);
  if (isRemoteHome(install.path)) throw new EngineError('not_implemented', { message: 'This operation does not support installs on websites on other servers (sftp://, ftp:// paths) yet.' });
  return fs.promises.readdir(install.path);
}

/**
 * What a backup of `install` must hold now, not what its record listed when it was installed: a site grows
 * (WordPress writes .htaccess, plugins add tables). Files: every top-level entry of the install's folder except
 * web-server entries, Installgate's own work files, the folders of other installs nested inside, and a local
 * backup folder inside it. Tables: every table with the install's prefix, except those of another install in the
 * same database whose (longer) prefix starts with this one. Paths compare the same way for a website on another
 * server (records keep `scheme://user@host/…` paths there), whose folder is listed through `on`.
 */
export async function currentContents(deps: AppDeps, install: Install, localBackupRoot: string | null, on: SiteFolder | null = null): Promise<{ files: string[]; tables: string[] }> {
  const others = (await ownerInstalls(deps, install.user)).filter((i) => i.id !== install.id);
  const skip = new Set<string>();
  for (const p of [...others.map((o) => o.path), ...(localBackupRoot ? [localBackupRoot] : [])]) {
    const rel = path.relative(install.path, p);
    if (rel && !rel.startsWith('..') && !path.isAbsolute(rel)) skip.add(rel.split(path.sep)[0]!);
  }
  const files = (await topLevelNames(install, on)).filter((n) => !NOT_THE_SITE.has(n) && !OURS.test(n) && !skip.has(n)).sort();
  const db = recordDb(install);
  if (!db || install.db_prefix === '') return { files, tables: [...install.tables] };
  const longer = others.filter((o) => o.db_name === install.db_name && o.db_host === install.db_host && o.db_prefix.length > install.db_prefix.length && o.db_prefix.startsWith(install.db_prefix)).map((o) => o.db_prefix);
  const tables = (await deps.runtime.database.listTables(db, install.db_prefix)).filter((t) => !longer.some((p) => t.startsWith(p))).sort();
  return { files, tables };
}
