/**
 * WordPress plugins and themes of one install (spec §2.3, §4.2, objects §8.4): list, read, install-or-edit,
 * uninstall. Every change goes through WordPress itself (the driver's addonState: activate_plugin(),
 * deactivate_plugins(), switch_theme(), the auto_update_* site options), then the install record's
 * `plugins`/`themes` are rewritten from what the site reports, so record and site never disagree.
 *
 * Installing: Installgate has no wordpress.org access; the only plugin/theme copies it has are the ones the
 * WordPress releases of the application mirror bundle (default themes, Akismet, Hello Dolly). A slug is taken from
 * the newest release that bundles it, unpacked with the release extraction (its archive-safety rules), and moved
 * into place under a dot-name WordPress ignores until the final rename. No release bundles it → *_not_found.
 *
 * An install on a website on another server works the same way: its files are copied and removed through the
 * website's SiteFs (the release is unpacked here and uploaded) and WordPress runs there, over HTTP.
 *
 * [R] An install of an application without plugins/themes (not WordPress) answers 404 plugin_not_found /
 * theme_not_found for every one of these calls, with a message saying that only WordPress installs have them.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { EngineError, type Addon, type Install } from '@installgate/contracts';
import { LocalSiteFs, type SiteFs } from '@installgate/storage';
import type { Scope } from '../access/actor';
import { removeSiteTree, sitePathJoin, uploadSiteTree } from '../archive';
import { withInstallFolder } from '../sites/install-folder';
import type { InstallHost } from '../sites/install-host';
import { siteFailure } from '../sites/site-failure';
import type { AppDeps, RunOptions } from './app-deps';
import type { OperationResult } from './install-application';
import type { AddonItem, DriverPort } from './ports';
import { bundledAddonsOf } from './bundled-addons-of';
import { compareAddonVersions, type AddonKind } from './update-addons';

export interface AddonEdit {
  activated?: boolean;
  autoup?: 'none' | 'all';
}

const NOT_FOUND = { plugins: 'plugin_not_found', themes: 'theme_not_found' } as const;
const SINGULAR = { plugins: 'plugin', themes: 'theme' } as const;
/** A slug names one folder (or `hello` → hello.php): anything else cannot be a plugin or theme of the site. */
const SLUG = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,199}$/;

interface Target {
  install: Install;
  driver: DriverPort & Required<Pick<DriverPort, 'addonState'>>;
  /** The add-on folder relative to the install (wp-content/plugins). */
  folder: string;
  /** Where the install lives: the driver's dir and host. */
  h: InstallHost;
  /** The install's files: the website's connection (`base` = the install folder on it), or the folder here. */
  site: SiteFs;
  base: string;
}

/** Runs `fn` on the install's add-ons, with its website connection (if any) open for the duration. */
async function withTarget<T>(deps: AppDeps, scope: Scope, id: string, kind: AddonKind, fn: (t: Target) => Promise<T>): Promise<T> {
  const install = await deps.installs.get(scope, id);
  const manifest = deps.catalog.manifest(install.application);
  const driver = deps.runtime.driverFor(manifest.driver);
  const folder = driver.update?.addonDirs?.[kind];
  if (!driver.addonState || !folder) {
    throw new EngineError(NOT_FOUND[kind], { message: `${install.title} is a ${manifest.name} install; only WordPress installs have ${kind}.` });
  }
  return withInstallFolder(deps, install, (h) => {
    // One code path for both: a LocalSiteFs holds no connection, so only the website's one needs closing (done).
    const files = h.site ? { site: h.site, base: h.dir } : { site: new LocalSiteFs(h.dir), base: '' };
    return fn({ install, driver: driver as Target['driver'], folder, h, ...files });
  });
}

/** `rel` (below the install folder) on the target's SiteFs. */
const at = (t: Target, ...rel: string[]) => [t.base, ...rel].reduce((a, b) => sitePathJoin(a, b));

function notFound(kind: AddonKind, slug: string, why = 'is not installed on this site'): EngineError {
  return new EngineError(NOT_FOUND[kind], { message: `The ${SINGULAR[kind]} ${slug} ${why}.` });
}

/** The version the install's own release bundles when newer than the installed one (what an update can reach). */
async function availableVersions(deps: AppDeps, install: Install, kind: AddonKind): Promise<Map<string, string>> {
  const bundled = await bundledAddonsOf(deps, install.application, install.version).catch(() => ({ plugins: [], themes: [] }));
  return new Map(bundled[kind].map((b) => [b.id, b.version]));
}

