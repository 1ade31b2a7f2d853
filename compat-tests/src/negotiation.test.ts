import request from 'supertest';
import { toV2Data } from '@installgate/adapter-v1';
import { KEY, seedAccounts, startHarness, type Harness } from './harness';

let h: Harness;
beforeAll(async () => { h = await startHarness(); await seedAccounts(h); });
afterAll(async () => { await h.close(); });

const ID = 'aliceinstall0000000000001';

describe('negotiation matrix (spec §4.6): request style × data version', () => {
  test('cmd request, no marker → data 1.0, v1 envelope, HTTP 200', async () => {
    const r = await h.v1({ cmd: 'view', id: ID });
    expect(r.status).toBe(200);
    expect(r.headers['x-api-version']).toBe('1.0');
    expect(Object.keys(r.body)).toEqual(['result', 'errcode', 'message', 'data']);
    expect(r.body.data.installer).toBe('wordpress');
    expect(r.body.data['list-files']).toEqual(expect.any(Array));
    expect(r.body.data.autoup).toBe(1);
    expect(r.body.data.application).toBeUndefined();
  });

  test.each([
    ['header X-API-Version: 2.0', { 'X-API-Version': '2.0' }, {}],
    ['query api_version=2.0', {}, { api_version: '2.0' }],
  ])('cmd request + %s → v2 data and envelope', async (_n, headers, extra) => {
    const r = await h.v1({ cmd: 'view', id: ID, ...extra }, headers);
    expect(r.status).toBe(200);
    expect(r.headers['x-api-version']).toBe('2.0');
    expect(Object.keys(r.body)).toEqual(['result', 'status', 'errcode', 'errfield', 'message', 'data']);
    expect(r.body.data.application).toBe('wordpress');
    expect(r.body.data.autoup).toBe('minor');
  });

  test('REST, no marker → data 2.0', async () => {
    const r = await h.v2('get', `/installs/${ID}`);
    expect(r.status).toBe(200);
    expect(r.headers['x-api-version']).toBe('2.0');
    expect(r.body.data.files).toEqual(expect.any(Array));
    expect(r.body.data.autoup).toBe('minor');
  });

  test.each([
    ['header X-API-Version: 1.0', (t: import('supertest').Test) => t.set('X-API-Version', '1.0'), ''],
    ['query api_version=1.0', (t: import('supertest').Test) => t, '?api_version=1.0'],
  ])('REST + %s → v2 routing and envelope, v1 data', async (_n, decorate, qs) => {
    const r = await decorate(h.v2('get', `/installs/${ID}${qs}`));
    expect(r.status).toBe(200);
    expect(r.headers['x-api-version']).toBe('1.0');
    expect(r.body.status).toBe(200);
    expect(r.body.data.installer).toBe('wordpress');
    expect(r.body.data.autoup).toBe(1);
    const v2 = await h.v2('get', `/installs/${ID}`);
    expect(toV2Data('install', r.body.data)).toEqual(v2.body.data);
  });

  test('REST + 1.0 keeps v2 HTTP statuses on errors', async () => {
    const r = await h.v2('get', '/installs/nosuchinstall').set('X-API-Version', '1.0');
    expect(r.status).toBe(404);
    expect(r.body).toMatchObject({ result: false, status: 404, errcode: 'install_not_found' });
  });

  test('cmd errors: HTTP 200 + result false in 1.0, the real status in 2.0', async () => {
    const v1 = await h.v1({ cmd: 'view', id: 'nosuchinstall' });
    expect(v1.status).toBe(200);
    expect(v1.body).toEqual({ result: false, errcode: 'install_not_found', message: expect.any(String) });
    const v2 = await h.v1({ cmd: 'view', id: 'nosuchinstall', api_version: '2.0' });
    expect(v2.status).toBe(404);
    expect(v2.body).toMatchObject({ result: false, status: 404, errcode: 'install_not_found', errfield: 'id' });
  });

  test('the header wins over the query', async () => {
    const r = await h.v2('get', `/installs/${ID}?api_version=1.0`).set('X-API-Version', '2.0');
    expect(r.headers['x-api-version']).toBe('2.0');
    expect(r.body.data.application).toBe('wordpress');
  });

  test.each([
    ['REST header', (t: import('supertest').Test) => t.set('X-API-Version', '3.0'), '/installs'],
    ['REST query', (t: import('supertest').Test) => t, '/installs?api_version=banana'],
  ])('an unknown version is 400 invalid_argument_api_version (%s)', async (_n, decorate, url) => {
    const r = await decorate(h.v2('get', url));
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ result: false, status: 400, errcode: 'invalid_argument_api_version', errfield: 'api_version' });
  });

  test('an unknown version on a cmd request is also a 400', async () => {
    const r = await h.v1({ cmd: 'installs' }, { 'X-API-Version': '9' });
    expect(r.status).toBe(400);
    expect(r.body.errcode).toBe('invalid_argument_api_version');
  });

  test('v1 POST with a JSON document as the raw body, and with a form body', async () => {
    const json = await request(h.app).post('/').set('Content-Type', 'text/plain').send(JSON.stringify({ api: 'json', cmd: 'view', id: ID, key: KEY }));
    expect(json.body).toMatchObject({ result: true, data: { id: ID, installer: 'wordpress' } });
    const form = await request(h.app).post('/').type('form').send({ api: 'json', cmd: 'view', id: ID, key: KEY });
    expect(form.body).toMatchObject({ result: true, data: { id: ID } });
    const qsAndBody = await request(h.app).post('/?api=json&cmd=view').type('form').send({ id: ID, key: KEY });
    expect(qsAndBody.body).toMatchObject({ result: true, data: { id: ID } });
  });

  test('X-HTTP-Method-Override on POST (the seed example of GET /backups/{id})', async () => {
    const r = await h.v2('post', '/backups/alicebackup00000000000001').set('X-HTTP-Method-Override', 'GET').set('Accept', 'application/json');
    expect(r.status).toBe(200);
    expect(r.body.data.backup_note).toBe('before the redesign');
    const bad = await h.v2('post', '/backups/alicebackup00000000000001').set('X-HTTP-Method-Override', 'PATCH');
    expect(bad.status).toBe(405);
    expect(bad.body.errcode).toBe('invalid_argument_method_override');
  });

  test('unknown routes and methods, unknown and missing cmd', async () => {
    const nf = await h.v2('get', '/nothing/here');
    expect(nf.status).toBe(404);
    expect(nf.body).toMatchObject({ result: false, errcode: 'route_not_found' });
    const put = await request(h.app).put('/installs').set('X-API-KEY', KEY);
    expect(put.status).toBe(405);
    expect(put.headers.allow).toBe('GET');
    expect(put.body.errcode).toBe('method_not_allowed');
    const unknown = await h.v1({ cmd: 'frobnicate' });
    expect(unknown.body).toMatchObject({ result: false, errcode: 'invalid_argument_cmd' });
    const unknown2 = await h.v1({ cmd: 'frobnicate', api_version: '2.0' });
    expect(unknown2.status).toBe(400);
    expect(unknown2.body).toMatchObject({ errcode: 'invalid_argument_cmd', errfield: 'cmd' });
    const missing = await h.v1({});
    expect(missing.body).toMatchObject({ result: false, errcode: 'empty_argument_cmd' });
  });

  test('malformed JSON is a 400 envelope, never a 500', async () => {
    const r = await h.v2('post', `/installs/${ID}`).set('Content-Type', 'application/json').send('{"autoup": ');
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ result: false, status: 400, errcode: 'invalid_json' });
  });
});
