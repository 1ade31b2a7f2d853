import { ADMIN_SCOPE, accountScope } from '../access/actor';
import { makeInstallRecord, makeBackupRecord, makeTemplateRecord } from '../testing/fixtures';
import { createTempEngine, type TempEngine } from '../testing/temp-engine';
import { errcodeOf, seedAccounts } from '../testing/test-accounts';
import { readTable } from '../testing/read-table';

describe('users service', () => {
  let t: TempEngine;
  let s: Awaited<ReturnType<typeof seedAccounts>>;
  beforeEach(async () => {
    t = await createTempEngine();
    s = await seedAccounts(t.engine);
  });
  afterEach(() => t.close());

  describe('create', () => {
    it('creates a user with defaults and websites', async () => {
      const u = await t.engine.users.create(ADMIN_SCOPE, { id: 'carol', email: 'c@example.com', language: 'de', websites: [{ vhosts: { 'carol.example': 'public_html' } }] });
      expect(u).toMatchObject({ id: 'carol', parent: 'admin', type: 'user', suspended: false, locale: 'de', email: 'c@example.com', package: '' });
      expect(u.websites).toEqual([expect.objectContaining({ label: 'carol.example', path: '/home/carol', parent: 'admin' })]);
      expect(await t.engine.users.get(ADMIN_SCOPE, 'carol')).toEqual(u);
    });

    it('validates the id and refuses duplicates', async () => {
      const { users } = t.engine;
      expect(await errcodeOf(users.create(ADMIN_SCOPE, {}))).toBe('empty_argument_id');
      expect(await errcodeOf(users.create(ADMIN_SCOPE, { id: 'bad id' }))).toBe('invalid_argument_id');
      expect(await errcodeOf(users.create(ADMIN_SCOPE, { id: '..' }))).toBe('invalid_argument_id');
      expect(await errcodeOf(users.create(ADMIN_SCOPE, { id: 'x'.repeat(65) }))).toBe('invalid_argument_id');
      expect(await errcodeOf(users.create(ADMIN_SCOPE, { id: 'u1' }))).toBe('user_exists');
      expect(await errcodeOf(users.create(ADMIN_SCOPE, { id: 'ok', type: 'admin' as 'user' }))).toBe('invalid_argument_type');
      expect(await errcodeOf(users.create(ADMIN_SCOPE, { id: 'ok', shoe: 1 } as never))).toBe('invalid_argument_shoe');
    });

    it('lets a reseller create accounts under itself only, and a user none', async () => {
      const { users } = t.engine;
      expect(await users.create(s.r1, { id: 'k1' })).toMatchObject({ parent: 'r1' });
      expect(await users.create(s.r1, { id: 'k2', reseller: 'r2' })).toMatchObject({ parent: 'r2' });
      expect(await errcodeOf(users.create(s.r2, { id: 'k3', parent: 'r1' }))).toBe('invalid_argument_parent');
      expect(await errcodeOf(users.create(s.r1, { id: 'k4', parent: 'admin' }))).toBe('invalid_argument_parent');
      expect(await errcodeOf(users.create(s.r1, { id: 'k5', parent: 'ghost' }))).toBe('user_not_found');
      expect(await errcodeOf(users.create(s.r1, { id: 'k6', parent: 'u1' }))).toBe('invalid_argument_parent');
      expect(await errcodeOf(users.create(s.u1, { id: 'k7' }))).toBe('invalid_argument_user');
      expect(await errcodeOf(users.create(s.r1, { id: 'admin', type: 'reseller' }))).toBe('invalid_argument_user');
    });
  });

  describe('get and list', () => {
    it('applies visibility', async () => {
      const { users } = t.engine;
      expect((await users.get(s.r1, 'u2')).id).toBe('u2');
      expect(await errcodeOf(users.get(s.r2, 'u1'))).toBe('invalid_argument_user');
      expect(await errcodeOf(users.get(s.u1, 'r1'))).toBe('invalid_argument_user');
      expect(await errcodeOf(users.get(ADMIN_SCOPE, 'ghost'))).toBe('user_not_found');
      const ids = async (scope: typeof ADMIN_SCOPE, q = {}) => (await users.list(scope, { offset: 0, limit: 50, ...q })).items.map((u) => u.id);
      expect(await ids(ADMIN_SCOPE)).toEqual(['r1', 'r2', 'u1', 'u2', 'u3']);
      expect(await ids(s.r1)).toEqual(['r1', 'r2', 'u1', 'u2']);
      expect(await ids(s.u2)).toEqual(['u2']);
      expect(await ids(ADMIN_SCOPE, { q: 'U' })).toEqual(['u1', 'u2', 'u3']);
      expect(await ids(ADMIN_SCOPE, { user: 'r2' })).toEqual(['r2', 'u2']);
      const page = await users.list(ADMIN_SCOPE, { offset: 1, limit: 2 });
      expect({ ids: page.items.map((u) => u.id), total: page.total_count, more: page.has_more }).toEqual({ ids: ['r2', 'u1'], total: 5, more: true });
      expect(page.items[1].websites).toHaveLength(1);
    });
  });

  describe('edit', () => {
    it('keeps omitted members, replaces websites, and accepts reseller as parent', async () => {
      const { users } = t.engine;
      await users.edit(ADMIN_SCOPE, 'u3', { email: 'u3@example.com', package: 'gold' }, { createIfMissing: false });
      const u = await users.edit(ADMIN_SCOPE, 'u3', { reseller: 'r1', websites: [{ vhosts: { 'new.example': 'www' } }] }, { createIfMissing: false });
      expect(u).toMatchObject({ id: 'u3', parent: 'r1', email: 'u3@example.com', package: 'gold', type: 'user' });
      expect(u.websites.map((w) => w.label)).toEqual(['new.example']);
      expect(await users.get(s.r1, 'u3')).toEqual(u);
    });

    it('creates when missing only if asked', async () => {
      const { users } = t.engine;
      expect(await errcodeOf(users.edit(ADMIN_SCOPE, 'dave', { email: 'd@x' }, { createIfMissing: false }))).toBe('user_not_found');
      expect(await users.edit(ADMIN_SCOPE, 'dave', { email: 'd@x' }, { createIfMissing: true })).toMatchObject({ id: 'dave', email: 'd@x' });
    });

    it('guards parent changes and self-promotion', async () => {
      const { users } = t.engine;
      expect(await errcodeOf(users.edit(ADMIN_SCOPE, 'r1', { parent: 'u2' }, { createIfMissing: false }))).toBe('invalid_argument_parent');
      expect(await errcodeOf(users.edit(ADMIN_SCOPE, 'r1', { parent: 'r2' }, { createIfMissing: false }))).toBe('invalid_argument_parent');
      expect(await errcodeOf(users.edit(ADMIN_SCOPE, 'r1', { parent: 'r1' }, { createIfMissing: false }))).toBe('invalid_argument_parent');
      expect(await errcodeOf(users.edit(s.u1, 'u1', { type: 'reseller' }, { createIfMissing: false }))).toBe('invalid_argument_user');
      expect(await errcodeOf(users.edit(s.r2, 'r2', { parent: 'admin' }, { createIfMissing: false }))).toBe('invalid_argument_user');
      expect(await errcodeOf(users.edit(s.u1, 'u1', { suspended: true }, { createIfMissing: false }))).toBe('invalid_argument_user');
      expect(await users.edit(s.u1, 'u1', { email: 'me@x', type: 'user' }, { createIfMissing: false })).toMatchObject({ email: 'me@x' });
      expect(await errcodeOf(users.edit(s.r2, 'u1', { email: 'x' }, { createIfMissing: false }))).toBe('invalid_argument_user');
      expect(await errcodeOf(users.edit(ADMIN_SCOPE, 'u1', { id: 'u9' }, { createIfMissing: false }))).toBe('invalid_argument_id');
      expect(await users.edit(s.r1, 'u2', { suspended: true }, { createIfMissing: false })).toMatchObject({ suspended: true });
    });

    it('never writes a website password or database password to the logs table', async () => {
      const { users } = t.engine;
      await users.edit(
        ADMIN_SCOPE,
        'u1',
        {
          email: 'u1@example.com',
          websites: [
            {
              label: 'remote',
              path: 'sftp://u1:WebsitePw%21@host.example/home/u1',
              vhosts: { 'u1.example': 'public_html' },
              databases: [{ type: 'mysql', host: 'localhost', user: 'u1db', name: 'u1db', pass: 'DbPassWord99' }],
            },
          ],
        },
        { createIfMissing: false },
      );
      await users.create(ADMIN_SCOPE, { id: 'eve', websites: [{ path: 'ftp://eve:EvePass123@ftp.example/', databases: [{ pass: 'EveDbPass' }] }] });
      const rows = await readTable(t, 'logs');
      expect(rows.length).toBeGreaterThan(0);
      const dump = JSON.stringify(rows);
      expect(dump).not.toMatch(/WebsitePw|DbPassWord99|EvePass123|EveDbPass/);
      expect(dump).toContain('users/edit');
      expect(dump).toContain('*****');
    });
  });

  describe('delete', () => {
    it('dry-runs, then removes the user and its records, and moves its accounts up', async () => {
      const { users, installs, backups, templates, tasks } = t.engine;
      const inst = await installs.insert(makeInstallRecord({ user: 'r2' }));
      await backups.insert(makeBackupRecord({ user: 'r2', backup_install: inst.id }));
      await templates.insert(makeTemplateRecord({ user: 'r2' }));
      await installs.insert(makeInstallRecord({ user: 'u2' }));
      const task = await tasks.create({ cmd: 'installs/update', user: 'r2', installId: inst.id });
      await tasks.acquireInstallLock(inst.id, task.id);

      const dry = await users.delete(s.r1, 'r2', { dryrun: true });
      expect(dry).toMatchObject({ dryrun: true, removed: { websites: 0, installs: 1, backups: 1, templates: 1, tasks: 1 } });
      expect((await users.get(ADMIN_SCOPE, 'r2')).id).toBe('r2');

      await users.delete(s.r1, 'r2', { dryrun: false });
      expect(await errcodeOf(users.get(ADMIN_SCOPE, 'r2'))).toBe('user_not_found');
      expect((await users.get(ADMIN_SCOPE, 'u2')).parent).toBe('r1');
      expect((await users.get(s.r1, 'u2')).id).toBe('u2');
      expect((await installs.list(ADMIN_SCOPE, { offset: 0, limit: 50 })).items.map((i) => i.user)).toEqual(['u2']);
      expect((await backups.list(ADMIN_SCOPE, { offset: 0, limit: 50 })).total_count).toBe(0);
      expect((await templates.list(ADMIN_SCOPE, { offset: 0, limit: 50 })).total_count).toBe(0);
      expect(await tasks.installLockHolder(inst.id)).toBeUndefined();
    });

    it('refuses deleting the main admin, oneself, or an account out of reach', async () => {
      const { users } = t.engine;
      await users.create(ADMIN_SCOPE, { id: 'admin', type: 'reseller' });
      expect(await errcodeOf(users.delete(ADMIN_SCOPE, 'admin', { dryrun: false }))).toBe('invalid_argument_user');
      expect(await errcodeOf(users.delete(s.r1, 'r1', { dryrun: false }))).toBe('invalid_argument_user');
      expect(await errcodeOf(users.delete(s.r2, 'u1', { dryrun: false }))).toBe('invalid_argument_user');
      expect(await errcodeOf(users.delete(ADMIN_SCOPE, 'ghost', { dryrun: false }))).toBe('user_not_found');
    });
  });

  describe('upsertImplicit (v1 user + websites)', () => {
    it('creates once, then does nothing while the websites stay the same', async () => {
      const { users } = t.engine;
      const sites = [{ vhosts: { 'fred.example': 'public_html' } }];
      const created = await users.upsertImplicit(ADMIN_SCOPE, 'fred', sites);
      const logCount = (await readTable(t, 'logs')).length;
      const again = await users.upsertImplicit(ADMIN_SCOPE, 'fred', sites);
      expect(again).toEqual(created);
      expect((await readTable(t, 'logs')).length).toBe(logCount);
      const changed = await users.upsertImplicit(ADMIN_SCOPE, 'fred', [{ vhosts: { 'fred.example': 'www' } }]);
      expect(changed.websites[0]).toMatchObject({ id: created.websites[0].id, vhosts: { 'fred.example': 'www' } });
      expect((await readTable(t, 'logs')).length).toBe(logCount + 1);
      expect(await users.upsertImplicit(ADMIN_SCOPE, 'fred')).toEqual(changed);
      expect(await errcodeOf(users.upsertImplicit(s.r2, 'u1', sites))).toBe('invalid_argument_user');
    });
  });

  describe('resolveUrl', () => {
    it('maps a URL of a visible user to its website and directory', async () => {
      const r = await t.engine.users.resolveUrl(s.r1, 'u2', 'https://u2.example/blog');
      expect(r).toMatchObject({ domain: 'u2.example', docroot: '/home/u2/httpdocs', path: '/home/u2/httpdocs/blog' });
      expect(await errcodeOf(t.engine.users.resolveUrl(s.r1, 'u3', 'http://u3.example/'))).toBe('invalid_argument_user');
      expect(await errcodeOf(t.engine.users.resolveUrl(ADMIN_SCOPE, 'ghost', 'http://u3.example/'))).toBe('user_not_found');
      expect(await errcodeOf(t.engine.users.resolveUrl(ADMIN_SCOPE, 'u2', 'http://u3.example/'))).toBe('invalid_argument_url');
      expect(accountScope('x', 'user').actor).toEqual({ kind: 'account', id: 'x', type: 'user' });
    });
  });
});