function toAddon(item: AddonItem, available: Map<string, string>): Addon {
  const newer = available.get(item.id);
  return {
    id: item.id, name: item.name, description: item.description, author: item.author, version: item.version,
    version_available: newer && compareAddonVersions(newer, item.version) > 0 ? newer : '',
    activated: item.activated, autoup: item.autoup,
  };
}

const state = (t: Target, kind: AddonKind, action: 'list' | 'edit' | 'remove', extra: { slug?: string } & AddonEdit = {}) =>
  t.driver.addonState({ dir: t.h.dir, url: t.install.url, kind, action, ...extra, ...t.h.host });

export async function listAddons(deps: AppDeps, scope: Scope, id: string, kind: AddonKind): Promise<Addon[]> {
  return withTarget(deps, scope, id, kind, async (t) => {
    const available = await availableVersions(deps, t.install, kind);
    return (await state(t, kind, 'list')).map((i) => toAddon(i, available));
  });
}

export async function getAddon(deps: AppDeps, scope: Scope, id: string, kind: AddonKind, slug: string): Promise<Addon> {
  const found = (await listAddons(deps, scope, id, kind)).find((a) => a.id === slug);
  if (!found) throw notFound(kind, slug);
  return found;
}

/** The newest mirrored release that bundles `slug`: its version and the add-on's entry (folder or file). */
async function bundledSource(deps: AppDeps, app: string, kind: AddonKind, slug: string): Promise<{ release: string; entry: string; version: string }> {
  for (const v of deps.catalog.get(app, {})) {
    const copy = (await bundledAddonsOf(deps, app, v.version))[kind].find((b) => b.id === slug);
    if (copy) return { release: v.version, entry: copy.entry, version: copy.version };
  }
  throw notFound(kind, slug, 'is not installed, and no WordPress release in the application mirror bundles it (Installgate has no wordpress.org access)');
}

/**
 * Copies the add-on out of the release into the install's add-on folder (through its SiteFs, so also onto a website
 * on another server); visible to WordPress only at the rename.
 */
async function placeFromRelease(deps: AppDeps, t: Target, app: string, kind: AddonKind, src: { release: string; entry: string }): Promise<void> {
  const { site } = t;
  const dest = at(t, t.folder, src.entry);
  const staging = at(t, t.folder, `.ig-new-${randomBytes(4).toString('hex')}-${src.entry}`);
  const scratch = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'ig-addon-'));
  try {
    if (await site.stat(dest)) throw notFound(kind, src.entry, `cannot be installed: ${t.folder}/${src.entry} exists but WordPress does not see a ${SINGULAR[kind]} in it`);
    await deps.runtime.extractRelease(deps.catalog.release(app, src.release).archive, scratch, { stripTopFolder: true });
    const release = new LocalSiteFs(scratch);
    const from = sitePathJoin(t.folder, src.entry);
    await site.mkdir(at(t, t.folder), { recursive: true });
    // A plugin is a folder (akismet) or a single file (hello.php); a theme is always a folder.
    if ((await release.stat(from))?.type === 'dir') {
      await site.mkdir(staging, { mode: 0o755 });
      await uploadSiteTree(release, from, site, staging);
    } else {
      const body = await release.read(from);
      await site.write(staging, body, { mode: 0o644 }).finally(() => body.destroy());
    }
    await site.rename(staging, dest);
  } catch (e) {
    throw siteFailure(e, site);
  } finally {
    await removeSiteTree(site, staging).catch(() => undefined);
    await fs.promises.rm(scratch, { recursive: true, force: true });
  }
}

/** Removes an add-on's entry (folder or file) below the add-on folder. */
async function removeEntry(t: Target, entry: string): Promise<void> {
  await removeSiteTree(t.site, at(t, t.folder, entry)).catch((e: unknown) => Promise.reject(siteFailure(e, t.site)));
}

/** Rewrites the record's list of `kind` from what the site reports. */
async function syncRecord(deps: AppDeps, id: string, kind: AddonKind, items: AddonItem[]): Promise<void> {
  const fresh = await deps.installsRepo.get(id);
  if (!fresh) return;
  const list = items.map((i) => ({ id: i.id, version: i.version, activated: i.activated, autoup: i.autoup }));
  await deps.installsRepo.replace({ ...fresh, [kind]: list, time_updated: deps.clock() });
}

function describe(kind: AddonKind, slug: string, installed: string | null, e: AddonEdit): string {
  const parts = installed ? [`installed ${SINGULAR[kind]} ${slug} ${installed}`] : [];
  if (e.activated !== undefined) parts.push(`${e.activated ? 'activated' : 'deactivated'} ${SINGULAR[kind]} ${slug}`);
  if (e.autoup !== undefined) parts.push(`automatic updates of ${SINGULAR[kind]} ${slug} ${e.autoup === 'all' ? 'on' : 'off'}`);
  return parts.length ? parts.join('; ') : `left ${SINGULAR[kind]} ${slug} as it was`;
}

