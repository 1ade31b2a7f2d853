import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { BundledAddons } from '../drivers/app-driver';
import type { AppDeps } from './app-deps';

/**
 * The plugins and themes a release bundles (WordPress: its default themes, Akismet, Hello Dolly), for the autoup
 * job to decide whether an install's add-ons lag behind its release without starting an update task. Reading them
 * means unpacking the release, so each archive (by content: path and checksum) is read once per process.
 */
const known = new Map<string, Promise<BundledAddons>>();

/** The add-ons release `version` of `appId` bundles; empty lists for an application without add-ons. */
export function bundledAddonsOf(deps: AppDeps, appId: string, version: string): Promise<BundledAddons> {
  const support = deps.runtime.driverFor(deps.catalog.manifest(appId).driver).update;
  const read = support?.bundledAddons;
  if (!support?.addonDirs || !read) return Promise.resolve({ plugins: [], themes: [] });
  const release = deps.catalog.release(appId, version);
  const key = `${release.archive}\0${release.sha256}`;
  let entry = known.get(key);
  if (!entry) {
    entry = (async () => {
      const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'ig-bundled-'));
      try {
        await deps.runtime.extractRelease(release.archive, dir, { stripTopFolder: true });
        return await read(dir);
      } finally {
        await fs.promises.rm(dir, { recursive: true, force: true });
      }
    })();
    // A failed read (archive missing for a moment) is not remembered: the next pass reads again.
    entry.catch(() => known.delete(key));
    known.set(key, entry);
  }
  return entry;
}
