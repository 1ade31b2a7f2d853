import type { Install } from '@installgate/contracts';
import { ADMIN_SCOPE } from '../access/actor';
import { makeBackupRecord, makeInstallRecord } from '../testing/fixtures';
import { readTable } from '../testing/read-table';
import { createTempEngine, type TempEngine } from '../testing/temp-engine';
import { errcodeOf, seedAccounts } from '../testing/test-accounts';

describe('installs service', () => {
  let t: TempEngine;
  let s: Awaited<ReturnType<typeof seedAccounts>>;
  const page = { offset: 0, limit: 50 };
  const ids = (list: { items: Install[] }) => list.items.map((i) => i.id);

  beforeEach(async () => {
    t = await createTempEngine();
    s = await seedAccounts(t.engine);
    const { installs } = t.engine;
    await installs.insert(makeInstallRecord({ id: 'i-r1', user: 'r1', time_created: 100, title: 'Reseller Site' }));
    await installs.insert(makeInstallRecord({ id: 'i-u1', user: 'u1', time_created: 200, url: 'http://u1.example/blog', version: '6.7.2', version_available: '6.8.0', version_updates_available: 0 }));
    await installs.insert(makeInstallRecord({ id: 'i-u2', user: 'u2', time_created: 200, application: 'drupal', version: '10.1', version_available_minor: '10.1.1', version_updates_available: 2 }));
    await installs.insert(makeInstallRecord({ id: 'i-u3', user: 'u3', time_created: 50, title: '50%_off shop', version_available: '6.7.2', version_available_minor: '6.7.2' }));
  });
  afterEach(() => t.close());

  describe('list', () => {
    it('shows the main admin everything, oldest first with id as tie-break', async () => {
      expect(ids(await t.engine.installs.list(ADMIN_SCOPE, page))).toEqual(['i-u3', 'i-r1', 'i-u1', 'i-u2']);
    });

    it('shows an account its own records, plus owned accounts with filter_ownedaccounts', async () => {
      const { installs } = t.engine;
      expect(ids(await installs.list(s.r1, page))).toEqual(['i-r1']);
      expect(ids(await installs.list(s.r1, { ...page, filter_ownedaccounts: true }))).toEqual(['i-r1', 'i-u1', 'i-u2']);
      expect(ids(await installs.list(ADMIN_SCOPE, { ...page, user: 'r2', filter_ownedaccounts: true }))).toEqual(['i-u2']);
      expect(ids(await installs.list(ADMIN_SCOPE, { ...page, user: 'u1' }))).toEqual(['i-u1']);
      expect(ids(await installs.list(s.r1, { ...page, user: 'u2' }))).toEqual(['i-u2']);
      expect(ids(await installs.list(s.u1, { ...page, filter_ownedaccounts: true }))).toEqual(['i-u1']);
      expect(await errcodeOf(installs.list(s.r2, { ...page, user: 'u1' }))).toBe('invalid_argument_user');
      expect(await errcodeOf(installs.list(ADMIN_SCOPE, { ...page, user: 'ghost' }))).toBe('user_not_found');
    });

    it('searches title, url, id, application and user, ignoring case, with wildcards taken literally', async () => {
      const { installs } = t.engine;
      expect(ids(await installs.list(ADMIN_SCOPE, { ...page, q: 'RESELLER' }))).toEqual(['i-r1']);
      expect(ids(await installs.list(ADMIN_SCOPE, { ...page, q: 'u1.example' }))).toEqual(['i-u1']);
      expect(ids(await installs.list(ADMIN_SCOPE, { ...page, q: 'DRUPAL' }))).toEqual(['i-u2']);
      expect(ids(await installs.list(ADMIN_SCOPE, { ...page, q: 'i-u3' }))).toEqual(['i-u3']);
      expect(ids(await installs.list(ADMIN_SCOPE, { ...page, q: 'u2' }))).toEqual(['i-u2']);
      expect(ids(await installs.list(ADMIN_SCOPE, { ...page, q: '50%_' }))).toEqual(['i-u3']);
      expect(ids(await installs.list(ADMIN_SCOPE, { ...page, q: '%' }))).toEqual(['i-u3']);
      expect(ids(await installs.list(ADMIN_SCOPE, { ...page, id: 'i-u1' }))).toEqual(['i-u1']);
    });

    it('filters installs with updates and with minor updates', async () => {
      const { installs } = t.engine;
      expect(ids(await installs.list(ADMIN_SCOPE, { ...page, filter_version_available: true }))).toEqual(['i-u1', 'i-u2']);
      expect(ids(await installs.list(ADMIN_SCOPE, { ...page, filter_version_available_minor: true }))).toEqual(['i-u2']);
    });

    it('pages with total_count and has_more', async () => {
      const { installs } = t.engine;
      const p1 = await installs.list(ADMIN_SCOPE, { offset: 0, limit: 3 });
      const p2 = await installs.list(ADMIN_SCOPE, { offset: 3, limit: 3 });
      expect([ids(p1), p1.total_count, p1.has_more]).toEqual([['i-u3', 'i-r1', 'i-u1'], 4, true]);
      expect([ids(p2), p2.total_count, p2.has_more]).toEqual([['i-u2'], 4, false]);
      expect(await errcodeOf(installs.list(ADMIN_SCOPE, { offset: 0, limit: 0 }))).toBe('invalid_argument_limit');
    });
  });

  describe('get', () => {
    it('returns the full record to those who may see it', async () => {
      const { installs } = t.engine;
      const got = await installs.get(s.r1, 'i-u2');
      expect(got).toEqual(makeInstallRecord({ ...got }));
      expect(got.db_pass).toBe('dAtAbAsEpAs5//0rD');
      expect(await errcodeOf(installs.get(s.u1, 'i-u2'))).toBe('invalid_argument_user');
      expect(await errcodeOf(installs.get(ADMIN_SCOPE, 'nope'))).toBe('install_not_found');
    });

    it('refuses to store an invalid record', async () => {
      const bad = { ...makeInstallRecord(), autoup: 'sometimes' } as unknown as Install;
      expect(await errcodeOf(t.engine.installs.insert(bad))).toBe('internal_error');
      expect(await errcodeOf(t.engine.installs.insert(makeInstallRecord({ id: 'i-u1' })))).toBe('internal_error');
    });
  });

  describe('edit', () => {
    it('changes record-only members and nothing else', async () => {
      const { installs } = t.engine;
      const before = await installs.get(ADMIN_SCOPE, 'i-u1');
      const after = await installs.edit(s.u1, 'i-u1', {
        autoup: 'all',
        autoup_plugins: 'custom',
        notification: ['backup', 'backup'],
        autobk: 'schedule',
        autobk_schedule: 'daily30',
        title: 'Renamed',
        exclude_files: ['wp-content/cache'],
      });
      expect(after).toEqual({ ...before, autoup: 'all', autoup_plugins: 'custom', notification: ['backup'], autobk: 'schedule', autobk_schedule: 'daily30', title: 'Renamed', exclude_files: ['wp-content/cache'] });
      expect(await installs.get(ADMIN_SCOPE, 'i-u1')).toEqual(after);
      expect(ids(await installs.list(ADMIN_SCOPE, { ...page, q: 'renamed' }))).toEqual(['i-u1']);
    });

    it('an edit of an autoup member resets the failed automatic tries; other edits keep them', async () => {
      const { installs } = t.engine;
      await installs.insert(makeInstallRecord({ id: 'i-stuck', user: 'u1', url: 'http://u1.example/stuck', version_autouped_attempts: 3 }));
      expect(await installs.edit(ADMIN_SCOPE, 'i-stuck', { title: 'Still stuck' })).toMatchObject({ version_autouped_attempts: 3 });
      expect(await installs.edit(ADMIN_SCOPE, 'i-stuck', { autoup_backup: 'all' })).toMatchObject({ version_autouped_attempts: 0 });
    });

    it('checks schedules, backup locations and member values', async () => {
      const { installs, locations } = t.engine;
      expect(await errcodeOf(installs.edit(ADMIN_SCOPE, 'i-u1', { autobk_schedule: 'nope' }))).toBe('schedule_not_found');
      expect(await errcodeOf(installs.edit(ADMIN_SCOPE, 'i-u1', { bkloc: 'nope' }))).toBe('invalid_argument_bkloc');
      expect(await errcodeOf(installs.edit(ADMIN_SCOPE, 'i-u1', { autobk: 'schedule' }))).toBe('empty_argument_autobk_schedule');
      expect(await errcodeOf(installs.edit(ADMIN_SCOPE, 'i-u1', { autoup: 'never' as 'none' }))).toBe('invalid_argument_autoup');
      expect(await errcodeOf(installs.edit(ADMIN_SCOPE, 'i-u1', { exclude_files: ['../etc'] }))).toBe('invalid_argument_exclude_files');
      expect(await errcodeOf(installs.edit(ADMIN_SCOPE, 'i-u1', { db_pass: 'x' } as never))).toBe('not_implemented');
      expect(await errcodeOf(installs.edit(ADMIN_SCOPE, 'i-u1', { colour: 'red' } as never))).toBe('invalid_argument_colour');
      const shared = await locations.insert({ name: 'Shared FTP', uri: 'ftp://u:p@ftp.example/b', scope: 'user' });
      const privateToR1 = await locations.insert({ name: 'R1 only', uri: 'ftp://u:p@ftp.example/r1', scope: 'admin', user: 'r1' });
      expect((await installs.edit(s.u1, 'i-u1', { bkloc: shared.id })).bkloc).toBe(shared.id);
      expect(await errcodeOf(installs.edit(s.u1, 'i-u1', { bkloc: privateToR1.id }))).toBe('invalid_argument_bkloc');
      expect((await installs.edit(s.r1, 'i-u1', { bkloc: privateToR1.id })).bkloc).toBe(privateToR1.id);
      expect((await installs.edit(s.u1, 'i-u1', { bkloc: 'local' })).bkloc).toBe('local');
      expect(await errcodeOf(installs.edit(s.u3, 'i-u1', { title: 'x' }))).toBe('invalid_argument_user');
    });

    it('logs the edit under the owner with the database password redacted', async () => {
      const { installs, logs } = t.engine;
      await installs.edit(ADMIN_SCOPE, 'i-u1', { title: 'Blog dAtAbAsEpAs5//0rD' });
      const entries = (await logs.list(ADMIN_SCOPE, { offset: 0, limit: 50, install: 'i-u1' })).items;
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({ user: 'u1', cmd: 'installs/edit', install: 'i-u1', title: 'Blog *****' });
      expect(JSON.stringify(await readTable(t, 'logs'))).not.toContain('dAtAbAsEpAs5');
    });
  });

  describe('detach and forgetBackups', () => {
    it('forgets the install, optionally with its backup records', async () => {
      const { installs, backups } = t.engine;
      await backups.insert(makeBackupRecord({ user: 'u1', backup_install: 'i-u1' }));
      await backups.insert(makeBackupRecord({ user: 'u1', backup_install: 'i-u1' }));
      await backups.insert(makeBackupRecord({ user: 'u2', backup_install: 'i-u2' }));

      const kept = await installs.detach(s.u2, 'i-u2', { delete_backups: false });
      expect(kept).toMatchObject({ install: { id: 'i-u2' }, backups_forgotten: 0 });
      expect((await backups.list(ADMIN_SCOPE, { ...page, pid: 'i-u2' })).total_count).toBe(1);

      const gone = await installs.detach(s.r1, 'i-u1', { delete_backups: true });
      expect(gone.backups_forgotten).toBe(2);
      expect(await errcodeOf(installs.get(ADMIN_SCOPE, 'i-u1'))).toBe('install_not_found');
      expect((await backups.list(ADMIN_SCOPE, { ...page, pid: 'i-u1' })).total_count).toBe(0);
      expect(await errcodeOf(installs.detach(s.u1, 'i-u3', { delete_backups: false }))).toBe('invalid_argument_user');
    });

    it('refuses to detach an install a task is changing', async () => {
      const { installs, tasks } = t.engine;
      const task = await tasks.create({ cmd: 'installs/update', user: 'u1', installId: 'i-u1' });
      await tasks.acquireInstallLock('i-u1', task.id);
      expect(await errcodeOf(installs.detach(ADMIN_SCOPE, 'i-u1', { delete_backups: false }))).toBe('install_busy');
      await tasks.claim(task.id, 'node-a');
      await tasks.finish(task.id);
      expect((await installs.detach(ADMIN_SCOPE, 'i-u1', { delete_backups: false })).install.id).toBe('i-u1');
    });

    it('regression: refuses a record edit while a task is changing the install (its end would overwrite the edit)', async () => {
      const { installs, tasks } = t.engine;
      const task = await tasks.create({ cmd: 'installs/update', user: 'u2', installId: 'i-u2' });
      await tasks.acquireInstallLock('i-u2', task.id);
      expect(await errcodeOf(installs.edit(ADMIN_SCOPE, 'i-u2', { autoup: 'none' }))).toBe('install_busy');
      await tasks.claim(task.id, 'node-a');
      await tasks.finish(task.id);
      expect((await installs.edit(ADMIN_SCOPE, 'i-u2', { autoup: 'none' })).autoup).toBe('none');
    });

    it('forgetBackups removes only that install\'s backup records', async () => {
      const { installs, backups } = t.engine;
      await backups.insert(makeBackupRecord({ user: 'u1', backup_install: 'i-u1' }));
      await backups.insert(makeBackupRecord({ user: 'u2', backup_install: 'i-u2' }));
      expect(await installs.forgetBackups(s.u1, 'i-u1')).toBe(1);
      expect(await installs.forgetBackups(s.u1, 'i-u1')).toBe(0);
      expect((await backups.list(ADMIN_SCOPE, page)).total_count).toBe(1);
      expect(await errcodeOf(installs.forgetBackups(s.u1, 'i-u2'))).toBe('invalid_argument_user');
    });
  });
});
