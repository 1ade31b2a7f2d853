/**
 * The file steps of an install on a website on another server (its home is an sftp://, ssh://, ftp:// or ftps://
 * URI): the folder is made and filled through the website's SiteFs, and the app's PHP runs there over HTTP. The
 * release is unpacked on this machine first (the fast, checked extraction every install uses) and then uploaded,
 * streaming, a few files at a time.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { EngineError } from '@installgate/contracts';
import { uploadTree, type SiteFs } from '@installgate/storage';
import { removeSiteTree } from '../archive';
import type { AppHost } from '../drivers/app-driver';
import { siteAppHost } from '../sites/install-host';
import { publicHome } from '../sites/site-home';
import { siteFailure } from '../sites/site-failure';
import type { Step } from '../tasks/run-workflow';
import type { AppDeps } from './app-deps';
import { isWebServerEntry, type RemoteTarget } from './resolve-target';

/** What the site steps need of a run: the open connection and where the install goes. */
export interface SiteRun {
  plan: { id: string; req: { url: string; url_ip?: string }; target: { remote: RemoteTarget | null; resolved: { website: { url_ip: string } } } };
  site: SiteFs | null;
}

/** The run's open website connection and folder; only called for remote targets. */
export function siteOf(run: SiteRun): { site: SiteFs; rel: string } {
  if (!run.site || !run.plan.target.remote) throw new EngineError('internal_error', { message: 'no website connection for a remote install' });
  return { site: run.site, rel: run.plan.target.remote.rel };
}

/** The app's files and PHP on the website, for the driver (`url_ip` of the call, else the website's). */
export function siteHost(deps: Pick<AppDeps, 'logger'>, run: SiteRun): AppHost {
  const { site, rel } = siteOf(run);
  return siteAppHost(site, rel, run.plan.req.url, run.plan.req.url_ip || run.plan.target.resolved.website.url_ip, deps.logger);
}

/** The names in the install folder, but for login helpers the driver places for a moment. */
export async function siteEntries(run: SiteRun): Promise<string[]> {
  const { site, rel } = siteOf(run);
  const list = await site.list(rel).catch((e: unknown) => Promise.reject(siteFailure(e, site)));
  return list.map((e) => e.name).filter((n) => !n.startsWith('installgate-'));
}

/** Makes `rel` and its missing parents on the website; answers the topmost folder made, or null when it existed. */
export async function makeSiteFolder(site: SiteFs, rel: string): Promise<string | null> {
  const parts = rel === '' ? [] : rel.split('/');
  let top: string | null = null;
  try {
    for (let i = 1; i <= parts.length; i++) {
      const p = parts.slice(0, i).join('/');
      if (await site.stat(p)) continue;
      await site.mkdir(p, { mode: 0o755 });
      top ??= p;
    }
  } catch (e) {
    if (top) await removeSiteTree(site, top).catch(() => undefined);
    throw siteFailure(e, site);
  }
  return top;
}

/** `create-folder` on the website: makes the folder and its missing parents; undo removes the topmost one made. */
export function createSiteFolderStep<C extends SiteRun>(deps: AppDeps): Step<C> {
  return {
    name: 'create-folder', message: '_tasks_shared_preparing', percent: [5, 10],
    async run(run) {
      const { site, rel } = siteOf(run);
      const top = await makeSiteFolder(site, rel);
      if (top === null) return;
      const made = top;
      await deps.resources.record(run.plan.id, { created_path: `${publicHome(run.plan.target.remote!.home)}/${made}` });
      return async () => { await removeSiteTree(site, made); };
    },
  };
}

/**
 * `copy-files` on the website: unpacks the release into a private folder on this machine, then uploads it into the
 * (empty) install folder. Undo, and a failure half-way, remove everything the upload put there.
 */
export async function uploadRelease(deps: AppDeps, run: SiteRun, archive: string, signal?: AbortSignal): Promise<{ entries: string[]; undo: () => Promise<void> }> {
  const { site, rel } = siteOf(run);
  const staging = await mkdtemp(join(tmpdir(), 'installgate-release-'));
  const clean = async () => {
    // The folder held nothing but web-server entries (cgi-bin, .well-known) before: those stay.
    for (const e of await site.list(rel).catch(() => [])) if (!isWebServerEntry(e.name)) await removeSiteTree(site, posix.join(rel, e.name));
  };
  try {
    const { entries } = await deps.runtime.extractRelease(archive, staging, { stripTopFolder: true });
    await uploadTree(staging, site, rel, { parallel: 8, signal });
    return { entries, undo: clean };
  } catch (e) {
    await clean().catch(() => undefined);
    throw siteFailure(e, site);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
