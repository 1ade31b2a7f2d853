import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { zApplicationVersion, type ApplicationVersion } from '@installgate/contracts';
import { createCatalog, dateToUnix, type Catalog } from './catalog';
import { createTempApps, sampleManifest, type TempApps } from './temp-apps';

/**
 * A catalog over a temp apps dir + mirror. `blog`: 1.0.0 … 2.1.0 with one manual and one not-updatable version and
 * one version that new installs may not use; `site` (flat layout, no database); `ghost`: manifest, no archive.
 */
let t: TempApps;
let catalog: Catalog;
const warnings: string[] = [];

const BLOG_VERSIONS: [string, Record<string, unknown>?][] = [
  ['2.1.0', { update: 'none', tags: ['major'] }],
  ['2.0.0', { update: 'manual' }],
  ['1.2.0'],
  ['1.1.2', { tags: ['security', 'minor'], install: false, date: '2024-02-29' }],
  ['1.1.1'],
  ['1.1.0'],
  ['1.0.0'],
  ['0.9.0'], // in the manifest, not in the mirror
];

function expectValid(list: ApplicationVersion[]): void {
  for (const v of list) expect(zApplicationVersion.safeParse(v)).toMatchObject({ success: true });
}

async function errorOf(f: () => unknown): Promise<Record<string, unknown>> {
  try {
    f();
  } catch (e) {
    return { errcode: (e as { errcode?: string }).errcode, errfield: (e as { errfield?: string }).errfield };
  }
  throw new Error('expected an error');
}

beforeAll(() => {
  t = createTempApps();
  t.writeManifest(sampleManifest('blog', BLOG_VERSIONS, { images: ['https://blog.example/shot.png'], links: { site: 'https://blog.example/', docs: 'https://blog.example/d', support: 'https://blog.example/s', changelog: 'https://blog.example/c', faq: 'https://blog.example/faq' } }));
  for (const [v] of BLOG_VERSIONS.slice(0, -1)) t.addArchive('blog', v);
  t.writeManifest(sampleManifest('site', [['1.1.0'], ['1.0.0']], { db: 'none', default_prefix: '', driver: 'static-installer', link_admin: '' }), 'flat');
  t.addArchive('site', '1.0.0');
  t.addArchive('site', '1.1.0');
  t.writeManifest(sampleManifest('ghost', [['1.0.0']]));
  writeFileSync(join(t.appsDir, 'README.md'), 'not a manifest');
  catalog = createCatalog({ appsDir: t.appsDir, mirrorDir: t.mirrorDir, logger: { info() {}, warn: (m) => warnings.push(m), error() {} } });
});
afterAll(() => t.close());

describe('catalog.list', () => {
  it('lists the newest installable version of each application with an archive, sorted by id', () => {
    const list = catalog.list();
    expectValid(list);
    expect(list.map((v) => [v.id, v.version])).toEqual([['blog', '2.1.0'], ['site', '1.1.0']]);
  });

  it('skips versions new installs may not use', () => {
    const t2 = createTempApps();
    try {
      t2.writeManifest(sampleManifest('x', [['1.1.0', { install: false }], ['1.0.0']]));
      t2.addArchive('x', '1.0.0');
      t2.addArchive('x', '1.1.0');
      const c = createCatalog({ appsDir: t2.appsDir, mirrorDir: t2.mirrorDir });
      expect(c.list().map((v) => v.version)).toEqual(['1.0.0']);
      expect(c.newestInstallable('x')).toBe('1.0.0');
    } finally {
      t2.close();
    }
  });

  it('checks the language code; an unknown but well-formed one falls back to English', async () => {
    expect(catalog.list({ language: 'zh_tw' })).toEqual(catalog.list());
    expect(await errorOf(() => catalog.list({ language: '../x' }))).toEqual({ errcode: 'invalid_argument_language', errfield: 'language' });
  });
});

