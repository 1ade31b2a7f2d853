import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import request from 'supertest';
import { toV2Data } from '@installgate/adapter-v1';
import { zApplicationVersion } from '@installgate/contracts';
import { DEFAULT_MIRROR_DIR } from '@installgate/core';
import { createMemoryLogger, loadSettings, startServer } from '@installgate/server';
import { KEY, seedAccounts, startHarness, type Harness } from './harness';

// @installgate/testkit is not a dependency of compat-tests, so tsc cannot resolve it; jest maps every
// @installgate/* import to the package's src/ (jest.preset.js), so require() finds it at test time.
const { ensureMirror } = require('@installgate/testkit') as { ensureMirror: (dir?: string) => Promise<string> };

/**
 * The application catalog (GET /browser, GET /browser/{id}, v1 cmd=browser) over the shipped manifests and the
 * real application mirror: v1 and v2 answer the same records, v1 in its own shape, errors alike.
 */
let h: Harness;
beforeAll(async () => {
  await ensureMirror(DEFAULT_MIRROR_DIR);
  h = await startHarness();
  await seedAccounts(h);
}, 180_000);
afterAll(async () => { await h.close(); });

/** A v1 request with a raw query string (for PHP-style arrays, which a Record cannot hold twice). */
function v1Raw(query: string): request.Test {
  return request(h.app).get(`/?api=json&key=${KEY}&${query}`);
}

const versionsOf = (data: { id?: string; appid?: string; version: string }[]) => data.map((v) => `${v.id ?? v.appid}@${v.version}`);

describe('v1 cmd=browser and v2 /browser answer the same records', () => {
  const CASES: [string, string, string][] = [
    ['no application: the newest of each', 'cmd=browser', '/browser'],
    ['application=wordpress', 'cmd=browser&application=wordpress', '/browser/wordpress'],
    ['application[]=wordpress (an array of one)', 'cmd=browser&application[]=wordpress', '/browser/wordpress'],
    ['application[]=wordpress&application[]=testapp-db', 'cmd=browser&application[]=wordpress&application[]=testapp-db', '/browser?application=wordpress,testapp-db'],
    ['application=a comma list', 'cmd=browser&application=testapp-static,testapp-db', '/browser?application[]=testapp-db&application[]=testapp-static'],
    ['version=', 'cmd=browser&application=wordpress&version=6.4.5', '/browser/wordpress?version=6.4.5'],
    ['from-version= (v2 from_version)', 'cmd=browser&application=wordpress&from-version=6.3.5', '/browser/wordpress?from_version=6.3.5'],
    ['from-version= (v2 alias from-version)', 'cmd=browser&application=testapp-db&from-version=1.0.0', '/browser/testapp-db?from-version=1.0.0'],
    ['versions-available-from=', 'cmd=browser&application=testapp-db&versions-available-from=1.0.0', '/browser/testapp-db?versions_available_from=1.0.0'],
    ['versions-available-from= (v2 alias)', 'cmd=browser&application=wordpress&versions-available-from=6.4.3', '/browser/wordpress?versions-available-from=6.4.3'],
    ['language=en', 'cmd=browser&language=en', '/browser?language=en'],
    ['user scope', 'cmd=browser&user=alice', '/browser?user=alice'],
  ];

  test.each(CASES)('%s', async (_name, v1Query, v2Url) => {
    const [v1, v2] = await Promise.all([v1Raw(v1Query), h.v2('get', v2Url)]);
    expect([v1.status, v1.body.result, v1.body.errcode]).toEqual([200, true, null]);
    expect([v2.status, v2.body.result]).toEqual([200, true]);
    expect(toV2Data('application', v1.body.data)).toEqual(v2.body.data);
    if (Array.isArray(v2.body.data)) {
      expect(v2.body.data.length).toBeGreaterThan(0);
      for (const v of v2.body.data) expect(zApplicationVersion.safeParse(v)).toMatchObject({ success: true });
    }
  });
});

