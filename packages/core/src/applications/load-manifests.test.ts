import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EngineError } from '@installgate/contracts';
import { createCatalog } from './catalog';
import { loadManifests } from './load-manifests';
import { createTempApps, sampleManifest, type TempApps } from './temp-apps';

let t: TempApps;
beforeEach(() => {
  t = createTempApps();
});
afterEach(() => t.close());

function loadError(): EngineError {
  try {
    loadManifests(t.appsDir);
  } catch (e) {
    expect(e).toBeInstanceOf(EngineError);
    return e as EngineError;
  }
  throw new Error('expected loadManifests to throw');
}

describe('loadManifests', () => {
  it('reads <id>/manifest.json and <id>.manifest.json, fills defaults, sorts by id, ignores other entries', () => {
    t.writeManifest(sampleManifest('zeta', [['1.0.0']]));
    t.writeManifest(sampleManifest('alpha', [['1.0.0']], { db: 'none', default_prefix: undefined, link_admin: undefined, images: undefined }), 'flat');
    mkdirSync(join(t.appsDir, 'alpha', '1.0.0'), { recursive: true }); // a version folder beside a flat manifest
    writeFileSync(join(t.appsDir, 'README.md'), '# apps');
    const loaded = loadManifests(t.appsDir);
    expect(loaded.map((l) => l.manifest.id)).toEqual(['alpha', 'zeta']);
    expect(loaded[0]!.file).toBe(join(t.appsDir, 'alpha.manifest.json'));
    expect(loaded[0]!.manifest).toMatchObject({ default_prefix: '', link_admin: '', images: [] });
  });

  it.each([
    ['a missing member', (m: Record<string, unknown>) => { delete m.category; }, 'category'],
    ['a misspelt member', (m: Record<string, unknown>) => { m.licence = 'x'; }, 'licence'],
    ['a misspelt nested member', (m: Record<string, unknown>) => { (m.versions as Record<string, unknown>[])[1]!.requirement = {}; }, 'versions.1.requirement'],
    ['a bad driver', (m: Record<string, unknown>) => { m.driver = 'joomla'; }, 'driver'],
    ['a bad date', (m: Record<string, unknown>) => { (m.versions as Record<string, unknown>[])[1]!.date = '2024-02-30'; }, 'versions.1.date'],
    ['a bad version', (m: Record<string, unknown>) => { (m.versions as Record<string, unknown>[])[0]!.version = '1.0-beta'; }, 'versions.0.version'],
    ['a bad update mode', (m: Record<string, unknown>) => { (m.versions as Record<string, unknown>[])[0]!.update = 'always'; }, 'versions.0.update'],
    ['a tag that contradicts the version', (m: Record<string, unknown>) => { (m.versions as Record<string, unknown>[])[0]!.tags = ['minor']; }, 'versions.0.tags'],
    ['no minor/major tag', (m: Record<string, unknown>) => { (m.versions as Record<string, unknown>[])[0]!.tags = ['security']; }, 'versions.0.tags'],
    ['a version listed twice', (m: Record<string, unknown>) => { (m.versions as Record<string, unknown>[])[1]!.version = '1.1'; }, 'versions.1.version'],
    ['a select field without options', (m: Record<string, unknown>) => { (m.fields as unknown[]).push({ id: 'c', type: 'select', label: 'C', default: '', required: false }); }, 'fields.2.options'],
    ['a bad field pattern', (m: Record<string, unknown>) => { (m.fields as Record<string, unknown>[])[0]!.pattern = '(['; }, 'fields.0.pattern'],
    ['a database app without a prefix', (m: Record<string, unknown>) => { m.default_prefix = ''; }, 'default_prefix'],
    ['a link that is not a URL', (m: Record<string, unknown>) => { (m.links as Record<string, unknown>).site = 'wordpress.org'; }, 'links.site'],
    ['no versions', (m: Record<string, unknown>) => { m.versions = []; }, 'versions'],
  ])('%s stops the load, naming the file and the member', (_name, breakIt, member) => {
    const m = sampleManifest('app', [['1.1.0'], ['1.0.1']]);
    breakIt(m);
    const file = t.writeManifest(m);
    const e = loadError();
    expect(e.errcode).toBe('invalid_argument_manifest');
    expect(e.errfield).toBe(member);
    expect(e.message).toContain(file);
    expect(e.message).toContain(`: ${member}: `);
  });

  it('unreadable JSON', () => {
    mkdirSync(join(t.appsDir, 'app'));
    writeFileSync(join(t.appsDir, 'app', 'manifest.json'), '{ "id": "app", ');
    expect(loadError()).toMatchObject({ errcode: 'invalid_argument_manifest', errfield: '(file)' });
  });

  it('an id that does not match the place of the file', () => {
    const m = sampleManifest('other', [['1.0.0']]);
    mkdirSync(join(t.appsDir, 'app'));
    writeFileSync(join(t.appsDir, 'app', 'manifest.json'), JSON.stringify(m));
    expect(loadError()).toMatchObject({ errcode: 'invalid_argument_manifest', errfield: 'id' });
  });

  it('one application with both manifest spellings', () => {
    t.writeManifest(sampleManifest('app', [['1.0.0']]));
    t.writeManifest(sampleManifest('app', [['1.0.0']]), 'flat');
    expect(loadError()).toMatchObject({ errcode: 'invalid_argument_manifest', errfield: 'id' });
  });

  it('a missing apps directory is a settings error', () => {
    rmSync(t.appsDir, { recursive: true });
    expect(loadError()).toMatchObject({ errcode: 'invalid_argument_settings', errfield: 'appsDir' });
  });

  it('createCatalog loads at once, so a broken manifest fails before the catalog is used', () => {
    t.writeManifest({ ...sampleManifest('app', [['1.0.0']]), minor_components: 0 });
    expect(() => createCatalog({ appsDir: t.appsDir, mirrorDir: t.mirrorDir })).toThrow(/app\/manifest\.json: minor_components: /);
  });
});
