import request from 'supertest';
import { openStore } from '@installgate/core';
import { KEY, seedAccounts, startHarness, type Harness } from './harness';

let h: Harness;
beforeAll(async () => { h = await startHarness(); await seedAccounts(h); });
afterAll(async () => { await h.close(); });

function strip(u: Record<string, unknown>): Record<string, unknown> {
  // Website ids are generated per call; compare everything else.
  return { ...u, id: undefined, websites: (u.websites as Record<string, unknown>[]).map((w) => ({ ...w, id: undefined })) };
}

describe('users: the same operation through v1 and v2 has the same effect', () => {
  test('create with websites: POST /users vs cmd=edituser', async () => {
    const websites = [{ path: '/srv/homes/carol', label: 'carol', vhosts: { 'http://carol.example': 'public_html' }, suspended: 'no' }];
    const v2 = await h.v2('post', '/users').send({ id: 'carol', email: 'c@example.com', type: 'user', websites });
    expect(v2.status).toBe(200);
    const v1 = await request(h.app).post('/').type('json').send({ api: 'json', cmd: 'edituser', key: KEY, user: 'dave', email: 'c@example.com', type: 'user',
      websites: [{ ...websites[0], path: '/srv/homes/carol' }] });
    expect(v1.body.result).toBe(true);
    const [c, d] = await Promise.all([h.v2('get', '/users/carol'), h.v2('get', '/users/dave')]);
    expect(strip({ ...d.body.data, id: 'x' })).toEqual(strip({ ...c.body.data, id: 'x' }));
    expect(c.body.data.websites[0]).toMatchObject({ path: '/srv/homes/carol', vhosts: { 'http://carol.example': 'public_html' }, suspended: false });
    // v1 data shows suspended as yes/no.
    const v1view = await h.v1({ cmd: 'users' });
    const carolV1 = v1view.body.data.find((u: { id: string }) => u.id === 'carol');
    expect(carolV1.suspended).toBe('no');
  });

  test('edit keeps omitted members; websites replaces the list', async () => {
    await h.v2('post', '/users/carol').send({ email: 'new@example.com' });
    const c = (await h.v2('get', '/users/carol')).body.data;
    expect(c.email).toBe('new@example.com');
    expect(c.websites).toHaveLength(1);
    await h.v1({ cmd: 'edituser', user: 'carol', 'websites[0][vhosts][http://c2.example]': 'www' });
    const c2 = (await h.v2('get', '/users/carol')).body.data;
    expect(Object.keys(c2.websites[0].vhosts)).toEqual(['http://c2.example']);
  });

  test('implicit user + websites on any v1 request (spec §4.7)', async () => {
    const r = await h.v1({ cmd: 'installs', user: 'erin', 'websites[0][vhosts][http://erin.example]': 'public_html' });
    expect(r.body).toMatchObject({ result: true, data: [] });
    const erin = await h.v2('get', '/users/erin');
    expect(erin.body.data.websites[0].vhosts).toEqual({ 'http://erin.example': 'public_html' });
  });

  test('delete: DELETE /users/{id} and cmd=deleteuser; dry run changes nothing', async () => {
    const dry = await h.v2('delete', '/users/carol?dryrun=all');
    expect(dry.body).toMatchObject({ result: true, errcode: 'complete_dryrun' });
    expect((await h.v2('get', '/users/carol')).status).toBe(200);
    expect((await h.v2('delete', '/users/carol')).body.result).toBe(true);
    expect((await h.v1({ cmd: 'deleteuser', user: 'dave' })).body.result).toBe(true);
    expect((await h.v2('get', '/users/carol')).status).toBe(404);
    expect((await h.v2('get', '/users/dave')).status).toBe(404);
    const noUser = await h.v1({ cmd: 'deleteuser', api_version: '2.0' });
    expect(noUser.status).toBe(400);
    expect(noUser.body).toMatchObject({ errcode: 'empty_argument_user', errfield: 'user' });
  });

  test('creating an existing user through POST /users is a clear conflict; a missing id is empty_argument_id', async () => {
    const dup = await h.v2('post', '/users').send({ id: 'alice' });
    expect(dup.status).toBe(409);
    expect(dup.body.errcode).toBe('user_exists');
    const none = await h.v2('post', '/users').send({ email: 'x@example.com' });
    expect(none.status).toBe(400);
    expect(none.body).toMatchObject({ errcode: 'empty_argument_id', errfield: 'id' });
  });
});