describe('GET /browser', () => {
  it('lists the newest installable version of each application, sorted by id, with total_count/has_more', async () => {
    const r = await h.v2('get', '/browser');
    expect(Object.keys(r.body)).toEqual(['result', 'status', 'errcode', 'errfield', 'message', 'total_count', 'has_more', 'data']);
    expect(r.body).toMatchObject({ result: true, status: 200, errcode: null, total_count: 3, has_more: false });
    expect(versionsOf(r.body.data)).toEqual(['testapp-db@2.0.0', 'testapp-static@1.1.0', 'wordpress@6.5.5']);
  });

  it('several applications: every version of each, by id, newest first', async () => {
    const r = await h.v2('get', '/browser?application=wordpress,testapp-static');
    expect(versionsOf(r.body.data)).toEqual([
      'testapp-static@1.1.0', 'testapp-static@1.0.0',
      'wordpress@6.5.5', 'wordpress@6.4.5', 'wordpress@6.3.5', 'wordpress@6.2.6', 'wordpress@6.1.9',
    ]);
    expect(r.body).toMatchObject({ total_count: 7, has_more: false });
  });

  it('pages with offset/limit', async () => {
    const p1 = await h.v2('get', '/browser?limit=2');
    expect(p1.body).toMatchObject({ total_count: 3, has_more: true });
    expect(versionsOf(p1.body.data)).toEqual(['testapp-db@2.0.0', 'testapp-static@1.1.0']);
    const p2 = await h.v2('get', '/browser?limit=2&offset=2');
    expect(p2.body).toMatchObject({ total_count: 3, has_more: false });
    expect(versionsOf(p2.body.data)).toEqual(['wordpress@6.5.5']);
  });
});

describe('GET /browser/{id}', () => {
  it('lists every version in the mirror, newest first, paged', async () => {
    const all = await h.v2('get', '/browser/wordpress');
    expect(versionsOf(all.body.data)).toEqual(['wordpress@6.5.5', 'wordpress@6.4.5', 'wordpress@6.3.5', 'wordpress@6.2.6', 'wordpress@6.1.9']);
    const p = await h.v2('get', '/browser/wordpress?offset=1&limit=2');
    expect(p.body).toMatchObject({ total_count: 5, has_more: true });
    expect(versionsOf(p.body.data)).toEqual(['wordpress@6.4.5', 'wordpress@6.3.5']);
  });

  it('the v2 record of WordPress 6.5.5', async () => {
    const r = await h.v2('get', '/browser/wordpress?version=6.5.5');
    expect(r.body.data).toHaveLength(1);
    expect(r.body.data[0]).toMatchObject({
      id: 'wordpress', version: '6.5.5', branch: 'current', name: 'WordPress', category: 'Content Management', type: 'blog',
      time: 1719187200, license: 'open source', tags: ['security', 'minor'], update: true, update_type: 'minor', install: true,
      links: { site: 'https://wordpress.org/' }, requirements: { php: '7.0.0-', mysql: '5.5.5-', diskspace: '60M', mysql_table_prefix: 'wp_' },
      languages: ['en'], images: [],
    });
    expect(r.body.data[0].fields.map((f: { id: string }) => f.id)).toEqual(['login', 'passwd', 'email', 'sitetitle', 'sitetagline']);
    expect(r.body.data[0]).not.toHaveProperty('upgrade_from');
  });

  it('from_version adds upgrade_from (manual: only on request; install false: not for new installs)', async () => {
    const r = await h.v2('get', '/browser/testapp-db?from_version=1.0.0');
    expect(r.body.data.map((v: Record<string, unknown>) => [v.version, v.upgrade_from, v.update_type, v.install])).toEqual([
      ['2.0.0', 'manual', 'major', true], ['1.1.0', 'major', 'major', true], ['1.0.1', 'minor', 'minor', false], ['1.0.0', 'none', 'major', true],
    ]);
  });

  it('versions_available_from answers the two lists instead of versions', async () => {
    const r = await h.v2('get', '/browser/wordpress?versions_available_from=6.4.3');
    expect(r.body.data).toEqual({ versions_available: ['6.5.5', '6.4.5'], versions_available_minor: ['6.4.5'] });
    expect(r.body).not.toHaveProperty('total_count');
  });
});

