import { ADMIN_SCOPE } from '../access/actor';
import { openStore } from '../db/connect';
import { makeBackupRecord, makeInstallRecord, makeTemplateRecord } from '../testing/fixtures';
import { readTable } from '../testing/read-table';
import { createTempEngine, type TempEngine } from '../testing/temp-engine';
import { errcodeOf } from '../testing/test-accounts';

const DB_PASS = 'dAtAbAsE-pAs5:/@%';

describe('install-shaped records at rest (installs, backups, templates)', () => {
  let t: TempEngine;
  beforeEach(async () => {
    t = await createTempEngine();
  });
  afterEach(() => t.close());

  it('stores db_pass encrypted in the database file while the services return it plain', async () => {
    const { installs, backups, templates } = t.engine;
    const install = await installs.insert(makeInstallRecord({ db_pass: DB_PASS }));
    const backup = await backups.insert(makeBackupRecord({ db_pass: DB_PASS }));
    const template = await templates.insert(makeTemplateRecord({ db_pass: DB_PASS }));

    for (const table of ['installs', 'backups', 'templates']) {
      const [row] = await readTable(t, table);
      expect(String(row.record)).not.toContain('dAtAbAsE');
      expect(JSON.parse(String(row.record)).db_pass).toMatch(/^igenc:v1:/);
    }
    expect((await installs.get(ADMIN_SCOPE, install.id)).db_pass).toBe(DB_PASS);
    expect((await backups.get(ADMIN_SCOPE, backup.id)).db_pass).toBe(DB_PASS);
    expect((await templates.get(ADMIN_SCOPE, template.id)).db_pass).toBe(DB_PASS);
    expect((await installs.list(ADMIN_SCOPE, { offset: 0, limit: 50 })).items.map((i) => i.db_pass)).toEqual([DB_PASS]);
  });

  it('keeps an empty db_pass and a local path readable (nothing secret in them)', async () => {
    const install = await t.engine.installs.insert(makeInstallRecord({ db_pass: '', path: '/home/u/public_html/blog' }));
    const stored = JSON.parse(String((await readTable(t, 'installs'))[0].record));
    expect(stored).toMatchObject({ db_pass: '', path: '/home/u/public_html/blog' });
    expect((await t.engine.installs.get(ADMIN_SCOPE, install.id)).path).toBe('/home/u/public_html/blog');
  });

  it('a db_pass copied into another install row does not open there (aad binds it to its row)', async () => {
    const a = await t.engine.installs.insert(makeInstallRecord({ db_pass: DB_PASS }));
    const b = await t.engine.installs.insert(makeInstallRecord({ db_pass: 'other-pass' }));
    const db = openStore({ client: 'sqlite3', filename: t.filename });
    try {
      const sealedA = JSON.parse(((await db('installs').where({ id: a.id }).first('record')) as { record: string }).record).db_pass as string;
      const recordB = JSON.parse(((await db('installs').where({ id: b.id }).first('record')) as { record: string }).record);
      await db('installs').where({ id: b.id }).update({ record: JSON.stringify({ ...recordB, db_pass: sealedA }) });
    } finally {
      await db.destroy();
    }
    expect(await errcodeOf(t.engine.installs.get(ADMIN_SCOPE, b.id))).toBe('internal_error');
    expect((await t.engine.installs.get(ADMIN_SCOPE, a.id)).db_pass).toBe(DB_PASS);
  });
});
