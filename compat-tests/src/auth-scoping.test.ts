import request from 'supertest';
import { V2_ROUTES } from '@installgate/contracts';
import { KEY2, seedAccounts, startHarness, type Harness } from './harness';

let h: Harness;
beforeAll(async () => { h = await startHarness(); await seedAccounts(h); });
afterAll(async () => { await h.close(); });

describe('authentication (spec §1.3)', () => {
  test.each([
    ['no key', undefined],
    ['a wrong key', 'nope-nope-nope'],
    ['an empty key', ''],
  ])('v2 with %s → 403 invalid_api_key', async (_n, key) => {
    const t = request(h.app).get('/installs');
    if (key !== undefined) t.set('X-API-KEY', key);
    const r = await t;
    expect(r.status).toBe(403);
    expect(r.body).toEqual({ result: false, status: 403, errcode: 'invalid_api_key', errfield: null, message: expect.any(String) });
  });

  test('key2 is as valid as key; header names are case-insensitive', async () => {
    const r = await request(h.app).get('/installs').set('x-api-key', KEY2);
    expect(r.status).toBe(200);
  });

  test('v1 accepts the key as a parameter; a wrong one is a v1 envelope with HTTP 200', async () => {
    const ok = await request(h.app).get(`/?api=json&cmd=installs&key=${KEY2}`);
    expect(ok.body.result).toBe(true);
    const bad = await request(h.app).get('/?api=json&cmd=installs&key=wrong');
    expect(bad.status).toBe(200);
    expect(bad.body).toEqual({ result: false, errcode: 'invalid_api_key', message: expect.any(String) });
    const bad2 = await request(h.app).get('/?api=json&cmd=installs&key=wrong&api_version=2.0');
    expect(bad2.status).toBe(403);
  });

  test('v2 does not take the key from a parameter', async () => {
    const r = await request(h.app).get(`/installs?key=${KEY2}`);
    expect(r.status).toBe(403);
  });

  test('an unauthenticated caller learns nothing, not even about a bad api_version', async () => {
    const r = await request(h.app).get('/installs').set('X-API-Version', '7.0');
    expect(r.status).toBe(403);
    expect(r.body.errcode).toBe('invalid_api_key');
  });

  test('every route refuses a missing key', async () => {
    for (const route of V2_ROUTES) {
      const url = route.path.replace(':id', 'aliceinstall0000000000001').replace(':slug', 'akismet');
      const r = await (request(h.app) as unknown as Record<string, (u: string) => request.Test>)[route.method.toLowerCase()]!(url);
      expect([route.op, r.status, r.body.errcode]).toEqual([route.op, 403, 'invalid_api_key']);
    }
  });
});

describe('scoping with the user parameter (spec §1.9)', () => {
  test('unknown user → 404 user_not_found (v2) / v1 envelope', async () => {
    const r = await h.v2('get', '/installs?user=nobody');
    expect(r.status).toBe(404);
    expect(r.body).toMatchObject({ errcode: 'user_not_found', errfield: 'user' });
    const v1 = await h.v1({ cmd: 'installs', user: 'nobody' });
    expect(v1.body).toMatchObject({ result: false, errcode: 'user_not_found' });
  });

  test('a user sees only its own installs; another user\'s install is 403 invalid_argument_user', async () => {
    const own = await h.v2('get', '/installs?user=alice');
    expect(own.body.data.map((i: { user: string }) => i.user)).toEqual(['alice', 'alice']);
    const other = await h.v2('get', '/installs/bobinstall000000000000001?user=alice');
    expect(other.status).toBe(403);
    expect(other.body).toMatchObject({ errcode: 'invalid_argument_user', errfield: 'user' });
    const v1 = await h.v1({ cmd: 'view', id: 'bobinstall000000000000001', user: 'alice' });
    expect(v1.body).toMatchObject({ result: false, errcode: 'invalid_argument_user' });
  });

  test('a reseller reaches its accounts but not others', async () => {
    const mine = await h.v2('get', '/installs/aliceinstall0000000000001?user=res1');
    expect(mine.status).toBe(200);
    const notMine = await h.v2('get', '/installs/bobinstall000000000000001?user=res1');
    expect(notMine.status).toBe(403);
    const owned = await h.v2('get', '/installs?user=res1&filter_ownedaccounts=true');
    expect(owned.body.data.map((i: { user: string }) => i.user).sort()).toEqual(['alice', 'alice']);
    const v1Owned = await h.v1({ cmd: 'installs', user: 'res1', 'filter-ownedaccounts': '' });
    expect(v1Owned.body.data.map((i: { owner: string }) => i.owner)).toEqual(['alice', 'alice']);
    const usersOfReseller = await h.v2('get', '/users?user=res1');
    expect(usersOfReseller.body.data.map((u: { id: string }) => u.id).sort()).toEqual(['alice', 'res1']);
    const bob = await h.v2('get', '/users/bob?user=res1');
    expect(bob.status).toBe(403);
  });

  test('the key holder (main admin) sees everything', async () => {
    const all = await h.v2('get', '/installs');
    expect(all.body.total_count).toBe(3);
  });

  test('backups, templates, tasks and logs are scoped the same way', async () => {
    expect((await h.v2('get', '/backups/alicebackup00000000000001?user=bob')).status).toBe(403);
    expect((await h.v2('get', '/backups?user=bob')).body.data).toEqual([]);
    expect((await h.v2('get', '/backups?user=alice')).body.total_count).toBe(1);
    expect((await h.v2('post', '/templates/alicetemplate000000000001?user=bob').send({ name: 'x' })).status).toBe(403);
    expect((await h.v2('get', '/tasks?user=nobody')).status).toBe(404);
    expect((await h.v2('get', '/logs?user=nobody')).status).toBe(404);
  });
});