/** `POST /installs/{id}/{kind}/{slug}`: installs the add-on when absent (defaults activated, autoup=all), else edits. */
export async function editAddon(deps: AppDeps, scope: Scope, id: string, kind: AddonKind, slug: string, edit: AddonEdit, opts: Pick<RunOptions, 'dryrun'>): Promise<OperationResult<Addon>> {
  return withTarget(deps, scope, id, kind, async (t) => {
    if (!SLUG.test(slug)) throw notFound(kind, slug);
    const available = await availableVersions(deps, t.install, kind);
    const present = (await state(t, kind, 'list')).find((i) => i.id === slug);
    const source = present ? null : await bundledSource(deps, t.install.application, kind, slug);
    const change: AddonEdit = source ? { activated: edit.activated ?? true, autoup: edit.autoup ?? 'all' } : edit;
    if (opts.dryrun !== 'none') {
      const now = present ?? { id: slug, name: slug, description: '', author: '', version: source!.version, activated: false, autoup: 'none' as const };
      return { data: toAddon({ ...now, ...change } as AddonItem, available), dryrun: true };
    }
    const { install } = t;
    let items: AddonItem[] = [];
    await deps.runner.run({
      cmd: `installs/${kind}`, user: install.user, installId: id, url: install.url, title: install.title, label: '_tasks_editing',
      payload: { install: id, [SINGULAR[kind]]: slug, ...change }, lockInstall: id,
    }, async () => {
      if (source) await placeFromRelease(deps, t, install.application, kind, source);
      try {
        items = await state(t, kind, 'edit', { slug, ...change });
      } catch (e) {
        // WordPress refused it (e.g. a theme needing a newer WordPress): an install leaves nothing behind.
        if (source) await removeEntry(t, source.entry);
        throw e;
      }
      await syncRecord(deps, id, kind, items);
      await deps.logs.write({ user: install.user, cmd: `installs/${kind}`, install: id, url: install.url, title: install.title,
        [`${SINGULAR[kind]}_name`]: slug, message: `${install.title}: ${describe(kind, slug, source ? `${source.version} (from WordPress ${source.release})` : null, change)}.` });
    }, { background: false });
    const after = items.find((i) => i.id === slug);
    if (!after) throw new EngineError('internal_error', { message: `WordPress does not list the ${SINGULAR[kind]} ${slug} after the change.` });
    return { data: toAddon(after, available) };
  });
}

/** `DELETE /installs/{id}/{kind}/{slug}`: deactivates (plugin uninstall hook runs), then deletes its files. */
export async function uninstallAddon(deps: AppDeps, scope: Scope, id: string, kind: AddonKind, slug: string, opts: Pick<RunOptions, 'dryrun'>): Promise<OperationResult<Addon>> {
  return withTarget(deps, scope, id, kind, async (t) => {
    const available = await availableVersions(deps, t.install, kind);
    const present = SLUG.test(slug) ? (await state(t, kind, 'list')).find((i) => i.id === slug) : undefined;
    if (!present) throw notFound(kind, slug);
    // The entry under the add-on folder: `akismet` for akismet/akismet.php, `hello.php` for a single-file plugin.
    const entry = present.file.split('/')[0]!;
    if (!entry || entry === '.' || entry === '..') throw notFound(kind, slug);
    if (kind === 'themes' && present.activated) {
      throw new EngineError('invalid_argument_slug', { errfield: 'slug', message: `The theme ${slug} is the active theme and cannot be deleted; activate another theme first.` });
    }
    if (opts.dryrun !== 'none') return { data: toAddon(present, available), dryrun: true };
    const { install } = t;
    await deps.runner.run({
      cmd: `installs/${kind}`, user: install.user, installId: id, url: install.url, title: install.title, label: '_tasks_editing',
      payload: { install: id, [SINGULAR[kind]]: slug, uninstall: true }, lockInstall: id,
    }, async () => {
      const items = await state(t, kind, 'remove', { slug });
      await removeEntry(t, entry);
      await syncRecord(deps, id, kind, items.filter((i) => i.id !== slug));
      await deps.logs.write({ user: install.user, cmd: `installs/${kind}`, install: id, url: install.url, title: install.title,
        [`${SINGULAR[kind]}_name`]: slug, message: `${install.title}: uninstalled ${SINGULAR[kind]} ${slug} ${present.version} (its files deleted).` });
    }, { background: false });
    return { data: toAddon({ ...present, activated: false }, available) };
  });
}
