import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureMirror, mariadbQuery, requireMariaDbBinaries, requirePhpBinary, startMariaDb, startPhpServer, type MariaDbServer, type PhpServer } from '@installgate/testkit';
import { createAppDatabase } from '../runtime/app-database';
import { parseDbUrl, type DbCredentials } from '../runtime/db-server';
import { extractRelease } from '../runtime/extract-release';
import { driverFor } from './index';

/**
 * The WordPress driver's addonState() on a real WordPress 6.5.5 served by PHP: a tiny plugin written here prints a
 * marker into every front page while WordPress has it active; its uninstall hook runs on `remove`; a plugin that
 * needs a newer WordPress is refused with WordPress's own reason; autoup lands in WordPress's own options.
 */
jest.setTimeout(120_000);

const wp = driverFor('wordpress');
const MARKER = 'ig-marker-plugin-is-running';
const PLUGIN = `<?php
/**
 * Plugin Name: IG Marker
 * Description: Prints a marker in the front page.
 * Author: Installgate tests
 * Version: 1.2.3
 */
add_action('wp_footer', function () { echo '<p id="${MARKER}"></p>'; });
`;
const UNINSTALL = `<?php
if (!defined('WP_UNINSTALL_PLUGIN')) exit;
update_option('ig_marker_uninstalled', 'yes');
`;
const TOO_NEW = `<?php
/**
 * Plugin Name: IG Too New
 * Requires at least: 99.0
 */
`;

let tmp: string;
let maria: MariaDbServer;
let web: PhpServer;
let dir: string;
let db: DbCredentials;

beforeAll(async () => {
  requireMariaDbBinaries();
  requirePhpBinary();
  tmp = mkdtempSync(join(tmpdir(), 'ig-wp-addons-'));
  const mirror = await ensureMirror();
  maria = await startMariaDb({ dir: join(tmp, 'db') });
  dir = join(tmp, 'site');
  mkdirSync(dir);
  await extractRelease(join(mirror, 'wordpress', 'wordpress-6.5.5.tar.gz'), dir, { stripTopFolder: true });
  db = await createAppDatabase(parseDbUrl(maria.url), { hint: 'wp addons', prefix: 'wp_' });
  web = await startPhpServer({ docroot: dir });
  await wp.install({ dir, url: web.url, db, fields: { login: 'admin', passwd: 'Addons-Pa55-word!', email: 'a@example.com', sitetitle: 'Addons', sitetagline: '', language: 'en' }, content: 'no' });
  mkdirSync(join(dir, 'wp-content', 'plugins', 'ig-marker'));
  writeFileSync(join(dir, 'wp-content', 'plugins', 'ig-marker', 'ig-marker.php'), PLUGIN);
  writeFileSync(join(dir, 'wp-content', 'plugins', 'ig-marker', 'uninstall.php'), UNINSTALL);
  writeFileSync(join(dir, 'wp-content', 'plugins', 'ig-too-new.php'), TOO_NEW);
});
afterAll(async () => {
  await web?.stop();
  await maria?.stop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

const frontPage = async () => (await fetch(`${web.url}/`)).text();
const option = async (name: string) => (await mariadbQuery(maria, `SELECT option_value FROM wp_options WHERE option_name = '${name}'`, { database: db.db_name })).trim();
const state = (i: Partial<Parameters<NonNullable<typeof wp.addonState>>[0]> & { kind: 'plugins' | 'themes' }) => wp.addonState!({ dir, url: web.url, action: 'list', ...i });

it('lists plugins with their headers', async () => {
  const items = await state({ kind: 'plugins' });
  expect(items.find((p) => p.id === 'ig-marker')).toEqual({
    id: 'ig-marker', file: 'ig-marker/ig-marker.php', name: 'IG Marker', description: 'Prints a marker in the front page.',
    author: 'Installgate tests', version: '1.2.3', activated: false, autoup: 'none',
  });
  expect(items.find((p) => p.id === 'hello')).toMatchObject({ file: 'hello.php', name: 'Hello Dolly' });
  expect(await frontPage()).not.toContain(MARKER);
});

it('activates through WordPress: the plugin runs in the served site; deactivated it does not', async () => {
  const on = await state({ kind: 'plugins', action: 'edit', slug: 'ig-marker', activated: true, autoup: 'all' });
  expect(on.find((p) => p.id === 'ig-marker')).toMatchObject({ activated: true, autoup: 'all' });
  expect(await frontPage()).toContain(MARKER);
  expect(await option('active_plugins')).toContain('ig-marker/ig-marker.php');
  expect(await option('auto_update_plugins')).toContain('ig-marker/ig-marker.php');
  const off = await state({ kind: 'plugins', action: 'edit', slug: 'ig-marker', activated: false });
  expect(off.find((p) => p.id === 'ig-marker')).toMatchObject({ activated: false, autoup: 'all' });
  expect(await frontPage()).not.toContain(MARKER);
});

it('refuses a plugin that needs a newer WordPress, with WordPress\'s reason', async () => {
  await expect(state({ kind: 'plugins', action: 'edit', slug: 'ig-too-new', activated: true })).rejects.toMatchObject({
    errcode: 'invalid_argument_activated', message: expect.stringMatching(/IG Too New.*requires WordPress 99\.0/),
  });
  expect((await state({ kind: 'plugins' })).find((p) => p.id === 'ig-too-new')).toMatchObject({ activated: false });
});

it('remove deactivates, runs the uninstall hook and drops the auto-update entry (the caller deletes the files)', async () => {
  await state({ kind: 'plugins', action: 'edit', slug: 'ig-marker', activated: true });
  await state({ kind: 'plugins', action: 'remove', slug: 'ig-marker' });
  expect(await option('ig_marker_uninstalled')).toBe('yes');
  expect(await option('active_plugins')).not.toContain('ig-marker');
  expect(await option('auto_update_plugins')).not.toContain('ig-marker');
  expect(await frontPage()).not.toContain(MARKER);
  expect(existsSync(join(dir, 'wp-content', 'plugins', 'ig-marker'))).toBe(true);
});

it('refuses removing the active theme and deactivating it; an unknown slug is refused', async () => {
  await expect(state({ kind: 'themes', action: 'remove', slug: 'twentytwentyfour' })).rejects.toMatchObject({ errcode: 'invalid_argument_slug' });
  await expect(state({ kind: 'themes', action: 'edit', slug: 'twentytwentyfour', activated: false })).rejects.toMatchObject({ errcode: 'invalid_argument_activated' });
  await expect(state({ kind: 'plugins', action: 'edit', slug: 'nope', activated: true })).rejects.toMatchObject({ errcode: 'invalid_argument_slug' });
  expect((await state({ kind: 'themes' })).find((t) => t.id === 'twentytwentyfour')).toMatchObject({ activated: true, name: 'Twenty Twenty-Four' });
});
