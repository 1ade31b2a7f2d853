import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { startAppHarness, type AppHarness } from './app-harness';
import { fetchPage, tablesOf } from './install-helpers';
import { isDashboard, wordpressLogin } from './web-client';

/**
 * Restore-to with real WordPress: a backup restored at another URL (a path of another length), into a new
 * database, with and without another table prefix, gives a second working site. Its stored URLs follow, PHP-
 * serialized values stay valid (also nested ones), the administrator can log in (WordPress keeps the prefix in
 * option names and user meta keys), and the original site is untouched.
 */
jest.setTimeout(180_000);

let h: AppHarness;
let origin: { id: string; path: string; url: string; db_name: string; tables: string[] };
const PASS = 'Origin-Pa55-word!';

beforeAll(async () => {
  h = await startAppHarness('hana');
  const r = await h.v2('post', '/browser/wordpress/install').send({ url: `${h.site}/origin`, user: 'hana', sitetitle: 'Origin Story', login: 'hana_admin', passwd: PASS });
  expect(r.body.result).toBe(true);
  origin = r.body.data;
}, 300_000);
afterAll(async () => { await h?.stopAll(); }, 60_000);

/** Runs PHP with WordPress loaded at `dir`; returns what the snippet echoes. */
function wp(dir: string, code: string): string {
  return execFileSync('php', ['-r', `define('WP_USE_THEMES', false); require 'wp-load.php'; ${code}`], { cwd: dir, encoding: 'utf8' }).trim().split('\n').pop()!;
}

test('restoreto a longer path, a new database, then another prefix: working sites with every URL moved', async () => {
  // Data that holds the URL in the ways plugins store it: serialized, serialized inside serialized, JSON.
  wp(origin.path, `update_option('ig_ser', ['link' => home_url('/page/'), 'inner' => serialize(['u' => home_url()]), 'n' => 3]); update_option('ig_json', wp_json_encode(['u' => home_url('/x')])); echo 1;`);
  const b = await h.v2('post', `/installs/${origin.id}/backup`).send({ user: 'hana' });
  expect(b.body.result).toBe(true);

  for (const [slug, extra, protocol] of [['a-much-longer-second-home', {}, 'v2'], ['p3', { db_prefix: 'alt_' }, 'v1']] as const) {
    const url = `${h.site}/${slug}`;
    const r = protocol === 'v2'
      ? await h.v2('post', `/backups/${b.body.data.id}/restoreto`).send({ user: 'hana', url, ...extra })
      : await h.v1({ cmd: 'restoreto', id: b.body.data.id, user: 'hana', url, ...extra });
    expect({ result: r.body.result, errcode: r.body.errcode, message: r.body.message }).toMatchObject({ result: true, errcode: null });
    const copy = (await h.v2('get', `/installs/${r.body.data.id}`).expect(200)).body.data;
    const prefix = 'db_prefix' in extra ? extra.db_prefix : 'wp_';
    expect(copy).toMatchObject({ url, db_prefix: prefix });
    expect(copy.db_name).not.toBe(origin.db_name);
    expect((await tablesOf(h, copy.db_name)).every((t) => t.startsWith(prefix))).toBe(true);

    expect(wp(copy.path, "echo get_option('home');")).toBe(url);
    expect(wp(copy.path, "echo get_option('siteurl');")).toBe(url);
    const ser = JSON.parse(wp(copy.path, "echo wp_json_encode(get_option('ig_ser'));"));
    expect(ser).toEqual({ link: `${url}/page/`, inner: expect.any(String), n: 3 });
    expect(JSON.parse(wp(copy.path, "echo wp_json_encode(unserialize(get_option('ig_ser')['inner']));"))).toEqual({ u: url });
    expect(JSON.parse(wp(copy.path, "echo get_option('ig_json');"))).toEqual({ u: `${url}/x` });

    const page = await fetchPage(`${url}/`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('Origin Story');
    expect(page.body).not.toContain(`${h.site}/origin`);
    expect(isDashboard(await wordpressLogin(url, 'hana_admin', PASS))).toBe(true);
  }
  // The original is as it was.
  expect(wp(origin.path, "echo get_option('home');")).toBe(`${h.site}/origin`);
  expect((await tablesOf(h, origin.db_name)).sort()).toEqual([...origin.tables].sort());
  expect(isDashboard(await wordpressLogin(`${h.site}/origin`, 'hana_admin', PASS))).toBe(true);
  expect(fs.existsSync(origin.path)).toBe(true);
});
