import { openStore } from '../db/connect';
import { createSecretBox } from '../secrets/secret-box';
import { readTable } from '../testing/read-table';
import { createTempEngine, type TempEngine } from '../testing/temp-engine';
import { createBackupObjects, type BackupObject } from './backup-objects';

const URI = 'sftp://bk:Pw%40123@backup.example:22/store';
const object = (backupId: string, ref: string, key: string): BackupObject => ({ backup_id: backupId, location_ref: ref, local_root: '', object_key: key, size: 1, sha256: '', task_id: '' });

describe('backup_objects at rest', () => {
  let t: TempEngine;
  beforeEach(async () => {
    t = await createTempEngine();
  });
  afterEach(() => t.close());

  async function withObjects<T>(fn: (objects: ReturnType<typeof createBackupObjects>) => Promise<T>): Promise<T> {
    const db = openStore({ client: 'sqlite3', filename: t.filename });
    try {
      return await fn(createBackupObjects(db, createSecretBox(t.secretKey)));
    } finally {
      await db.destroy();
    }
  }

  it('seals a location URI, leaves `local` and location ids readable, and returns the plain reference', async () => {
    await withObjects(async (objects) => {
      await objects.insert(object('b1', URI, 'a.tar.gz'));
      await objects.insert(object('b2', 'local', 'b.tar.gz'));
      await objects.insert(object('b3', 'loc1', 'c.tar.gz'));
      expect((await objects.get('b1'))?.location_ref).toBe(URI);
      expect((await objects.orphans()).map((o) => o.location_ref).sort()).toEqual(['loc1', 'local', URI].sort());
    });
    const refs = (await readTable(t, 'backup_objects')).map((r) => String(r.location_ref));
    expect(refs).toEqual(expect.arrayContaining(['local', 'loc1']));
    expect(refs.join('\n')).not.toMatch(/Pw%40123|backup\.example/);
  });

  it('idsAt matches a sealed URI reference by its plain value (import skips archives it knows)', async () => {
    await withObjects(async (objects) => {
      await objects.insert(object('b1', URI, 'a.tar.gz'));
      await objects.insert(object('b2', 'sftp://bk:other@backup.example:22/store', 'b.tar.gz'));
      // A location id is not sealed: compared as it is.
      await objects.insert(object('b3', 'loc1', 'c.tar.gz'));
      expect(await objects.idsAt(URI, '', ['a.tar.gz', 'b.tar.gz', 'c.tar.gz'])).toEqual(new Map([['a.tar.gz', 'b1']]));
      expect(await objects.idsAt('loc1', '', ['a.tar.gz', 'c.tar.gz'])).toEqual(new Map([['c.tar.gz', 'b3']]));
    });
  });
});