describe('install record edits through v1 and v2', () => {
  test('POST /installs/{id} and cmd=edit give the same record', async () => {
    await h.v2('post', '/installs/aliceinstall0000000000001').send({ autoup: 'all', autoup_plugins: 'none', notification: ['update', 'backup'], autobk: 'custom', autobk_daily: 3 });
    const a = (await h.v2('get', '/installs/aliceinstall0000000000001')).body.data;
    await h.v1({ cmd: 'edit', id: 'aliceinstall0000000000002', autoup: '2', autoup_plugins: '0', notification: 'update,backup', autobk: 'custom', autobk_daily: '3' });
    const b = (await h.v2('get', '/installs/aliceinstall0000000000002')).body.data;
    for (const k of ['autoup', 'autoup_plugins', 'notification', 'autobk', 'autobk_daily'] as const) expect([k, b[k]]).toEqual([k, a[k]]);
    expect(a).toMatchObject({ autoup: 'all', autoup_plugins: 'none', notification: ['update', 'backup'], autobk: 'custom', autobk_daily: 3 });
  });

  test('autoup: v1 1 is minor; custom is accepted as minor; never emitted', async () => {
    await h.v1({ cmd: 'edit', id: 'aliceinstall0000000000001', autoup: '1' });
    expect((await h.v2('get', '/installs/aliceinstall0000000000001')).body.data.autoup).toBe('minor');
    await h.v2('post', '/installs/aliceinstall0000000000001').send({ autoup: 'all' });
    await h.v2('post', '/installs/aliceinstall0000000000001').send({ autoup: 'custom' });
    expect((await h.v2('get', '/installs/aliceinstall0000000000001')).body.data.autoup).toBe('minor');
  });

  test('a v1 edit never clears a v2-only field', async () => {
    await h.v2('post', '/installs/aliceinstall0000000000001').send({ autobk: 'schedule', autobk_schedule: 'daily30', autoup_themes: 'custom' });
    await h.v1({ cmd: 'edit', id: 'aliceinstall0000000000001', autoup: '0' });
    const rec = (await h.v2('get', '/installs/aliceinstall0000000000001')).body.data;
    expect(rec).toMatchObject({ autoup: 'none', autobk: 'schedule', autobk_schedule: 'daily30', autoup_themes: 'custom' });
  });

  test('bad values name their field', async () => {
    const r = await h.v2('post', '/installs/aliceinstall0000000000001').send({ autoup: 'sometimes' });
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ errcode: 'invalid_argument_autoup', errfield: 'autoup' });
    const n = await h.v2('post', '/installs/aliceinstall0000000000001').send({ notification: ['update', 'party'] });
    expect(n.body).toMatchObject({ errcode: 'invalid_argument_notification', errfield: 'notification' });
    const s = await h.v2('post', '/installs/aliceinstall0000000000001').send({ autobk: 'schedule', autobk_schedule: 'nosuchschedule' });
    expect(s.status).toBe(404);
    expect(s.body.errcode).toBe('schedule_not_found');
    const v1 = await h.v1({ cmd: 'edit', id: 'aliceinstall0000000000001', autoup: '7' });
    expect(v1.body).toMatchObject({ result: false, errcode: 'invalid_argument_autoup' });
  });

  test('moving an install whose folder is gone fails as the spec says; nothing changes', async () => {
    const before = (await h.v2('get', '/installs/aliceinstall0000000000001')).body.data;
    const r = await h.v2('post', '/installs/aliceinstall0000000000001').send({ autoup: 'all', url: 'http://alice.example/elsewhere' });
    expect(r.status).toBe(500);
    expect(r.body).toMatchObject({ errcode: 'failed_filesystem_directory' });
    expect((await h.v2('get', '/installs/aliceinstall0000000000001')).body.data).toEqual(before);
  });

  test('an app-level edit of an install whose folder is gone fails as the spec says; the record is unchanged', async () => {
    const before = (await h.v2('get', '/installs/aliceinstall0000000000001')).body.data;
    const r = await h.v2('post', '/installs/aliceinstall0000000000001').send({ autoup: 'all', passwd: 'n3w-Secret!' });
    expect(r.status).toBe(500);
    expect(r.body).toMatchObject({ errcode: 'failed_filesystem_directory' });
    expect(JSON.stringify(r.body)).not.toContain('n3w-Secret!');
    expect((await h.v2('get', '/installs/aliceinstall0000000000001')).body.data).toEqual(before);
  });

  test('backup note edit through v1 and v2', async () => {
    await h.v1({ cmd: 'editbackup', id: 'alicebackup00000000000001', backup_note: 'from v1' });
    expect((await h.v2('get', '/backups/alicebackup00000000000001')).body.data.backup_note).toBe('from v1');
    const r = await h.v2('post', '/backups/alicebackup00000000000001').send({ backup_note: 'from v2', expiry: 7 });
    expect(r.body.data.backup_note).toBe('from v2');
    expect(r.body.data.backup_expires).toBeGreaterThan(Math.floor(Date.now() / 1000) + 6 * 86400);
  });

  test('template edit and delete through v1 and v2', async () => {
    await h.v1({ cmd: 'edittemplate', id: 'alicetemplate000000000001', name: 'Renamed', scope: 'admin' });
    const t = (await h.v2('get', '/templates?user=alice')).body.data[0];
    expect(t).toMatchObject({ template_name: 'Renamed', template_scope: 'admin' });
    expect((await h.v1({ cmd: 'deletetemplate', id: 'alicetemplate000000000001' })).body.result).toBe(true);
    expect((await h.v2('get', '/templates?user=alice')).body.data).toEqual([]);
  });

  test('detach (v2) and edit delete=true (v1) forget the install, delete-backups forgets its backups', async () => {
    await h.v1({ cmd: 'edit', id: 'aliceinstall0000000000001', 'delete-backups': 'true' });
    expect((await h.v2('get', '/backups?pid=aliceinstall0000000000001')).body.data).toEqual([]);
    expect((await h.v1({ cmd: 'edit', id: 'aliceinstall0000000000001', delete: 'true' })).body.result).toBe(true);
    expect((await h.v2('get', '/installs/aliceinstall0000000000001')).status).toBe(404);
    expect((await h.v2('post', '/installs/aliceinstall0000000000002/detach')).body.result).toBe(true);
    expect((await h.v1({ cmd: 'view', id: 'aliceinstall0000000000002' })).body.errcode).toBe('install_not_found');
  });
});