describe('v1 shapes', () => {
  it('records use v1 names and encodings: appid, link_*, date, upgrade, install auto/none', async () => {
    const r = await v1Raw('cmd=browser&application=testapp-db&from-version=1.0.0');
    expect(Object.keys(r.body)).toEqual(['result', 'errcode', 'message', 'data']);
    const byVersion = Object.fromEntries(r.body.data.map((v: Record<string, unknown>) => [v.version, v]));
    expect(byVersion['1.0.1']).toMatchObject({
      appid: 'testapp-db', date: '2025-02-12', upgrade: 'minor', install: 'none', upgrade_from: 'minor',
      link_site: 'https://installgate.invalid/apps/testapp-db', link_changelog: 'https://installgate.invalid/apps/testapp-db/changelog',
    });
    expect(byVersion['2.0.0']).toMatchObject({ date: '2025-11-04', upgrade: 'major', install: 'auto', upgrade_from: 'manual' });
    for (const v of r.body.data) {
      for (const v2Only of ['id', 'links', 'time', 'update', 'update_type']) expect(v).not.toHaveProperty(v2Only);
      expect(v.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
  });

  it('WordPress 6.1.9 carries its release date', async () => {
    const r = await h.v1({ cmd: 'browser', application: 'wordpress', version: '6.1.9' });
    expect(r.body.data).toEqual([expect.objectContaining({ appid: 'wordpress', version: '6.1.9', date: '2025-09-30', upgrade: 'minor', install: 'auto', link_faq: expect.any(String) })]);
  });

  it('versions-available-from answers versions-available and versions-available-minor', async () => {
    const r = await h.v1({ cmd: 'browser', application: 'testapp-db', 'versions-available-from': '1.0.0' });
    expect(r.body.data).toEqual({ 'versions-available': ['2.0.0', '1.1.0', '1.0.1'], 'versions-available-minor': ['1.0.1'] });
  });

  it('a REST request with X-API-Version: 1.0 gets the v1 data shape', async () => {
    const r = await h.v2('get', '/browser').set('X-API-Version', '1.0');
    expect(r.body.data.map((v: Record<string, unknown>) => v.appid)).toEqual(['testapp-db', 'testapp-static', 'wordpress']);
  });
});

describe('errors, both protocols', () => {
  // [name, v1 query, v2 url, errcode, errfield, v2 status]
  const ERRORS: [string, string, string, string, string, number][] = [
    ['unknown {id} on GET /browser/{id}', 'cmd=browser&application=drupal', '/browser/drupal', 'invalid_argument_id', 'id', 403],
    ['an {id} that is not an application id at all', 'cmd=browser&application=..%2Fetc', '/browser/..%2Fetc', 'invalid_argument_id', 'id', 403],
    ['unknown application in the GET /browser filter', 'cmd=browser&application=wordpress,drupal', '/browser?application=wordpress,drupal', 'application_not_found', 'application', 404],
    ['unknown application in a v1 array', 'cmd=browser&application[]=drupal&application[]=testapp-db', '/browser?application[]=drupal&application[]=testapp-db', 'application_not_found', 'application', 404],
    ['a version not in the catalog', 'cmd=browser&application=wordpress&version=6.6.0', '/browser/wordpress?version=6.6.0', 'invalid_argument_version', 'version', 400],
    ['a malformed version', 'cmd=browser&application=wordpress&version=latest', '/browser/wordpress?version=latest', 'invalid_argument_version', 'version', 400],
    ['a malformed from-version', 'cmd=browser&application=wordpress&from-version=6.x', '/browser/wordpress?from_version=6.x', 'invalid_argument_from_version', 'from_version', 400],
    ['a malformed versions-available-from', 'cmd=browser&application=wordpress&versions-available-from=new', '/browser/wordpress?versions_available_from=new', 'invalid_argument_versions_available_from', 'versions_available_from', 400],
    ['a malformed language', 'cmd=browser&language=..%2F', '/browser?language=..%2F', 'invalid_argument_language', 'language', 400],
    ['a negative offset', 'cmd=browser&application=wordpress&offset=-1', '/browser/wordpress?offset=-1', 'invalid_argument_offset', 'offset', 400],
    ['limit 0', 'cmd=browser&limit=0', '/browser?limit=0', 'invalid_argument_limit', 'limit', 400],
    ['an unknown user', 'cmd=browser&user=nobody', '/browser?user=nobody', 'user_not_found', 'user', 404],
  ];

  test.each(ERRORS)('%s', async (_name, v1Query, v2Url, errcode, errfield, status) => {
    const [v1, v1As2, v2] = await Promise.all([v1Raw(v1Query), v1Raw(`${v1Query}&api_version=2.0`), h.v2('get', v2Url)]);
    expect([v1.status, v1.body.result, v1.body.errcode]).toEqual([200, false, errcode]);
    expect(v1.body).not.toHaveProperty('errfield');
    expect([v1As2.status, v1As2.body.errcode, v1As2.body.errfield]).toEqual([status, errcode, errfield]);
    expect([v2.status, v2.body.result, v2.body.status, v2.body.errcode, v2.body.errfield]).toEqual([status, false, status, errcode, errfield]);
  });
});

describe('configuration: apps_dir / mirror_dir', () => {
  it('settings.ini apps_dir= / mirror_dir= (relative to the data directory), overridden by the environment', () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'ig-browser-settings-'));
    try {
      fs.writeFileSync(path.join(home, 'settings.ini'), 'key=compat-key-0123456789\napps_dir=my-apps\nmirror_dir=/srv/mirror\n');
      expect(loadSettings({ INSTALLGATE_HOME: home })).toMatchObject({ apps_dir: path.join(home, 'my-apps'), mirror_dir: '/srv/mirror' });
      expect(loadSettings({ INSTALLGATE_HOME: home, INSTALLGATE_APPS_DIR: '/opt/apps', INSTALLGATE_MIRROR_DIR: '/opt/mirror' }))
        .toMatchObject({ apps_dir: '/opt/apps', mirror_dir: '/opt/mirror' });
      fs.writeFileSync(path.join(home, 'settings.ini'), 'key=compat-key-0123456789\n');
      expect(loadSettings({ INSTALLGATE_HOME: home })).toMatchObject({ apps_dir: '', mirror_dir: '' });
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
    }
  });

  it('the server passes them to the engine: an empty mirror lists nothing, a missing apps dir stops the start', async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'ig-browser-server-'));
    try {
      fs.mkdirSync(path.join(home, 'empty-mirror'));
      fs.writeFileSync(path.join(home, 'settings.ini'), 'key=compat-key-0123456789\nport=0\nmirror_dir=empty-mirror\n');
      const server = await startServer(loadSettings({ INSTALLGATE_HOME: home }), createMemoryLogger());
      try {
        const r = await request(server.url).get('/browser').set('X-API-KEY', 'compat-key-0123456789');
        expect(r.body).toMatchObject({ result: true, total_count: 0, data: [] });
        expect(server.engine.catalog.ids()).toEqual(['testapp-db', 'testapp-static', 'wordpress']);
      } finally {
        await server.close();
      }
      await expect(startServer(loadSettings({ INSTALLGATE_HOME: home, INSTALLGATE_APPS_DIR: path.join(home, 'none') }), createMemoryLogger()))
        .rejects.toMatchObject({ errcode: 'invalid_argument_settings', errfield: 'appsDir' });
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
    }
  });
});
