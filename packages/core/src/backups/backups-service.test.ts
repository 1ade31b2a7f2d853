import { ADMIN_SCOPE } from '../access/actor';
import { makeBackupRecord } from '../testing/fixtures';
import { createTempEngine, type TempEngine } from '../testing/temp-engine';
import { errcodeOf, seedAccounts } from '../testing/test-accounts';
import { AUTO_EXPIRY_DAYS, expiresAt } from './backups-service';

describe('backups service', () => {
  let t: TempEngine;
  let s: Awaited<ReturnType<typeof seedAccounts>>;
  const page = { offset: 0, limit: 50 };

  beforeEach(async () => {
    t = await createTempEngine();
    s = await seedAccounts(t.engine);
    const { backups } = t.engine;
    await backups.insert(makeBackupRecord({ id: 'b1', user: 'u1', backup_install: 'i1', backup_time: 100, backup_note: 'before the redesign' }));
    await backups.insert(makeBackupRecord({ id: 'b2', user: 'u1', backup_install: 'i1', backup_time: 300, backup_filename: 'app_u1_Special-Name.tar.gz' }));
    await backups.insert(makeBackupRecord({ id: 'b3', user: 'u2', backup_install: 'i2', backup_time: 200 }));
    await backups.insert(makeBackupRecord({ id: 'b4', user: 'u3', backup_install: 'i3', backup_time: 300 }));
  });
  afterEach(() => t.close());

  const ids = (l: { items: Array<{ id: string }> }) => l.items.map((b) => b.id);

  it('lists newest first, scoped like installs', async () => {
    const { backups } = t.engine;
    expect(ids(await backups.list(ADMIN_SCOPE, page))).toEqual(['b4', 'b2', 'b3', 'b1']);
    expect(ids(await backups.list(s.u1, page))).toEqual(['b2', 'b1']);
    expect(ids(await backups.list(s.r1, page))).toEqual([]);
    expect(ids(await backups.list(s.r1, { ...page, filter_ownedaccounts: true }))).toEqual(['b2', 'b3', 'b1']);
    expect(ids(await backups.list(ADMIN_SCOPE, { ...page, pid: 'i1' }))).toEqual(['b2', 'b1']);
    expect(ids(await backups.list(ADMIN_SCOPE, { ...page, pid: 'i1', q: 'REDESIGN' }))).toEqual(['b1']);
    expect(ids(await backups.list(ADMIN_SCOPE, { ...page, q: 'special-name' }))).toEqual(['b2']);
    expect(ids(await backups.list(ADMIN_SCOPE, { ...page, id: 'b3' }))).toEqual(['b3']);
    const p = await backups.list(ADMIN_SCOPE, { offset: 1, limit: 2 });
    expect([ids(p), p.total_count, p.has_more]).toEqual([['b2', 'b3'], 4, true]);
    expect(await errcodeOf(backups.list(s.u1, { ...page, user: 'u2' }))).toBe('invalid_argument_user');
  });

  it('gets one backup with visibility', async () => {
    const { backups } = t.engine;
    expect(await backups.get(s.r1, 'b3')).toMatchObject({ id: 'b3', backup_install: 'i2', user: 'u2' });
    expect(await errcodeOf(backups.get(s.u1, 'b3'))).toBe('invalid_argument_user');
    expect(await errcodeOf(backups.get(ADMIN_SCOPE, 'nope'))).toBe('backup_not_found');
  });

  it('edits the note and the expiry relative to the clock', async () => {
    const { backups } = t.engine;
    const now = t.now();
    expect(await backups.edit(s.u1, 'b1', { backup_note: 'keep', expiry: 'auto' })).toMatchObject({ backup_note: 'keep', backup_expires: now + AUTO_EXPIRY_DAYS * 86400 });
    expect((await backups.edit(s.u1, 'b1', { expiry: 3 })).backup_expires).toBe(now + 3 * 86400);
    const never = await backups.edit(s.u1, 'b1', { expiry: 'never' });
    expect(never).toMatchObject({ backup_expires: 0, backup_note: 'keep' });
    expect(await backups.get(ADMIN_SCOPE, 'b1')).toEqual(never);
    expect(await errcodeOf(backups.edit(s.u1, 'b1', { expiry: -1 }))).toBe('invalid_argument_expiry');
    expect(await errcodeOf(backups.edit(s.u1, 'b1', { expiry: 'soon' as 'auto' }))).toBe('invalid_argument_expiry');
    expect(await errcodeOf(backups.edit(s.u1, 'b1', { backup_filename: 'x' } as never))).toBe('invalid_argument_backup_filename');
    expect(await errcodeOf(backups.edit(s.u2, 'b1', { backup_note: 'x' }))).toBe('invalid_argument_user');
    const logged = await t.engine.logs.list(ADMIN_SCOPE, { ...page, user: 'u1' });
    expect(logged.items.map((e) => e.cmd)).toEqual(['backups/edit', 'backups/edit', 'backups/edit', 'users/create']);
  });

  it('expiresAt maps never / auto / days', () => {
    expect(expiresAt('never', 1000)).toBe(0);
    expect(expiresAt(0, 1000)).toBe(0);
    expect(expiresAt('auto', 1000)).toBe(1000 + 14 * 86400);
    expect(expiresAt(1, 1000)).toBe(1000 + 86400);
    expect(() => expiresAt(1.5, 0)).toThrow(expect.objectContaining({ errcode: 'invalid_argument_expiry' }));
  });
});
