import { ADMIN_SCOPE } from '../access/actor';
import { readTable } from '../testing/read-table';
import { createTempEngine, type TempEngine } from '../testing/temp-engine';
import { errcodeOf, seedAccounts } from '../testing/test-accounts';
import { LOG_DEFAULT_WINDOW_SECONDS } from './logs-service';

describe('logs service', () => {
  let t: TempEngine;
  let s: Awaited<ReturnType<typeof seedAccounts>>;
  const page = { offset: 0, limit: 50 };
  beforeEach(async () => {
    t = await createTempEngine();
    s = await seedAccounts(t.engine);
  });
  afterEach(() => t.close());

  it('redacts given secrets, URI credentials and secret-looking meta before storing', async () => {
    const entry = await t.engine.logs.write(
      {
        user: 'u1',
        cmd: 'installs/edit',
        install: 'i1',
        url: 'http://u1.example',
        backup_location: 'sftp://bk:LocPw77@backup.example/dir',
        message: 'password SuperSecret9 and token Tok3n and meta pw hunter2',
        meta: { db_pass: 'hunter2', nested: { access_token: 'Tok3n' }, uri: 'ftp://a:FtpPw@b' },
      },
      ['SuperSecret9'],
    );
    expect(entry).toMatchObject({
      user: 'u1',
      severity: 'info',
      time: t.now(),
      backup_location: 'sftp://bk:*****@backup.example/dir',
      message: 'password ***** and token ***** and meta pw *****',
    });
    expect(entry.id).toMatch(/^\d+$/);
    const rows = await readTable(t, 'logs');
    const dump = JSON.stringify(rows);
    expect(dump).not.toMatch(/SuperSecret9|Tok3n|hunter2|LocPw77|FtpPw/);
    const stored = rows.find((r) => String(r.id) === entry.id)!;
    expect(JSON.parse(String(stored.meta))).toEqual({ db_pass: '*****', nested: { access_token: '*****' }, uri: 'ftp://a:*****@b' });
  });

  it('lists the last week by default, newest first, in the scope\'s view', async () => {
    const { logs } = t.engine;
    const now = t.now();
    await logs.write({ user: 'u1', cmd: 'a', message: 'old', time: now - LOG_DEFAULT_WINDOW_SECONDS - 1 });
    await logs.write({ user: 'u1', cmd: 'b', message: 'recent', time: now - 100 });
    await logs.write({ user: 'u2', cmd: 'c', message: 'latest', time: now, severity: 'error' });
    await logs.write({ user: 'u3', cmd: 'd', message: 'other', time: now - 50, severity: 'notice' });
    await logs.write({ user: 'u1', cmd: 'e', message: 'future', time: now + 100 });
    const cmds = async (scope = ADMIN_SCOPE, q = {}) => (await logs.list(scope, { ...page, ...q })).items.filter((e) => e.cmd.length === 1).map((e) => e.cmd);
    expect(await cmds()).toEqual(['c', 'd', 'b']);
    expect(await cmds(ADMIN_SCOPE, { time_from: 0, time_until: now + 1000 })).toEqual(['e', 'c', 'd', 'b', 'a']);
    expect(await cmds(s.r1)).toEqual(['c', 'b']);
    expect(await cmds(s.u1)).toEqual(['b']);
    expect(await cmds(ADMIN_SCOPE, { user: 'u3' })).toEqual(['d']);
    expect(await cmds(ADMIN_SCOPE, { filter_severity_info: false })).toEqual(['c', 'd']);
    expect(await cmds(ADMIN_SCOPE, { filter_severity_info: false, filter_severity_error: false, filter_severity_notice: false })).toEqual([]);
    expect(await errcodeOf(logs.list(s.u1, { ...page, user: 'u2' }))).toBe('invalid_argument_user');
  });

  it('searches the documented members and filters by install', async () => {
    const { logs } = t.engine;
    await logs.write({ user: 'u1', cmd: 'x', message: 'm', install: 'i1', title: 'My Shop', plugin_name: 'WooCommerce' });
    await logs.write({ user: 'u1', cmd: 'y', message: 'woo in message only', install: 'i2' });
    const q = async (query: Record<string, unknown>) => (await logs.list(ADMIN_SCOPE, { ...page, ...query })).items.map((e) => e.cmd);
    expect(await q({ q: 'woo' })).toEqual(['x']);
    expect(await q({ q: 'my shop' })).toEqual(['x']);
    expect(await q({ install: 'i2' })).toEqual(['y']);
  });
});