describe('catalog.get', () => {
  it('returns every version present in the mirror, newest first, as ApplicationVersion records', () => {
    const list = catalog.get('blog');
    expectValid(list);
    expect(list.map((v) => v.version)).toEqual(['2.1.0', '2.0.0', '1.2.0', '1.1.2', '1.1.1', '1.1.0', '1.0.0']);
  });

  it('builds each record from the manifest', () => {
    const [v] = catalog.get('blog', { version: '1.1.2' });
    expect(v).toStrictEqual({
      id: 'blog', version: '1.1.2', branch: 'legacy', name: 'App blog', category: 'Content Management', type: 'blog',
      time: Date.UTC(2024, 1, 29) / 1000, license: 'open source', tags: ['security', 'minor'], description: 'blog in one line.',
      authordescription: 'blog at length.', changelog: 'Release 1.1.2.', update: true, update_type: 'minor', install: false,
      links: { changelog: 'https://blog.example/c', site: 'https://blog.example/', support: 'https://blog.example/s', docs: 'https://blog.example/d', faq: 'https://blog.example/faq' },
      requirements: { php: '7.4-', mysql: '5.5-', diskspace: '1M', mysql_table_prefix: 'ap_' }, languages: ['en'],
      fields: [
        { id: 'login', type: 'text', label: 'Username', default: '', required: false, pattern: '^[a-z]+$' },
        { id: 'sitetitle', type: 'text', label: 'Title', default: 'My site', required: true },
      ],
      images: ['https://blog.example/shot.png'],
    });
    expect(v!.time).toBe(dateToUnix('2024-02-29'));
  });

  it('update/update_type are the version\'s own: its tag, or none when it cannot be updated to', () => {
    const byVersion = Object.fromEntries(catalog.get('blog').map((v) => [v.version, [v.update, v.update_type]]));
    expect(byVersion).toEqual({
      '2.1.0': [false, 'none'], '2.0.0': [true, 'major'], '1.2.0': [true, 'major'], '1.1.2': [true, 'minor'],
      '1.1.1': [true, 'minor'], '1.1.0': [true, 'major'], '1.0.0': [true, 'major'],
    });
  });

  it('version picks one (6.5 = 6.5.0); an unknown or malformed one is invalid_argument_version', async () => {
    expect(catalog.get('blog', { version: '1.2' }).map((v) => v.version)).toEqual(['1.2.0']);
    expect(await errorOf(() => catalog.get('blog', { version: '0.9.0' }))).toEqual({ errcode: 'invalid_argument_version', errfield: 'version' });
    expect(await errorOf(() => catalog.get('blog', { version: '9.9.9' }))).toEqual({ errcode: 'invalid_argument_version', errfield: 'version' });
    expect(await errorOf(() => catalog.get('blog', { version: 'latest' }))).toEqual({ errcode: 'invalid_argument_version', errfield: 'version' });
  });

  it('from_version lists versions from it upward with upgrade_from for an install at that version', () => {
    const list = catalog.get('blog', { from_version: '1.1.1' });
    expectValid(list);
    expect(list.map((v) => [v.version, v.upgrade_from])).toEqual([
      ['2.1.0', 'none'], ['2.0.0', 'manual'], ['1.2.0', 'major'], ['1.1.2', 'minor'], ['1.1.1', 'none'],
    ]);
    // Not a release itself: any well-formed version.
    expect(catalog.get('blog', { from_version: '1.1' }).map((v) => [v.version, v.upgrade_from]).slice(-3)).toEqual([['1.1.2', 'minor'], ['1.1.1', 'minor'], ['1.1.0', 'none']]);
    expect(catalog.get('blog', { from_version: '9' })).toEqual([]);
    expect(catalog.get('blog').every((v) => !('upgrade_from' in v))).toBe(true);
  });

  it('version and from_version together: that version with its upgrade_from', () => {
    expect(catalog.get('blog', { version: '1.2.0', from_version: '1.0.0' }).map((v) => v.upgrade_from)).toEqual(['major']);
  });

  it('a malformed from_version is invalid_argument_from_version', async () => {
    expect(await errorOf(() => catalog.get('blog', { from_version: 'x' }))).toEqual({ errcode: 'invalid_argument_from_version', errfield: 'from_version' });
  });

  it('unknown application, or one without any release in the mirror: application_not_found (errfield id)', async () => {
    expect(await errorOf(() => catalog.get('nope'))).toEqual({ errcode: 'application_not_found', errfield: 'id' });
    expect(await errorOf(() => catalog.get('ghost'))).toEqual({ errcode: 'application_not_found', errfield: 'id' });
    expect(await errorOf(() => catalog.get('__proto__'))).toEqual({ errcode: 'application_not_found', errfield: 'id' });
    expect(catalog.manifest('ghost').id).toBe('ghost');
    expect(catalog.ids()).toEqual(['blog', 'ghost', 'site']);
  });
});

