import * as fc from 'fast-check';
import request from 'supertest';
import { isErrcode, V2_ROUTES } from '@installgate/contracts';
import { NOT_YET_AVAILABLE } from '@installgate/server';
import { KEY, seedAccounts, startHarness, type Harness } from './harness';

/**
 * Random and malformed parameters on every route, both protocols: the answer is always an envelope with a
 * catalogued errcode and a 2xx/4xx status — never a 500, a crash or a hang. Operations that are not in this
 * release yet may also answer 501 `not_implemented`, but only after their input was accepted.
 */
let h: Harness;
beforeAll(async () => { h = await startHarness(); await seedAccounts(h); });
afterAll(async () => { await h.close(); });

const PARAM_NAMES = [
  'user', 'id', 'q', 'offset', 'limit', 'url', 'version', 'autoup', 'autoup_backup', 'autoup_plugins', 'autoup_themes',
  'notification', 'autobk', 'autobk_schedule', 'autobk_daily', 'bkloc', 'dryrun', 'background', 'delete', 'delete_backups',
  'filter_version_available', 'filter_ownedaccounts', 'filter-ownedaccounts', 'pid', 'backup_note', 'expiry', 'name', 'scope',
  'type', 'parent', 'suspended', 'websites', 'email', 'restart', 'time_from', 'install', 'group', 'api_version', 'exclude_files',
  'application', 'source_url', 'plugin', 'theme', 'revert', 'force', 'db_pass', 'login', '__proto__', 'constructor',
];

const weirdString = fc.oneof(
  fc.string(), fc.constantFrom('', ' ', '-1', '0', '1', '2', 'yes', 'no', 'true', 'quick', 'all', 'none', 'minor', 'custom',
    '../../etc/passwd', '%', '%zz', '\u0000', '😀', 'a'.repeat(5000), 'alice', 'res1', 'bob', 'aliceinstall0000000000001', 'http://alice.example/x'),
);
const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  v: fc.oneof({ depthSize: 'small' }, weirdString, fc.integer(), fc.double(), fc.boolean(), fc.constant(null),
    fc.array(tie('v'), { maxLength: 3 }), fc.dictionary(fc.oneof(fc.constantFrom(...PARAM_NAMES), fc.string()), tie('v'), { maxKeys: 3 })),
})).v;
const params = fc.dictionary(fc.oneof(fc.constantFrom(...PARAM_NAMES), fc.string({ maxLength: 12 })), value, { maxKeys: 6 });
// `import` is left out: POST /backups/import is its own operation, not backups.edit of a backup called import.
const pathId = fc.oneof(fc.constantFrom('aliceinstall0000000000001', 'alicebackup00000000000001', 'alicetemplate000000000001', 'alice', 'nobody'), fc.string({ minLength: 1, maxLength: 40 }))
  .filter((s) => s !== 'import');

function expectEnvelope(op: string, status: number, body: Record<string, unknown>): void {
  // 501 only from operations not in this release, or from a move to a URL whose website is on another server
  // (remote websites are not in this release) — and only after the value itself was accepted.
  const notYet = op in NOT_YET_AVAILABLE || (body.errfield === 'url' && /other servers/.test(String(body.message)));
  const allowed501 = notYet && status === 501 && body.errcode === 'not_implemented';
  // A documented server-side condition (spec §1.11: failed_filesystem_*, failed_website_vhost …) is a 5xx by
  // definition, e.g. the fixture installs here have no folder on disk. internal_error never is acceptable.
  const documented5xx = status >= 500 && status !== 501 && /^failed_/.test(String(body.errcode));
  expect([op, status < 500 || allowed501 || documented5xx]).toEqual([op, true]);
  expect(typeof body.result).toBe('boolean');
  expect(typeof body.message).toBe('string');
  if (body.result === false) expect([op, isErrcode(String(body.errcode))]).toEqual([op, true]);
}

