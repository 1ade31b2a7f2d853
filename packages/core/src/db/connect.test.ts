import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSecretBox, generateSecretKey } from '../secrets/secret-box';
import { openStore } from './connect';
import { MIGRATIONS, migrateToLatest } from './migrations';
import { isUniqueViolation } from './unique-violation';

const secrets = createSecretBox(generateSecretKey());

describe('openStore (sqlite3) and migrations', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'installgate-db-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('turns on foreign keys, WAL and a busy timeout on the connection', async () => {
    const db = openStore({ client: 'sqlite3', filename: join(dir, 's.sqlite') });
    try {
      expect(await db.raw('PRAGMA foreign_keys')).toEqual([{ foreign_keys: 1 }]);
      expect(await db.raw('PRAGMA journal_mode')).toEqual([{ journal_mode: 'wal' }]);
      expect(await db.raw('PRAGMA busy_timeout')).toEqual([{ timeout: 5000 }]);
    } finally {
      await db.destroy();
    }
  });

  it('creates every table, and running the migrations again changes nothing', async () => {
    const filename = join(dir, 's.sqlite');
    const db = openStore({ client: 'sqlite3', filename });
    await migrateToLatest(db, { secrets });
    await migrateToLatest(db, { secrets });
    const tables = (await db('sqlite_master').where({ type: 'table' }).pluck('name')) as string[];
    for (const t of ['users', 'websites', 'installs', 'backups', 'templates', 'tasks', 'install_locks', 'logs', 'backup_locations', 'backup_schedules', 'install_resources']) {
      expect(tables).toContain(t);
    }
    const done = (await db('installgate_migrations').pluck('name')) as string[];
    expect(done).toEqual(MIGRATIONS.map((m) => m.name));
    await db.destroy();

    // A second process opening the same file sees a migrated store.
    const again = openStore({ client: 'sqlite3', filename });
    await migrateToLatest(again, { secrets });
    expect(await again('installgate_migrations').count({ n: '*' })).toEqual([{ n: MIGRATIONS.length }]);
    await again.destroy();
  });

  it('enforces foreign keys (a website needs its user) and reports unique violations portably', async () => {
    const db = openStore({ client: 'sqlite3', filename: join(dir, 's.sqlite') });
    await migrateToLatest(db, { secrets });
    await expect(db('websites').insert({ user_id: 'ghost', id: 'w', position: 0, label: 'x', record: '{}' })).rejects.toThrow(/FOREIGN KEY/);
    const row = { id: 's1', user: '', name: 'n', daily: 1, weekly: 0, monthly: 0, enabled: true, forced: false, location: '', created_at: 1 };
    await db('backup_schedules').insert(row);
    const err = await db('backup_schedules').insert(row).catch((e: unknown) => e);
    expect(isUniqueViolation(err)).toBe(true);
    expect(isUniqueViolation(new Error('other'))).toBe(false);
    expect(isUniqueViolation({ code: 'ER_DUP_ENTRY' })).toBe(true);
    expect(isUniqueViolation({ code: '23505' })).toBe(true);
    await db.destroy();
  });

  it('the migrations use only portable schema-builder calls (no raw SQL, no SQLite pragmas)', () => {
    const source = readFileSync(join(__dirname, 'migrations', '0001-init.ts'), 'utf8');
    expect(source).not.toMatch(/\.raw\(|PRAGMA|AUTOINCREMENT|\.specificType\(/);
  });
});
