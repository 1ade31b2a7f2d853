import { createTempEngine, type TempEngine } from '../testing/temp-engine';
import { errcodeOf, seedAccounts } from '../testing/test-accounts';
import { ADMIN_SCOPE } from './actor';
import { createVisibility } from './visibility';
import { listOwners } from './list-owners';
import { openStore } from '../db/connect';
import { join } from 'node:path';
import type { Knex } from 'knex';

describe('access.resolve and visibility', () => {
  let t: TempEngine;
  let db: Knex;
  beforeEach(async () => {
    t = await createTempEngine();
    await seedAccounts(t.engine);
    db = openStore({ client: 'sqlite3', filename: join(t.dir, 'state.sqlite') });
  });
  afterEach(async () => {
    await db.destroy();
    await t.close();
  });

  it('resolves the user parameter to an actor', async () => {
    const { access } = t.engine;
    expect(await access.resolve(undefined)).toEqual({ kind: 'admin' });
    expect(await access.resolve('')).toEqual({ kind: 'admin' });
    expect(await access.resolve('admin')).toEqual({ kind: 'admin' });
    expect(await access.resolve('r1')).toEqual({ kind: 'account', id: 'r1', type: 'reseller' });
    expect(await access.resolve('u1')).toEqual({ kind: 'account', id: 'u1', type: 'user' });
    await expect(access.resolve('nobody')).rejects.toMatchObject({ errcode: 'user_not_found', errfield: 'user' });
  });

  it('promotes a reseller whose id equals settings.admin to the main admin', async () => {
    const t2 = await createTempEngine({ settings: { admin: 'boss' } });
    try {
      await t2.engine.users.create(ADMIN_SCOPE, { id: 'boss', type: 'reseller' });
      await t2.engine.users.create(ADMIN_SCOPE, { id: 'worker', type: 'user' });
      expect(await t2.engine.access.resolve('boss')).toEqual({ kind: 'admin' });
      expect(await t2.engine.access.resolve('worker')).toEqual({ kind: 'account', id: 'worker', type: 'user' });
    } finally {
      await t2.close();
    }
  });

  it('lets the admin see everyone, a reseller its chain, a user itself', async () => {
    const vis = createVisibility(db);
    const r1 = { kind: 'account', id: 'r1', type: 'reseller' } as const;
    const r2 = { kind: 'account', id: 'r2', type: 'reseller' } as const;
    const u1 = { kind: 'account', id: 'u1', type: 'user' } as const;
    expect(await vis.canSee({ kind: 'admin' }, 'anyone')).toBe(true);
    expect(await vis.canSee(r1, 'u2')).toBe(true); // through r2
    expect(await vis.canSee(r1, 'u3')).toBe(false);
    expect(await vis.canSee(r2, 'u1')).toBe(false);
    expect(await vis.canSee(r2, 'r1')).toBe(false);
    expect(await vis.canSee(u1, 'u1')).toBe(true);
    expect(await vis.canSee(u1, 'r1')).toBe(false);
    expect(await vis.descendantsOf('r1')).toEqual(['r2', 'u1', 'u2']);
    expect(await vis.ownersVisibleTo(r2)).toEqual(['r2', 'u2']);
    expect(await vis.ownersVisibleTo({ kind: 'admin' })).toBeNull();
    expect(await errcodeOf(vis.requireUser(r2, 'u1'))).toBe('invalid_argument_user');
    expect(await errcodeOf(vis.requireUser(r2, 'ghost'))).toBe('user_not_found');
  });

  it('stops at a parent cycle instead of looping', async () => {
    await db('users').where({ id: 'r1' }).update({ parent: 'u2' }); // r1 → u2 → r2 → r1
    const vis = createVisibility(db);
    expect(await vis.canSee({ kind: 'account', id: 'u3', type: 'reseller' }, 'u1')).toBe(false);
    expect(await vis.descendantsOf('r2')).toEqual(['r1', 'u1', 'u2']);
  });

  it('listOwners reads the user parameter per list mode', async () => {
    const vis = createVisibility(db);
    const admin = { kind: 'admin' } as const;
    const r1 = { kind: 'account', id: 'r1', type: 'reseller' } as const;
    expect(await listOwners(vis, 'admin', admin, undefined, 'own')).toBeNull();
    expect(await listOwners(vis, 'admin', admin, 'admin', 'view')).toBeNull();
    expect(await listOwners(vis, 'admin', admin, 'r1', 'own')).toEqual(['r1']);
    expect(await listOwners(vis, 'admin', admin, 'r1', 'owned')).toEqual(['r1', 'r2', 'u1', 'u2']);
    expect(await listOwners(vis, 'admin', r1, undefined, 'view')).toEqual(['r1', 'r2', 'u1', 'u2']);
    expect(await listOwners(vis, 'admin', r1, 'u1', 'view')).toEqual(['u1']);
    expect(await errcodeOf(listOwners(vis, 'admin', r1, 'u3', 'own'))).toBe('invalid_argument_user');
    expect(await errcodeOf(listOwners(vis, 'admin', r1, 'nobody', 'own'))).toBe('user_not_found');
  });
});
