import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { zApplicationVersion } from '@installgate/contracts';
import { ensureMirror, readMirrorReleases, MIRROR_APPS } from '@installgate/testkit';
import { DEFAULT_APPS_DIR, DEFAULT_MIRROR_DIR } from '../engine-settings';
import { createCatalog, dateToUnix, type Catalog } from './catalog';
import { loadManifests } from './load-manifests';
import { compareVersions } from './versions';

/** The manifests shipped in apps/ against the real mirror (built by scripts/provision/build-app-mirror.sh). */
let mirror: string;
let catalog: Catalog;
beforeAll(async () => {
  mirror = await ensureMirror(DEFAULT_MIRROR_DIR);
  catalog = createCatalog({ appsDir: DEFAULT_APPS_DIR, mirrorDir: mirror });
}, 180_000);

describe('the shipped manifests and the real mirror', () => {
  it('there is one valid manifest per mirrored application', () => {
    expect(loadManifests(DEFAULT_APPS_DIR).map((l) => l.manifest.id)).toEqual([...MIRROR_APPS].sort());
  });

  it.each([...MIRROR_APPS])('%s: the manifest lists exactly the releases of the mirror', (app) => {
    const mirrored = readMirrorReleases(mirror, app).releases.map((r) => r.version).sort(compareVersions);
    const listed = catalog.manifest(app).versions.map((v) => v.version).sort(compareVersions);
    expect(listed).toEqual(mirrored);
    expect(catalog.get(app).map((v) => v.version)).toEqual([...mirrored].reverse());
  });

  it('WordPress requirements agree with each release\'s wp-includes/version.php (releases.json)', () => {
    for (const r of readMirrorReleases(mirror, 'wordpress').releases) {
      const [v] = catalog.get('wordpress', { version: r.version });
      expect([r.version, v!.requirements.php]).toEqual([r.version, `${r.required_php_version}-`]);
      expect([r.version, v!.requirements.mysql]).toEqual([r.version, `${r.required_mysql_version}-`]);
      expect(v!.requirements.mysql_table_prefix).toBe('wp_');
    }
  });

  it('GET /browser: the newest installable version of each application, sorted by id', () => {
    const list = catalog.list();
    for (const v of list) expect(zApplicationVersion.parse(v)).toStrictEqual(v);
    expect(list.map((v) => [v.id, v.version, v.branch, v.install, v.update_type])).toEqual([
      ['testapp-db', '2.0.0', 'current', true, 'major'],
      ['testapp-static', '1.1.0', 'current', true, 'major'],
      ['wordpress', '6.5.5', 'current', true, 'minor'],
    ]);
  });

  it('WordPress versions, release dates and branches', () => {
    expect(catalog.get('wordpress').map((v) => [v.version, v.time, v.branch, v.tags])).toEqual([
      ['6.5.5', dateToUnix('2024-06-24'), 'current', ['security', 'minor']],
      ['6.4.5', dateToUnix('2024-06-24'), 'previous', ['security', 'minor']],
      ['6.3.5', dateToUnix('2024-06-24'), 'legacy', ['security', 'minor']],
      ['6.2.6', dateToUnix('2024-06-24'), 'legacy', ['security', 'minor']],
      ['6.1.9', dateToUnix('2025-09-30'), 'legacy', ['security', 'minor']],
    ]);
    const m = catalog.manifest('wordpress');
    expect(m).toMatchObject({ driver: 'wordpress', link_admin: 'wp-admin', db: 'mysql', default_prefix: 'wp_', minor_components: 2, languages: ['en'] });
    expect(m.fields.map((f) => f.id)).toEqual(['login', 'passwd', 'email', 'sitetitle', 'sitetagline']);
  });

  it('WordPress updates: 6.4.3 → 6.4.5 minor, → 6.5.5 major', () => {
    expect(catalog.updateInfo('wordpress', '6.4.3')).toEqual({ version_available: '6.5.5', version_available_minor: '6.4.5', version_updates_available: 2 });
    expect(catalog.updateInfo('wordpress', '6.1.9')).toEqual({ version_available: '6.5.5', version_available_minor: '', version_updates_available: 4 });
    expect(catalog.updateInfo('wordpress', '6.5.5')).toEqual({ version_available: '', version_available_minor: '', version_updates_available: 0 });
    expect(catalog.get('wordpress', { from_version: '6.4' }).map((v) => [v.version, v.upgrade_from])).toEqual([['6.5.5', 'major'], ['6.4.5', 'minor']]);
    expect(catalog.autoUpdateTarget('wordpress', '6.4.3', 'minor')).toBe('6.4.5');
    expect(catalog.autoUpdateTarget('wordpress', '6.4.3', 'all')).toBe('6.5.5');
  });

  it('testapp-db: 2.0.0 is a manual update, 1.0.1 cannot be installed new', () => {
    expect(catalog.get('testapp-db', { from_version: '1.0.0' }).map((v) => [v.version, v.upgrade_from, v.install])).toEqual([
      ['2.0.0', 'manual', true], ['1.1.0', 'major', true], ['1.0.1', 'minor', false], ['1.0.0', 'none', true],
    ]);
    expect(catalog.versionsAvailableFrom('testapp-db', '1.0.0')).toEqual({ versions_available: ['2.0.0', '1.1.0', '1.0.1'], versions_available_minor: ['1.0.1'] });
    expect(catalog.updateInfo('testapp-db', '1.0.0')).toEqual({ version_available: '2.0.0', version_available_minor: '1.0.1', version_updates_available: 3 });
    expect(catalog.autoUpdateTarget('testapp-db', '1.0.0', 'all')).toBe('1.1.0');
    expect(catalog.autoUpdateTarget('testapp-db', '1.1.0', 'all')).toBeNull();
    expect(catalog.newestInstallable('testapp-db')).toBe('2.0.0');
    expect(catalog.manifest('testapp-db')).toMatchObject({ driver: 'php-installer', db: 'mysql', default_prefix: 'ta_' });
    expect(catalog.manifest('testapp-static')).toMatchObject({ driver: 'static-installer', db: 'none', default_prefix: '', link_admin: '' });
  });

  it.each([['testapp-db', '1.0.0'], ['testapp-static', '1.1.0']])('release(%s, %s) names the real archive with its hash and size', (app, version) => {
    const r = catalog.release(app, version);
    expect(r.archive).toBe(`${mirror}/${app}/${app}-${version}.tar.gz`);
    expect(r.size).toBe(statSync(r.archive).size);
    expect(r.sha256).toBe(createHash('sha256').update(readFileSync(r.archive)).digest('hex'));
  });
});
