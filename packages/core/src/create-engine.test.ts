import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ADMIN_SCOPE } from './access/actor';
import { openStore } from './db/connect';
import { createEngine } from './create-engine';
import { DEFAULT_ENGINE_SETTINGS } from './engine-settings';
import { generateSecretKey } from './secrets/secret-box';

const SETTINGS = { ...DEFAULT_ENGINE_SETTINGS, secretKey: generateSecretKey() };

describe('createEngine', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'installgate-engine-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('migrates a fresh store, keeps state across restarts and closes the store', async () => {
    const filename = join(dir, 'state.sqlite');
    const first = await createEngine({ db: openStore({ client: 'sqlite3', filename }), settings: SETTINGS });
    await first.users.create(ADMIN_SCOPE, { id: 'kept' });
    await first.close();
    const second = await createEngine({ db: openStore({ client: 'sqlite3', filename }), settings: { ...SETTINGS, homesRoot: '/srv/homes/' } });
    expect((await second.users.get(ADMIN_SCOPE, 'kept')).id).toBe('kept');
    expect(second.settings.homesRoot).toBe('/srv/homes');
    await second.close();
  });

  it('refuses bad settings before touching the store', async () => {
    const db = openStore({ client: 'sqlite3', filename: join(dir, 's.sqlite') });
    await expect(createEngine({ db, settings: { ...SETTINGS, homesRoot: 'relative' } })).rejects.toMatchObject({ errcode: 'invalid_argument_settings', errfield: 'homesRoot' });
    await expect(createEngine({ db, settings: { ...SETTINGS, admin: 'a b' } })).rejects.toMatchObject({ errfield: 'admin' });
    await db.destroy();
  });

  it('passes only redacted meta to the host logger', async () => {
    const seen: unknown[] = [];
    const logger = { info: () => {}, warn: (msg: string, meta?: unknown) => seen.push({ msg, meta }), error: () => {} };
    const engine = await createEngine({ db: openStore({ client: 'sqlite3', filename: join(dir, 's.sqlite') }), settings: SETTINGS, logger });
    const task = await engine.tasks.create({ cmd: 'installs/backup', user: 'x', url: 'sftp://a:LeakMe@host' });
    await engine.tasks.claim(task.id, 'old');
    await engine.tasks.recoverInterrupted('new');
    expect(seen).toHaveLength(1);
    expect(JSON.stringify(seen)).not.toContain('LeakMe');
    await engine.close();
  });
});
