import { EngineError, type ApplicationVersion } from '@installgate/contracts';
import { SILENT_LOGGER, type Logger } from '../engine-context';
import { loadManifests } from './load-manifests';
import type { Manifest, ManifestVersion } from './manifest-schema';
import { createMirrorReader, versionKey, type MirrorRelease } from './mirror';
import { compareVersions, isMinorUpdate, isVersion } from './versions';

/**
 * The application catalog (GET /browser, GET /browser/{id}, v1 `cmd=browser`): manifests (apps/, data) joined
 * with the release archives of the local mirror. Only versions whose archive is present in the mirror exist for
 * the catalog; an application without any is not listed.
 *
 * Decisions (spec §2.1, §7.1, §8.1; the spec leaves them open):
 * - Order: "listed versions are ordered correctly" [V1] — by version number, component by component (6.10 after
 *   6.9, never as text), **newest first**, in every list (versions, versions_available, versions_available_minor).
 *   The first entry is the version a client gets by default; the order does not change with `from_version`.
 * - `update` / `update_type` of a version are its own, not relative to anything: `update` = the manifest allows
 *   updating to it (`update` ≠ `none`); `update_type` = `none` when it does not, else its release tag (`major` for
 *   a version that opens a new line, e.g. 6.5.0 or 2.0.0, else `minor`). Relative answers are in `upgrade_from`.
 * - `upgrade_from` (with `from_version` F) for version V: `none` when V is not newer than F or its manifest says
 *   `update: none`; `manual` when it says `update: manual` (the owner must ask for it; auto-update never goes
 *   there); else `minor` or `major` by `minor_components`.
 * - Reachable by update from F = newer present versions with `upgrade_from` minor, major or manual (an update the
 *   owner asks for may go to a `manual` version). `versions_available` lists them, `version_available` is the
 *   highest, `version_updates_available` counts them. Reachable by automatic minor update = `upgrade_from` minor:
 *   `versions_available_minor` / `version_available_minor`. The v1 page calls `none`/`manual` "cannot upgrade":
 *   read as "cannot upgrade by itself"; a `manual` target is still listed as available, so that
 *   version_available = versions_available[0] always holds.
 * - `language`: the texts of a manifest are English; a well-formed language code that the application does not
 *   have falls back to English (spec: "website default language, else English"); a malformed one is
 *   invalid_argument_language.
 */

export interface CatalogOptions {
  /** Directory of application manifests (`<id>/manifest.json` or `<id>.manifest.json`). */
  appsDir: string;
  /** The application mirror (`<app>/releases.json` + archives). */
  mirrorDir: string;
  logger?: Logger;
}

export interface BrowserQuery {
  /** Only this version (unknown → invalid_argument_version). */
  version?: string;
  /** Versions from this one upward, each with `upgrade_from` for an install at this version. */
  from_version?: string;
  language?: string;
}

export interface VersionsAvailable {
  versions_available: string[];
  versions_available_minor: string[];
}

export interface UpdateInfo {
  /** Highest version reachable by update (automatic or manual); '' when none. */
  version_available: string;
  /** Highest version reachable by automatic minor update; '' when none. */
  version_available_minor: string;
  /** How many versions an update can reach. */
  version_updates_available: number;
}

export interface ReleaseArchive {
  /** Absolute path of the release archive (tar.gz, one top-level folder). */
  archive: string;
  sha256: string;
  size: number;
  /** The version as the manifest writes it. */
  version: string;
}

export type AutoupPolicy = 'none' | 'minor' | 'all';
export type UpgradeFrom = 'minor' | 'major' | 'manual' | 'none';

