import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startAppHarness, type AppHarness } from './app-harness';
import { fetchPage } from './install-helpers';
import { isDashboard, wordpressLogin } from './web-client';

/**
 * `POST /installs/{id}` with `url` (v1 `edit` with `url`): the install moves to another URL of its owner — files
 * by rename, the application's stored URLs and paths rewritten (WordPress) — and works there; the folder the
 * engine had made for it goes. Bad targets are refused before anything moves. `language` goes to the application.
 */
jest.setTimeout(120_000);

let h: AppHarness;
beforeAll(async () => { h = await startAppHarness('ivan'); }, 180_000);
afterAll(async () => { await h?.stopAll(); }, 60_000);

const at = (p: string) => `${h.site}/${p}`;
const wpOption = (dir: string, name: string) =>
  execFileSync('php', ['-r', `define('WP_USE_THEMES', false); require 'wp-load.php'; echo get_option(${JSON.stringify(name)});`], { cwd: dir, encoding: 'utf8' }).trim().split('\n').pop();

test('WordPress moves (v2) to a longer path and back (v1): it works at each URL, the old folder is gone', async () => {
  const r = await h.v2('post', '/browser/wordpress/install').send({ url: at('wp'), user: 'ivan', sitetitle: 'Moving Day', login: 'ivan_admin', passwd: 'Ivan-Pa55-word!' });
  expect(r.body.result).toBe(true);
  const id = r.body.data.id as string;
  const moved = await h.v2('post', `/installs/${id}`).send({ user: 'ivan', url: at('blog/2026/new-home') });
  expect({ status: moved.status, result: moved.body.result, errcode: moved.body.errcode }).toEqual({ status: 200, result: true, errcode: null });
  const dir = path.join(h.docroot, 'blog/2026/new-home');
  expect(moved.body.data).toMatchObject({ url: at('blog/2026/new-home'), path: dir });
  expect(fs.existsSync(path.join(h.docroot, 'wp'))).toBe(false);
  expect(wpOption(dir, 'home')).toBe(at('blog/2026/new-home'));
  const page = await fetchPage(`${at('blog/2026/new-home')}/`);
  expect(page.status).toBe(200);
  expect(page.body).toContain('Moving Day');
  expect(isDashboard(await wordpressLogin(at('blog/2026/new-home'), 'ivan_admin', 'Ivan-Pa55-word!'))).toBe(true);

  const back = await h.v1({ cmd: 'edit', id, user: 'ivan', url: at('w') });
  expect(back.body).toMatchObject({ result: true, errcode: null, data: { url: at('w') } });
  expect(fs.existsSync(path.join(h.docroot, 'blog'))).toBe(false); // every folder made for the move is gone again
  expect(wpOption(path.join(h.docroot, 'w'), 'siteurl')).toBe(at('w'));
  expect((await fetchPage(`${at('w')}/`)).body).toContain('Moving Day');
  const logs = (await h.v2('get', '/logs?user=ivan&limit=100')).body.data.map((l: { message: string }) => l.message).join('\n');
  expect(logs).toContain(`Moved Moving Day from ${at('blog/2026/new-home')} to ${at('w')}`);
});

test('refused before anything moves: a folder that is not empty, the install\'s own subfolder, a foreign URL; language per application', async () => {
  const r = await h.v2('post', '/browser/testapp-db/install').send({ url: at('ta'), user: 'ivan', sitetitle: 'Stay Put' });
  const id = r.body.data.id as string;
  fs.mkdirSync(path.join(h.docroot, 'taken'));
  fs.writeFileSync(path.join(h.docroot, 'taken', 'index.html'), 'mine');
  const cases: [Record<string, string>, number, string, string][] = [
    [{ url: at('taken') }, 400, 'invalid_argument_url_notempty', 'url'],
    [{ url: at('ta/inner') }, 400, 'invalid_argument_url', 'url'],
    [{ url: 'http://not-ivans.example/x' }, 400, 'invalid_argument_url', 'url'],
    [{ language: 'de' }, 400, 'invalid_argument_language', 'language'],
  ];
  for (const [body, status, errcode, errfield] of cases) {
    const e = await h.v2('post', `/installs/${id}`).send({ user: 'ivan', ...body });
    expect({ status: e.status, errcode: e.body.errcode, errfield: e.body.errfield }).toEqual({ status, errcode, errfield });
  }
  expect((await h.v2('get', `/installs/${id}`).query({ user: 'ivan' })).body.data).toMatchObject({ url: at('ta'), path: path.join(h.docroot, 'ta') });
  expect((await fetchPage(`${at('ta')}/`)).body).toContain('<title>Stay Put</title>');
  expect(fs.readFileSync(path.join(h.docroot, 'taken', 'index.html'), 'utf8')).toBe('mine');
  // The generic app moves too (it stores no URL).
  const backup = (await h.v2('post', `/installs/${id}/backup`).send({ user: 'ivan' })).body.data;
  const m = await h.v2('post', `/installs/${id}`).send({ user: 'ivan', url: at('ta2'), language: 'en' });
  expect(m.body).toMatchObject({ result: true, data: { url: at('ta2'), language: 'en' } });
  expect((await fetchPage(`${at('ta2')}/`)).body).toContain('<title>Stay Put</title>');
  // Regression: restoring a backup taken before the move restores where the install is now, not where it was.
  const restored = await h.v2('post', `/backups/${backup.id}/restore`).send({ user: 'ivan' });
  expect(restored.body).toMatchObject({ result: true, data: { id, url: at('ta2'), path: path.join(h.docroot, 'ta2') } });
  expect(fs.existsSync(path.join(h.docroot, 'ta'))).toBe(false);
  expect((await fetchPage(`${at('ta2')}/`)).body).toContain('<title>Stay Put</title>');
});
