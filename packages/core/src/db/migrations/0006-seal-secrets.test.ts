import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Knex } from 'knex';
import { ADMIN_SCOPE } from '../../access/actor';
import { createEngine } from '../../create-engine';
import { DEFAULT_ENGINE_SETTINGS } from '../../engine-settings';
import { createSecretBox, generateSecretKey } from '../../secrets/secret-box';
import { makeBackupRecord, makeInstallRecord } from '../../testing/fixtures';
import type { Install } from '@installgate/contracts';
import { openStore } from '../connect';
import { MIGRATIONS, migrationSource } from './index';

const TABLE = 'installgate_migrations';
const REMOTE_HOME = 'ftp://a%40b:p%3Aa%2Fss%25word%40@ftp.example/home/alice';
const LOCATION = 's3://AKIA:Secret%2FKey@s3.example/eu/bucket/p';

/** The key columns of an install-shaped row, as the repositories wrote them. */
const installColumns = (r: Install) => ({
  id: r.id, user: r.user, application: r.application, url: r.url, url_domain: r.url_domain, title: r.title, version: r.version,
  version_available: '', version_available_minor: '', version_updates_available: 0, time_created: r.time_created, record: JSON.stringify(r),
});

/** A store at migration 0005 holding plain secrets, as the release before encryption left it. */
async function legacyStore(db: Knex): Promise<void> {
  const source = migrationSource({ secrets: createSecretBox(generateSecretKey()) });
  for (let i = 0; i < 5; i++) await db.migrate.up({ migrationSource: source, tableName: TABLE });
  await db('users').insert({ id: 'alice', parent: 'admin', type: 'user', suspended: false, locale: '', email: '', package: '', created_at: 1, updated_at: 1 });
  const website = {
    id: 'w1', label: 'remote', path: REMOTE_HOME, server: '', email: '', vhosts: { 'alice.example': 'public_html' },
    databases: [{ type: 'mysql', host: 'localhost', user: 'alice', name: 'alice_db', pass: 'LegacyDbPass' }],
    parent: 'admin', url_ip: '', path_backups: '/application_backups/', mysql_host: 'localhost', language: '', suspended: false,
  };
  await db('websites').insert({ user_id: 'alice', id: 'w1', position: 0, label: 'remote', record: JSON.stringify(website) });
  const install = makeInstallRecord({ id: 'install1', user: 'alice', db_pass: 'LegacyInstallPass' });
  const backup = makeBackupRecord({ id: 'backup1', user: 'alice', db_pass: 'LegacyInstallPass' });
  await db('installs').insert(installColumns(install));
  await db('backups').insert({ ...installColumns(backup), backup_install: 'install1', backup_time: 1, backup_expires: 0, backup_filename: 'f.tar.gz', backup_note: '' });
  await db('backup_locations').insert({ id: 'loc1', user: '', name: 'S3', description: '', uri: LOCATION, scope: 'admin', enabled: true, is_default: false, created_at: 1 });
  await db('backup_objects').insert([
    { backup_id: 'backup1', location_ref: LOCATION, local_root: '', object_key: 'f.tar.gz', size: 1, sha256: '' },
    { backup_id: 'backup2', location_ref: 'local', local_root: '/home/alice/application_backups', object_key: 'g.tar.gz', size: 1, sha256: '' },
  ]);
}

/** Every stored text of the tables holding secrets, as an operator with the file would read them. */
async function rawText(db: Knex): Promise<string> {
  const tables = ['websites', 'installs', 'backups', 'backup_locations', 'backup_objects'];
  return JSON.stringify(await Promise.all(tables.map((t) => db(t).select('*'))));
}

const PLAINTEXTS = /LegacyDbPass|LegacyInstallPass|p%3Aa%2Fss%25word%40|Secret%2FKey|ftp\.example|s3\.example/;

describe('migration 0006: secrets encrypted at rest', () => {
  let dir: string;
  let filename: string;
  /** Runs `fn` on a connection of its own to the store file (what an operator with the file would see). */
  async function withStore<T>(fn: (db: Knex) => Promise<T>): Promise<T> {
    const db = openStore({ client: 'sqlite3', filename });
    try {
      return await fn(db);
    } finally {
      await db.destroy();
    }
  }

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'installgate-0006-'));
    filename = join(dir, 's.sqlite');
    await withStore(async (db) => {
      await legacyStore(db);
      expect(await rawText(db)).toMatch(PLAINTEXTS);
    });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const start = (secretKey: Buffer) => createEngine({ db: openStore({ client: 'sqlite3', filename }), settings: { ...DEFAULT_ENGINE_SETTINGS, secretKey } });

  it('seals the plain legacy rows in place, and the engine reads back exactly the old values', async () => {
    const engine = await start(generateSecretKey());
    try {
      const [website] = (await engine.users.get(ADMIN_SCOPE, 'alice')).websites;
      expect(website.path).toBe(REMOTE_HOME);
      expect(website.databases[0].pass).toBe('LegacyDbPass');
      expect((await engine.installs.get(ADMIN_SCOPE, 'install1')).db_pass).toBe('LegacyInstallPass');
      expect((await engine.backups.get(ADMIN_SCOPE, 'backup1')).db_pass).toBe('LegacyInstallPass');
      expect((await engine.locations.get('loc1', { withSecrets: true })).uri).toBe(LOCATION);
    } finally {
      await engine.close();
    }
    await withStore(async (db) => {
      expect(await rawText(db)).not.toMatch(PLAINTEXTS);
      // Only what can hold a credential is sealed: `local` and the account folder stay readable.
      expect(await db('backup_objects').where({ backup_id: 'backup2' }).first('location_ref', 'local_root')).toEqual({ location_ref: 'local', local_root: '/home/alice/application_backups' });
      expect((await db(TABLE).pluck('name')).at(-1)).toBe(MIGRATIONS.at(-1)?.name);
    });
  });

  it('still reads a plain row written after the migration (an older node sharing the store)', async () => {
    const key = generateSecretKey();
    await (await start(key)).close();
    await withStore((db) => db('installs').insert(installColumns(makeInstallRecord({ id: 'install2', user: 'alice', db_pass: 'WrittenByOldNode' }))));
    const engine = await start(key);
    try {
      expect((await engine.installs.get(ADMIN_SCOPE, 'install2')).db_pass).toBe('WrittenByOldNode');
    } finally {
      await engine.close();
    }
  });

  it('refuses to start with another key once the store is sealed (never re-keys, never reads garbage)', async () => {
    await (await start(generateSecretKey())).close();
    // A refused start leaves the store with its caller (createEngine owns it only once it exists).
    await withStore((db) => expect(createEngine({ db, settings: { ...DEFAULT_ENGINE_SETTINGS, secretKey: generateSecretKey() } }))
      .rejects.toMatchObject({ errcode: 'invalid_argument_settings', errfield: 'secretKey', message: expect.stringMatching(/secret_key is not the key/) }));
  });

  it('down opens every value again for the previous release', async () => {
    const key = generateSecretKey();
    await (await start(key)).close();
    await withStore(async (db) => {
      await db.migrate.down({ migrationSource: migrationSource({ secrets: createSecretBox(key) }), tableName: TABLE });
      expect(await rawText(db)).toMatch(/LegacyDbPass/);
      expect(await rawText(db)).not.toContain('igenc:');
      expect(await db.schema.hasTable('store_meta')).toBe(false);
    });
  });
});
