import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compareVersions } from './versions';

/**
 * For tests: an apps directory and a mirror in a temp dir, filled with small manifests and real (tiny) tar.gz
 * release archives laid out as scripts/provision/build-app-mirror.sh lays them out.
 */
export interface TempApps {
  root: string;
  appsDir: string;
  mirrorDir: string;
  /** Writes a manifest: `<apps>/<id>/manifest.json` (folder, default) or `<apps>/<id>.manifest.json` (flat). */
  writeManifest(manifest: Record<string, unknown> & { id: string }, layout?: 'folder' | 'flat'): string;
  /** Packs `<mirror>/<app>/<app>-<version>.tar.gz` (top-level folder `<app>/`) and rewrites releases.json. */
  addArchive(appId: string, version: string): string;
  /** Deletes an archive but leaves releases.json listing it. */
  removeArchiveFile(appId: string, version: string): void;
  close(): void;
}

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

export function createTempApps(): TempApps {
  const root = mkdtempSync(join(tmpdir(), 'installgate-apps-'));
  const appsDir = join(root, 'apps');
  const mirrorDir = join(root, 'mirror');
  mkdirSync(appsDir);
  mkdirSync(mirrorDir);

  function writeReleases(appId: string): void {
    const dir = join(mirrorDir, appId);
    const releases = readdirSync(dir)
      .filter((f) => f.endsWith('.tar.gz'))
      .map((f) => ({ version: f.slice(appId.length + 1, -'.tar.gz'.length), archive: f, sha256: sha256(join(dir, f)), size: statSync(join(dir, f)).size, source: 'test' }))
      .sort((a, b) => compareVersions(a.version, b.version));
    writeFileSync(join(dir, 'releases.json'), JSON.stringify({ app: appId, generated_by: 'temp-apps', releases }, null, 2));
  }

  return {
    root,
    appsDir,
    mirrorDir,
    writeManifest(manifest, layout = 'folder') {
      const file = layout === 'folder' ? join(appsDir, manifest.id, 'manifest.json') : join(appsDir, `${manifest.id}.manifest.json`);
      if (layout === 'folder') mkdirSync(join(appsDir, manifest.id), { recursive: true });
      writeFileSync(file, JSON.stringify(manifest, null, 2));
      return file;
    },
    addArchive(appId, version) {
      const src = join(root, 'src', `${appId}-${version}`);
      mkdirSync(join(src, appId), { recursive: true });
      writeFileSync(join(src, appId, 'VERSION'), `${version}\n`);
      writeFileSync(join(src, appId, 'index.php'), `<?php echo '${appId} ${version}';\n`);
      mkdirSync(join(mirrorDir, appId), { recursive: true });
      const archive = join(mirrorDir, appId, `${appId}-${version}.tar.gz`);
      execFileSync('tar', ['-C', src, '-czf', archive, appId]);
      writeReleases(appId);
      return archive;
    },
    removeArchiveFile(appId, version) {
      rmSync(join(mirrorDir, appId, `${appId}-${version}.tar.gz`));
    },
    close() {
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** A valid manifest for tests; `versions` as [version, overrides] pairs. */
export function sampleManifest(
  id: string,
  versions: [string, Record<string, unknown>?][],
  overrides: Record<string, unknown> = {},
): Record<string, unknown> & { id: string } {
  return {
    id,
    name: `App ${id}`,
    category: 'Content Management',
    type: 'blog',
    license: 'open source',
    description: `${id} in one line.`,
    authordescription: `${id} at length.`,
    links: { site: `https://${id}.example/`, docs: `https://${id}.example/docs`, support: `https://${id}.example/support`, changelog: `https://${id}.example/changes` },
    languages: ['en'],
    driver: 'php-installer',
    link_admin: 'admin',
    db: 'mysql',
    default_prefix: 'ap_',
    minor_components: 2,
    fields: [
      { id: 'login', type: 'text', label: 'Username', default: '', required: false, pattern: '^[a-z]+$' },
      { id: 'sitetitle', type: 'text', label: 'Title', default: 'My site', required: true },
    ],
    versions: versions.map(([version, o = {}], i) => ({
      version,
      branch: i === 0 ? 'current' : 'legacy',
      date: '2024-06-24',
      tags: [/^\d+\.\d+(\.0)*$/.test(version) ? 'major' : 'minor'],
      changelog: `Release ${version}.`,
      requirements: { php: '7.4-', mysql: '5.5-', diskspace: '1M', mysql_table_prefix: 'ap_' },
      install: true,
      update: 'auto',
      ...o,
    })),
    ...overrides,
  };
}
