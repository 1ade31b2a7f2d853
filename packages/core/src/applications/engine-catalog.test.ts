import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { openStore } from '../db/connect';
import { createEngine } from '../create-engine';
import { DEFAULT_APPS_DIR, DEFAULT_ENGINE_SETTINGS, DEFAULT_MIRROR_DIR } from '../engine-settings';
import { generateSecretKey } from '../secrets/secret-box';
import { createTempApps, sampleManifest, type TempApps } from './temp-apps';

let t: TempApps;
beforeEach(() => {
  t = createTempApps();
});
afterEach(() => t.close());

describe('engine.catalog', () => {
  it('is built from settings.appsDir / settings.mirrorDir', async () => {
    t.writeManifest(sampleManifest('app', [['1.0.0']]));
    t.addArchive('app', '1.0.0');
    const engine = await createEngine({ db: openStore({ client: 'sqlite3', filename: join(t.root, 's.sqlite') }), settings: { ...DEFAULT_ENGINE_SETTINGS, secretKey: generateSecretKey(), appsDir: t.appsDir, mirrorDir: t.mirrorDir } });
    try {
      expect(engine.catalog.list().map((v) => v.id)).toEqual(['app']);
      expect(engine.settings).toMatchObject({ appsDir: t.appsDir, mirrorDir: t.mirrorDir });
    } finally {
      await engine.close();
    }
  });

  it('defaults to <repo>/apps and <repo>/.cache/app-mirror, so existing callers need no change', async () => {
    expect(DEFAULT_APPS_DIR).toBe(join(__dirname, '..', '..', '..', '..', 'apps'));
    expect(existsSync(join(DEFAULT_APPS_DIR, 'wordpress', 'manifest.json'))).toBe(true);
    const engine = await createEngine({ db: openStore({ client: 'sqlite3', filename: join(t.root, 's.sqlite') }), settings: { ...DEFAULT_ENGINE_SETTINGS, secretKey: generateSecretKey() } });
    try {
      expect(engine.settings).toMatchObject({ appsDir: DEFAULT_APPS_DIR, mirrorDir: DEFAULT_MIRROR_DIR });
      expect(engine.catalog.ids()).toEqual(['testapp-db', 'testapp-static', 'wordpress']);
    } finally {
      await engine.close();
    }
  });

  it('a broken manifest stops the start before the store is touched, naming file and member', async () => {
    const file = t.writeManifest({ ...sampleManifest('app', [['1.0.0']]), db: 'oracle' });
    const db = openStore({ client: 'sqlite3', filename: join(t.root, 's.sqlite') });
    try {
      await expect(createEngine({ db, settings: { ...DEFAULT_ENGINE_SETTINGS, secretKey: generateSecretKey(), appsDir: t.appsDir, mirrorDir: t.mirrorDir } }))
        .rejects.toMatchObject({ errcode: 'invalid_argument_manifest', errfield: 'db', message: expect.stringContaining(`${file}: db: `) });
      expect(await db.schema.hasTable('installs')).toBe(false);
    } finally {
      await db.destroy();
    }
  });

  it('refuses relative directories', async () => {
    const db = openStore({ client: 'sqlite3', filename: join(t.root, 's.sqlite') });
    try {
      await expect(createEngine({ db, settings: { ...DEFAULT_ENGINE_SETTINGS, secretKey: generateSecretKey(), appsDir: 'apps' } })).rejects.toMatchObject({ errcode: 'invalid_argument_settings', errfield: 'appsDir' });
      await expect(createEngine({ db, settings: { ...DEFAULT_ENGINE_SETTINGS, secretKey: generateSecretKey(), mirrorDir: './m' } })).rejects.toMatchObject({ errcode: 'invalid_argument_settings', errfield: 'mirrorDir' });
    } finally {
      await db.destroy();
    }
  });
});
