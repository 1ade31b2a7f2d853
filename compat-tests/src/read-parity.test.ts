import { toV2Data } from '@installgate/adapter-v1';
import type { DataResource } from '@installgate/contracts';
import { seedAccounts, startHarness, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  await seedAccounts(h);
  // Activity so that logs and tasks have rows.
  await h.v2('post', '/installs/aliceinstall0000000000001').send({ autoup: 'all', notification: ['update', 'update_error'] });
  await h.v2('post', '/backups/alicebackup00000000000001').send({ backup_note: 'kept' });
  await h.engine.tasks.create({ cmd: 'installs/backup', user: 'alice', installId: 'aliceinstall0000000000001', url: 'http://alice.example/blog', title: 'Alice blog', wsLabel: 'alice.example', label: '_tasks_backuping', payload: {} });
});
afterAll(async () => { await h.close(); });

/** The same read through v1 (cmd, data 1.0) and v2 (REST, data 2.0) must agree once v1 data is translated up. */
const CASES: [string, Record<string, string>, string, DataResource][] = [
  ['installs', { cmd: 'installs' }, '/installs', 'install'],
  ['installs of a user', { cmd: 'installs', user: 'alice' }, '/installs?user=alice', 'install'],
  ['installs search', { cmd: 'installs', q: 'shop' }, '/installs?q=shop', 'install'],
  ['installs filter (update available)', { cmd: 'installs', 'filter-version-available': 'yes' }, '/installs?filter_version_available=true', 'install'],
  ['installs filter (minor)', { cmd: 'installs', 'filter-version-available-minor': 'yes' }, '/installs?filter_version_available_minor=true', 'install'],
  ['installs by id', { cmd: 'installs', id: 'bobinstall000000000000001' }, '/installs?id=bobinstall000000000000001', 'install'],
  ['installs, owned accounts', { cmd: 'installs', user: 'res1', 'filter-ownedaccounts': '' }, '/installs?user=res1&filter_ownedaccounts=true', 'install'],
  ['one install', { cmd: 'view', id: 'aliceinstall0000000000001' }, '/installs/aliceinstall0000000000001', 'install'],
  ['one install (addons)', { cmd: 'view', id: 'aliceinstall0000000000001', addons: '1' }, '/installs/aliceinstall0000000000001', 'install'],
  ['backups', { cmd: 'backups' }, '/backups', 'backup'],
  ['backups of an install', { cmd: 'backups', pid: 'aliceinstall0000000000001' }, '/backups?pid=aliceinstall0000000000001', 'backup'],
  ['one backup', { cmd: 'backups', id: 'alicebackup00000000000001' }, '/backups/alicebackup00000000000001', 'backup'],
  ['templates', { cmd: 'templates' }, '/templates', 'template'],
  ['templates of a user', { cmd: 'templates', user: 'alice' }, '/templates?user=alice', 'template'],
  ['tasks', { cmd: 'tasks' }, '/tasks', 'task'],
  ['logs', { cmd: 'logs' }, '/logs', 'log'],
  ['logs of an install', { cmd: 'logs', install: 'aliceinstall0000000000001' }, '/logs?install=aliceinstall0000000000001', 'log'],
  ['users', { cmd: 'users' }, '/users', 'user'],
];

describe('read endpoints: v1 and v2 agree after translation', () => {
  test.each(CASES)('%s', async (_name, v1Params, v2Url, resource) => {
    const [v1, v2] = await Promise.all([h.v1(v1Params), h.v2('get', v2Url)]);
    expect(v1.status).toBe(200);
    expect(v2.status).toBe(200);
    expect(v1.body.result).toBe(true);
    expect(v2.body.result).toBe(true);
    expect(toV2Data(resource, v1.body.data)).toEqual(v2.body.data);
    if (Array.isArray(v2.body.data)) expect(v2.body.data.length).toBeGreaterThan(0);
  });

  test.each([
    ['backup locations', '/set/backup_locations', 'location'],
    ['backup schedules', '/set/backup_schedules', 'schedule'],
  ] as const)('%s (no v1 command): data 1.0 and 2.0 agree', async (_n, url, resource) => {
    const [v1, v2] = await Promise.all([h.v2('get', url).set('X-API-Version', '1.0'), h.v2('get', url)]);
    expect(toV2Data(resource, v1.body.data)).toEqual(v2.body.data);
    expect(v2.body.data.length).toBeGreaterThan(0);
  });

  test('lists report total_count and has_more in v2, and page with offset/limit', async () => {
    const p1 = await h.v2('get', '/installs?limit=2');
    expect(p1.body).toMatchObject({ total_count: 3, has_more: true });
    expect(p1.body.data).toHaveLength(2);
    const p2 = await h.v2('get', '/installs?limit=2&offset=2');
    expect(p2.body).toMatchObject({ total_count: 3, has_more: false });
    expect(p2.body.data).toHaveLength(1);
    const ids = [...p1.body.data, ...p2.body.data].map((i: { id: string }) => i.id);
    expect(new Set(ids).size).toBe(3);
    expect(Object.keys(p1.body)).toEqual(['result', 'status', 'errcode', 'errfield', 'message', 'total_count', 'has_more', 'data']);
  });

  test.each([
    ['/installs?offset=-1', 'invalid_argument_offset', 'offset'],
    ['/installs?limit=0', 'invalid_argument_limit', 'limit'],
    ['/installs?limit=abc', 'invalid_argument_limit', 'limit'],
    ['/backups?offset=1.5', 'invalid_argument_offset', 'offset'],
    ['/logs?time_from=yesterday', 'invalid_argument_time_from', 'time_from'],
  ])('bad pagination or filter %s → 400 %s', async (url, errcode, errfield) => {
    const r = await h.v2('get', url);
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ result: false, status: 400, errcode, errfield });
  });
});