export interface Catalog {
  readonly appsDir: string;
  readonly mirrorDir: string;
  /** Ids of every application with a manifest (listed or not), sorted. */
  ids(): string[];
  /** The newest installable version of each application that has one in the mirror, sorted by id. */
  list(opts?: { language?: string }): ApplicationVersion[];
  /**
   * The versions of one application present in the mirror, newest first (see the order decision above).
   * Throws application_not_found (errfield id) for an unknown application or one without any release in the
   * mirror, invalid_argument_version / invalid_argument_from_version / invalid_argument_language.
   */
  get(appId: string, q?: BrowserQuery): ApplicationVersion[];
  /** v1 `versions-available-from`: the versions an install at `from` can be updated to, newest first. */
  versionsAvailableFrom(appId: string, from: string): VersionsAvailable;
  /** The full manifest. Throws application_not_found (errfield id). */
  manifest(appId: string): Manifest;
  /** The archive of a present release. Throws application_not_found, invalid_argument_version. */
  release(appId: string, version: string): ReleaseArchive;
  /** Highest present version that a new install may use. Throws application_not_found when there is none. */
  newestInstallable(appId: string): string;
  /** An install record's `version_available`, `version_available_minor`, `version_updates_available` (spec §7.1). */
  updateInfo(appId: string, fromVersion: string): UpdateInfo;
  /** Where auto-update takes an install at `fromVersion` under `policy` (autoup); null when nowhere. */
  autoUpdateTarget(appId: string, fromVersion: string, policy: AutoupPolicy): string | null;
  /** How an install at `from` may reach `to`: minor, major, manual or none (not newer, or not updatable). */
  upgradeFrom(appId: string, from: string, to: string): UpgradeFrom;
}

/** A manifest version joined with its present archive. */
interface Present {
  v: ManifestVersion;
  release: MirrorRelease;
}

const LANGUAGE = /^[a-z]{2,3}([_-][a-z0-9]{2,4})?$/i;

function notFound(appId: string, why = 'The application was not found.'): EngineError {
  return new EngineError('application_not_found', { errfield: 'id', message: why, details: { application: appId } });
}

/** unix seconds of YYYY-MM-DD at 00:00 UTC. */
export function dateToUnix(date: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d) / 1000;
}

function checkLanguage(language: string | undefined): void {
  if (language !== undefined && !LANGUAGE.test(language)) {
    throw new EngineError('invalid_argument_language', { errfield: 'language', message: 'language must be a translation code such as en or zh_tw.' });
  }
}

function checkVersionParam(v: unknown, field: string): string {
  if (!isVersion(v)) throw new EngineError(`invalid_argument_${field}`, { errfield: field, message: `${field} must be a version such as 6.4.5.` });
  return v;
}

