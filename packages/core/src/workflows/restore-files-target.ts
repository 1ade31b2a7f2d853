/**
 * Where a restore puts its files: a folder on this server, or an install folder on a website on another server.
 * The archive is always unpacked and checked on this machine first (every refusal of the archive reader applies
 * before anything reaches the live site); only the staging place, the swap and the driver's host differ.
 *
 * Here, the staging folder lies inside the install folder (one file system: the swap is renames). There, it is a
 * private folder in the system temp folder, and restoreFilesToSite uploads it beside the live files on the website
 * and swaps there (also renames, inside the install folder).
 */
import { isWebServerEntry } from './resolve-target';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { EngineError } from '@installgate/contracts';
import type { SiteFs } from '@installgate/storage';
import { removeSiteTree } from '../archive';
import type { AppHost } from '../drivers/app-driver';
import { siteAppHost } from '../sites/install-host';
import type { InstallSite } from '../sites/install-site';
import { publicHome } from '../sites/site-home';
import { siteFailure } from '../sites/site-failure';
import type { AppDeps } from './app-deps';
import { makeFolder } from './create-folder-step';
import type { RestorePlan } from './restore-plan';
import { restoreFilesToSite } from './restore-site-files';
import { makeSiteFolder } from './site-install-steps';
import { swapFiles, type Swap } from './restore-swap';

/** What the file side of a restore needs of its run. */
export interface FilesRun {
  plan: Pick<RestorePlan, 'dir' | 'url' | 'live' | 'remote'>;
  /** The open website connection of a remote target (withRemoteSite), else null. */
  site: SiteFs | null;
  staged: string;
  names: string[];
  manifest: RestoreRunManifest;
}

type RestoreRunManifest = Parameters<typeof restoreFilesToSite>[2]['manifest'];

export interface Prepared {
  /** Private folder on this machine for the unpacked archive (and its `files/` staging folder). */
  scratch: string;
  /** The topmost folder made for the install ('' when it existed), as the record's `path_created` says it. */
  createdDir: string;
  undo(): Promise<void>;
}

interface FilesTarget {
  prepare(run: FilesRun): Promise<Prepared>;
  swap(run: FilesRun): Promise<Swap>;
  /** The driver's folder and host for configure-app. */
  host(deps: Pick<AppDeps, 'logger'>, run: FilesRun): { dir: string } & AppHost;
}

function remoteOf(run: FilesRun): { site: SiteFs; remote: InstallSite } {
  if (!run.site || !run.plan.remote) throw new EngineError('internal_error', { message: 'no website connection for a restore on another server' });
  return { site: run.site, remote: run.plan.remote };
}

const TARGETS: Record<'local' | 'remote', FilesTarget> = {
  local: {
    async prepare(run) {
      const top = await makeFolder(run.plan.dir);
      const undoTop = async () => { if (top) await fs.promises.rm(top, { recursive: true, force: true }); };
      try {
        const scratch = await fs.promises.mkdtemp(path.join(run.plan.dir, '.ig-restore-'));
        return { scratch, createdDir: top ?? '', undo: async () => { await fs.promises.rm(scratch, { recursive: true, force: true }); await undoTop(); } };
      } catch (e) {
        await undoTop().catch(() => undefined);
        throw e;
      }
    },
    swap: (run) => swapFiles(run.plan.dir, run.staged, run.names, run.plan.live?.files ?? []),
    host: (_deps, run) => ({ dir: run.plan.dir }),
  },
  remote: {
    async prepare(run) {
      const { site, remote } = remoteOf(run);
      // The archive is unpacked here, never on the website: nothing unchecked reaches it.
      const scratch = await fs.promises.mkdtemp(path.join(tmpdir(), 'ig-restore-'));
      try {
        const top = await makeSiteFolder(site, remote.rel);
        return {
          scratch,
          createdDir: top === null ? '' : `${publicHome(remote.home)}/${top}`,
          undo: async () => {
            await fs.promises.rm(scratch, { recursive: true, force: true });
            if (top) await removeSiteTree(site, top).catch((e: unknown) => Promise.reject(siteFailure(e, site)));
          },
        };
      } catch (e) {
        await fs.promises.rm(scratch, { recursive: true, force: true });
        throw e;
      }
    },
    swap(run) {
      const { site, remote } = remoteOf(run);
      return restoreFilesToSite(site, remote.rel, { staged: run.staged, names: run.names, manifest: run.manifest }, { replace: (run.plan.live?.files ?? []).filter((f) => !isWebServerEntry(f)) });
    },
    host(deps, run) {
      const { site, remote } = remoteOf(run);
      return { dir: remote.rel, ...siteAppHost(site, remote.rel, run.plan.url, remote.website.url_ip || undefined, deps.logger) };
    },
  },
};

/** The file side of a restore to `plan`'s target. */
export const filesTargetOf = (run: FilesRun): FilesTarget => TARGETS[run.plan.remote ? 'remote' : 'local'];
