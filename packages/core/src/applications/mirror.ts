import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Logger } from '../engine-context';
import { isVersion } from './versions';

/**
 * The local application mirror (scripts/provision/build-app-mirror.sh): `<mirror>/<app>/<app>-<version>.tar.gz`
 * and `<mirror>/<app>/releases.json` listing version, archive, sha256 and size of each. A release is *present*
 * when releases.json lists it and its archive exists with the listed size (the build writes archives under a
 * temporary name and renames them, so a present archive is complete).
 */

const zRelease = z.object({
  version: z.string().refine(isVersion),
  // A plain file name inside the app's folder: never a path out of it.
  archive: z.string().regex(/^[A-Za-z0-9._-]+\.tar\.gz$/).refine((s) => s !== '..' && !s.startsWith('.')),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  size: z.number().int().min(0),
}).passthrough();

const zReleases = z.object({ releases: z.array(zRelease) }).passthrough();

export interface MirrorRelease {
  version: string;
  /** Absolute path of the archive. */
  archive: string;
  sha256: string;
  size: number;
}

/** 6.5, 6.5.0 and 6.5.0.0 are one version. */
export function versionKey(v: string): string {
  return v.replace(/(\.0)+$/, '');
}

export interface MirrorReader {
  readonly dir: string;
  /** The present releases of an app, by versionKey. Empty when the app has no folder or releases.json. */
  releases(appId: string): Map<string, MirrorRelease>;
}

/**
 * Reads releases.json again only when it changed (mtime/size), so that a mirror built or rebuilt while the engine
 * runs is seen without a restart; archive presence is checked on every call (one stat per release).
 */
export function createMirrorReader(dir: string, logger: Logger): MirrorReader {
  const cache = new Map<string, { stamp: string; releases: MirrorRelease[] }>();

  function listed(appId: string): MirrorRelease[] {
    const file = join(dir, appId, 'releases.json');
    const st = statSync(file, { throwIfNoEntry: false });
    if (!st || !st.isFile()) {
      cache.delete(appId);
      return [];
    }
    const stamp = `${st.mtimeMs}:${st.size}`;
    const hit = cache.get(appId);
    if (hit && hit.stamp === stamp) return hit.releases;
    let releases: MirrorRelease[] = [];
    try {
      const parsed = zReleases.parse(JSON.parse(readFileSync(file, 'utf8')));
      releases = parsed.releases.map((r) => ({ version: r.version, archive: join(dir, appId, r.archive), sha256: r.sha256, size: r.size }));
    } catch (e) {
      // One broken releases.json hides that app's releases, not the whole catalog; the operator sees why.
      logger.warn('application mirror: releases.json is not valid; its releases are ignored', { file, error: (e as Error).message.slice(0, 300) });
    }
    cache.set(appId, { stamp, releases });
    return releases;
  }

  return {
    dir,
    releases(appId) {
      const out = new Map<string, MirrorRelease>();
      for (const r of listed(appId)) {
        const st = statSync(r.archive, { throwIfNoEntry: false });
        if (st && st.isFile() && st.size === r.size) out.set(versionKey(r.version), r);
      }
      return out;
    },
  };
}