describe('logs: every mutating call writes an entry; secrets never appear', () => {
  test('entries are readable through GET /logs and cmd=logs, and contain no secret', async () => {
    await h.v2('post', '/users/frank').send({ websites: [{ path: 'sftp://frank:Sup3r-S3cret@files.example/home/frank', vhosts: { 'http://frank.example': 'public_html' }, databases: [{ name: 'db', user: 'u', pass: 'DbPa55-S3cret' }] }] });
    const logs = await h.v2('get', '/logs?user=frank');
    expect(logs.body.total_count).toBeGreaterThan(0);
    const all = JSON.stringify((await h.v2('get', '/logs?limit=1000')).body) + JSON.stringify((await h.v1({ cmd: 'logs', limit: '1000' })).body) + h.logLines.join('\n');
    expect(all).not.toContain('Sup3r-S3cret');
    expect(all).not.toContain('DbPa55-S3cret');
    expect(all).not.toContain(KEY);
  });
});

describe('websites at rest (spec §8.2: the whole URI is encrypted in the database)', () => {
  test('a URI home with URL-encoded user and password comes back exactly as sent (v2 and v1); the database file holds neither', async () => {
    const home = 'sftp://a%40b:p%3Aa%2Fss%25word%40@files.example:2222/home/gina';
    const created = await h.v2('post', '/users/gina').send({ websites: [{ path: home, vhosts: { 'http://gina.example': 'public_html' }, databases: [{ name: 'db', user: 'u', pass: 'Gina-DbPass' }] }] });
    expect(created.status).toBe(200);
    expect((await h.v2('get', '/users/gina')).body.data.websites[0]).toMatchObject({ path: home, databases: [{ pass: 'Gina-DbPass' }] });
    const v1 = (await h.v1({ cmd: 'users' })).body.data.find((u: { id: string }) => u.id === 'gina');
    expect(v1.websites[0].path).toBe(home);
    const db = openStore({ client: 'sqlite3', filename: h.settings.state_db });
    try {
      const raw = JSON.stringify(await db('websites').where({ user_id: 'gina' }).select('*'));
      expect(raw).not.toMatch(/p%3Aa%2Fss%25word%40|files\.example|Gina-DbPass/);
    } finally {
      await db.destroy();
    }
  });
});