describe('updates', () => {
  it('versionsAvailableFrom: versions an update reaches (newest first) and those an automatic minor update reaches', () => {
    expect(catalog.versionsAvailableFrom('blog', '1.1.0')).toEqual({
      versions_available: ['2.0.0', '1.2.0', '1.1.2', '1.1.1'],
      versions_available_minor: ['1.1.2', '1.1.1'],
    });
    expect(catalog.versionsAvailableFrom('blog', '2.1.0')).toEqual({ versions_available: [], versions_available_minor: [] });
  });

  it('updateInfo: spec §7.1 members, consistent with versionsAvailableFrom', () => {
    expect(catalog.updateInfo('blog', '1.1.0')).toEqual({ version_available: '2.0.0', version_available_minor: '1.1.2', version_updates_available: 4 });
    expect(catalog.updateInfo('blog', '1.2.0')).toEqual({ version_available: '2.0.0', version_available_minor: '', version_updates_available: 1 });
    expect(catalog.updateInfo('blog', '2.0.0')).toEqual({ version_available: '', version_available_minor: '', version_updates_available: 0 });
    expect(catalog.updateInfo('site', '1.0.0')).toEqual({ version_available: '1.1.0', version_available_minor: '', version_updates_available: 1 });
  });

  it('autoUpdateTarget follows the policy and never goes to a manual or not-updatable version', () => {
    expect(catalog.autoUpdateTarget('blog', '1.1.0', 'none')).toBeNull();
    expect(catalog.autoUpdateTarget('blog', '1.1.0', 'minor')).toBe('1.1.2');
    expect(catalog.autoUpdateTarget('blog', '1.1.0', 'all')).toBe('1.2.0');
    expect(catalog.autoUpdateTarget('blog', '1.2.0', 'minor')).toBeNull();
    expect(catalog.autoUpdateTarget('blog', '1.2.0', 'all')).toBeNull();
  });

  it('upgradeFrom answers for one pair', async () => {
    expect(catalog.upgradeFrom('blog', '1.1.0', '1.1.2')).toBe('minor');
    expect(catalog.upgradeFrom('blog', '1.1.0', '2.0.0')).toBe('manual');
    expect(catalog.upgradeFrom('blog', '1.2.0', '1.1.0')).toBe('none');
    expect(await errorOf(() => catalog.upgradeFrom('blog', '1.0.0', '0.9.0'))).toEqual({ errcode: 'invalid_argument_version', errfield: 'version' });
  });
});

describe('releases', () => {
  it('release(): the absolute archive path, sha256 and size from releases.json', () => {
    const r = catalog.release('blog', '1.1.1');
    expect(r).toEqual({ archive: join(t.mirrorDir, 'blog', 'blog-1.1.1.tar.gz'), sha256: expect.stringMatching(/^[0-9a-f]{64}$/), size: expect.any(Number), version: '1.1.1' });
  });

  it('release() of a version not in the mirror, or of an unknown application', async () => {
    expect(await errorOf(() => catalog.release('blog', '0.9.0'))).toEqual({ errcode: 'invalid_argument_version', errfield: 'version' });
    expect(await errorOf(() => catalog.release('blog', '1..0'))).toEqual({ errcode: 'invalid_argument_version', errfield: 'version' });
    expect(await errorOf(() => catalog.release('nope', '1.0.0'))).toEqual({ errcode: 'application_not_found', errfield: 'id' });
    expect(await errorOf(() => catalog.newestInstallable('ghost'))).toEqual({ errcode: 'application_not_found', errfield: 'id' });
  });

  it('sees the mirror change while running: a new archive appears, a deleted or truncated one disappears', () => {
    const t2 = createTempApps();
    try {
      t2.writeManifest(sampleManifest('x', [['1.0.1'], ['1.0.0']]));
      const c = createCatalog({ appsDir: t2.appsDir, mirrorDir: t2.mirrorDir });
      expect(c.list()).toEqual([]);
      t2.addArchive('x', '1.0.0');
      expect(c.get('x').map((v) => v.version)).toEqual(['1.0.0']);
      const archive = t2.addArchive('x', '1.0.1');
      expect(c.get('x').map((v) => v.version)).toEqual(['1.0.1', '1.0.0']);
      writeFileSync(archive, 'truncated');
      expect(c.get('x').map((v) => v.version)).toEqual(['1.0.0']);
      t2.removeArchiveFile('x', '1.0.0');
      expect(c.list()).toEqual([]);
    } finally {
      t2.close();
    }
  });

  it('a broken releases.json hides that application only, with a warning', () => {
    const t2 = createTempApps();
    const seen: string[] = [];
    try {
      t2.writeManifest(sampleManifest('x', [['1.0.0']]));
      t2.writeManifest(sampleManifest('y', [['1.0.0']]));
      t2.addArchive('x', '1.0.0');
      t2.addArchive('y', '1.0.0');
      writeFileSync(join(t2.mirrorDir, 'x', 'releases.json'), '{"releases":[{"version":"1.0.0","archive":"../../etc/passwd","sha256":"00","size":1}]}');
      const c = createCatalog({ appsDir: t2.appsDir, mirrorDir: t2.mirrorDir, logger: { info() {}, warn: (m) => seen.push(m), error() {} } });
      expect(c.list().map((v) => v.id)).toEqual(['y']);
      expect(seen).toHaveLength(1);
    } finally {
      t2.close();
    }
  });

  it('a missing mirror directory means no releases, not an error', () => {
    const c = createCatalog({ appsDir: t.appsDir, mirrorDir: join(t.root, 'no-mirror') });
    expect(c.list()).toEqual([]);
    expect(warnings).toEqual([]);
  });
});