/** Builds the catalog: loads and validates every manifest now (a broken one throws, naming file and member). */
export function createCatalog(opts: CatalogOptions): Catalog {
  const logger = opts.logger ?? SILENT_LOGGER;
  const manifests = new Map<string, Manifest>(loadManifests(opts.appsDir).map((l) => [l.manifest.id, l.manifest]));
  const mirror = createMirrorReader(opts.mirrorDir, logger);

  function manifestOf(appId: string): Manifest {
    const m = typeof appId === 'string' ? manifests.get(appId) : undefined;
    if (!m) throw notFound(String(appId));
    return m;
  }

  /** Present versions of a manifest, newest first. */
  function present(m: Manifest): Present[] {
    const releases = mirror.releases(m.id);
    const out: Present[] = [];
    for (const v of m.versions) {
      const release = releases.get(versionKey(v.version));
      if (release) out.push({ v, release });
    }
    return out.sort((a, b) => compareVersions(b.v.version, a.v.version));
  }

  function upgradeFromOf(m: Manifest, from: string, v: ManifestVersion): UpgradeFrom {
    if (compareVersions(v.version, from) <= 0 || v.update === 'none') return 'none';
    if (v.update === 'manual') return 'manual';
    return isMinorUpdate(from, v.version, m.minor_components) ? 'minor' : 'major';
  }

  function toApplicationVersion(m: Manifest, p: Present, from?: string): ApplicationVersion {
    const links: ApplicationVersion['links'] = {};
    for (const k of ['changelog', 'site', 'demo', 'showcase', 'support', 'docs', 'faq'] as const) {
      const url = m.links[k];
      if (url !== undefined) links[k] = url;
    }
    const out: ApplicationVersion = {
      id: m.id,
      version: p.v.version,
      branch: p.v.branch,
      name: m.name,
      category: m.category,
      type: m.type,
      time: dateToUnix(p.v.date),
      license: m.license,
      tags: [...p.v.tags],
      description: m.description,
      authordescription: m.authordescription,
      changelog: p.v.changelog,
      update: p.v.update !== 'none',
      update_type: p.v.update === 'none' ? 'none' : p.v.tags.includes('major') ? 'major' : 'minor',
      install: p.v.install,
      links,
      requirements: { ...p.v.requirements },
      languages: [...m.languages],
      fields: m.fields.map((f) => ({ ...f, ...(f.options ? { options: [...f.options] } : {}) })),
      images: [...m.images],
    };
    if (from !== undefined) out.upgrade_from = upgradeFromOf(m, from, p.v);
    return out;
  }

  /** Present versions reachable by update from `from`, newest first, with how. */
  function reachable(m: Manifest, from: string): { v: ManifestVersion; how: UpgradeFrom }[] {
    return present(m)
      .map((p) => ({ v: p.v, how: upgradeFromOf(m, from, p.v) }))
      .filter((r) => r.how !== 'none');
  }

  function presentOrThrow(m: Manifest): Present[] {
    const all = present(m);
    if (all.length === 0) throw notFound(m.id, `The application ${m.id} has no release in the application mirror.`);
    return all;
  }

  const catalog: Catalog = {
    appsDir: opts.appsDir,
    mirrorDir: opts.mirrorDir,

    ids: () => [...manifests.keys()].sort(),

    list(o = {}) {
      checkLanguage(o.language);
      const out: ApplicationVersion[] = [];
      for (const id of catalog.ids()) {
        const m = manifests.get(id)!;
        const newest = present(m).find((p) => p.v.install);
        if (newest) out.push(toApplicationVersion(m, newest));
      }
      return out;
    },

    get(appId, q = {}) {
      const m = manifestOf(appId);
      checkLanguage(q.language);
      const version = q.version === undefined ? undefined : checkVersionParam(q.version, 'version');
      const from = q.from_version === undefined ? undefined : checkVersionParam(q.from_version, 'from_version');
      let versions = presentOrThrow(m);
      if (version !== undefined) {
        versions = versions.filter((p) => compareVersions(p.v.version, version) === 0);
        if (versions.length === 0) {
          throw new EngineError('invalid_argument_version', { errfield: 'version', message: `${m.id} has no version ${version} in this catalog.` });
        }
      }
      if (from !== undefined) versions = versions.filter((p) => compareVersions(p.v.version, from) >= 0);
      return versions.map((p) => toApplicationVersion(m, p, from));
    },

    versionsAvailableFrom(appId, fromVersion) {
      const m = manifestOf(appId);
      const from = checkVersionParam(fromVersion, 'versions_available_from');
      presentOrThrow(m);
      const r = reachable(m, from);
      return {
        versions_available: r.map((x) => x.v.version),
        versions_available_minor: r.filter((x) => x.how === 'minor').map((x) => x.v.version),
      };
    },

    manifest: (appId) => manifestOf(appId),

    release(appId, version) {
      const m = manifestOf(appId);
      const v = checkVersionParam(version, 'version');
      const p = present(m).find((x) => compareVersions(x.v.version, v) === 0);
      if (!p) throw new EngineError('invalid_argument_version', { errfield: 'version', message: `${m.id} ${v} is not in the application mirror.` });
      return { archive: p.release.archive, sha256: p.release.sha256, size: p.release.size, version: p.v.version };
    },

    newestInstallable(appId) {
      const m = manifestOf(appId);
      const newest = present(m).find((p) => p.v.install);
      if (!newest) throw notFound(m.id, `The application ${m.id} has no installable release in the application mirror.`);
      return newest.v.version;
    },

    updateInfo(appId, fromVersion) {
      const m = manifestOf(appId);
      const from = checkVersionParam(fromVersion, 'version');
      const r = reachable(m, from);
      return {
        version_available: r[0]?.v.version ?? '',
        version_available_minor: r.find((x) => x.how === 'minor')?.v.version ?? '',
        version_updates_available: r.length,
      };
    },

    autoUpdateTarget(appId, fromVersion, policy) {
      const m = manifestOf(appId);
      const from = checkVersionParam(fromVersion, 'version');
      if (policy === 'none') return null;
      const r = reachable(m, from);
      const target = policy === 'minor' ? r.find((x) => x.how === 'minor') : r.find((x) => x.how === 'minor' || x.how === 'major');
      return target?.v.version ?? null;
    },

    upgradeFrom(appId, from, to) {
      const m = manifestOf(appId);
      const f = checkVersionParam(from, 'from_version');
      const t = checkVersionParam(to, 'version');
      const v = m.versions.find((x) => compareVersions(x.version, t) === 0);
      if (!v || !mirror.releases(m.id).has(versionKey(v.version))) {
        throw new EngineError('invalid_argument_version', { errfield: 'version', message: `${m.id} ${t} is not in the application mirror.` });
      }
      return upgradeFromOf(m, f, v);
    },
  };
  return catalog;
}