function toQuery(p: Record<string, unknown>): string {
  return Object.entries(p).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(typeof v === 'string' ? v : JSON.stringify(v))}`).join('&');
}

describe('fuzz: random parameters on every v2 route', () => {
  // Routes that would change real applications are fuzzed too: the fixture installs have no files, so they stop at
  // their first check of the disk, and new installs find no website for random URLs.
  test.each(V2_ROUTES.map((r) => [r.op, r] as const))('%s', async (_op, route) => {
    await fc.assert(fc.asyncProperty(params, pathId, pathId, fc.boolean(), async (p, id, slug, asJson) => {
      const url = route.path.replace(':id', encodeURIComponent(id)).replace(':slug', encodeURIComponent(slug));
      let t: request.Test;
      if (route.method === 'GET') t = request(h.app).get(`${url}?${toQuery(p)}`);
      else if (route.method === 'DELETE') t = request(h.app).delete(`${url}?${toQuery(p)}`);
      else t = asJson ? request(h.app).post(url).send(p) : request(h.app).post(url).type('form').send(toQuery(p));
      const r = await t.set('X-API-KEY', KEY);
      expectEnvelope(route.op, r.status, r.body);
    }), { numRuns: 25 });
  });
});

describe('fuzz: random v1 commands', () => {
  const CMDS = ['browser', 'install', 'import', 'migrate', 'installs', 'view', 'edit', 'backup', 'update', 'upgrade', 'template',
    'clone', 'sync', 'createadminsso', 'detach', 'uninstall', 'backups', 'editbackup', 'restore', 'restoreto', 'delete',
    'importbackup', 'templates', 'edittemplate', 'deletetemplate', 'users', 'edituser', 'guixfer', 'deleteuser', 'logs', 'tasks', 'nonsense'];
  const SELECTORS = ['list-plugins', 'install-plugin', 'activate-plugin', 'auotup-theme', 'uninstall-theme', 'list-themes'];
  test('every cmd with random parameters answers a v1 envelope with HTTP 200', async () => {
    await fc.assert(fc.asyncProperty(fc.constantFrom(...CMDS), params, fc.option(fc.constantFrom(...SELECTORS)), weirdString, async (cmd, p, sel, selValue) => {
      const q: Record<string, unknown> = { ...p, api: 'json', cmd, key: KEY };
      if (sel) q[sel] = selValue;
      delete q.api_version;
      const r = await request(h.app).get(`/?${toQuery(q)}`);
      expect(r.status).toBe(200);
      expect(typeof r.body.result).toBe('boolean');
      if (r.body.result === false) expect([cmd, isErrcode(String(r.body.errcode))]).toEqual([cmd, true]);
    }), { numRuns: 300 });
  });
});

describe('malformed requests', () => {
  test.each([
    ['truncated JSON', 'application/json', '{"user": "alice"'],
    ['JSON array', 'application/json', '[1,2,3]'],
    ['JSON string', 'application/json', '"alice"'],
    ['binary garbage', 'application/octet-stream', '\u0000\u0001\u0002{'],
    ['deeply nested form', 'application/x-www-form-urlencoded', 'a' + '[x]'.repeat(200) + '=1'],
    ['multipart', 'multipart/form-data; boundary=zzz', '--zzz--'],
  ])('%s → 4xx envelope', async (_n, type, body) => {
    // POST /users needs an `id`: whatever a malformed body is read as, the answer must be a clean 4xx. (It used
    // to target an install edit, which is a 200 no-op when the body carries nothing — and a 404 when the fuzz
    // runs above happened to uninstall that fixture: the outcome depended on their random draw.)
    const r = await request(h.app).post('/users').set('X-API-KEY', KEY).set('Content-Type', type).send(body);
    expect(r.status).toBeGreaterThanOrEqual(400);
    expect(r.status).toBeLessThan(500);
    expect(r.body.result).toBe(false);
  });

  test('a body over the size limit is 413', async () => {
    const r = await request(h.app).post('/users').set('X-API-KEY', KEY).set('Content-Type', 'application/json').send(`{"id":"x","email":"${'a'.repeat(11 * 1024 * 1024)}"}`);
    expect(r.status).toBe(413);
    expect(r.body.errcode).toBe('payload_too_large');
  });

  test('a malformed %-escape in the path is a 400', async () => {
    const r = await request(h.app).get('/installs/%E0%A4%A').set('X-API-KEY', KEY);
    expect(r.status).toBe(400);
    expect(r.body.result).toBe(false);
  });
});
