import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ensureMirror,
  mariadbQuery,
  MariaDbServer,
  PhpServer,
  readMirrorReleases,
  requireMariaDbBinaries,
  requirePhpBinary,
  startMariaDb,
  startPhpServer,
} from './index';
import { php, unpackRelease } from './test-helpers';

jest.setTimeout(120_000);

describe('the application mirror', () => {
  let mirror: string;
  beforeAll(async () => {
    mirror = await ensureMirror();
  });

  it('lists Debian\'s 6.1.9 and the 6.2 … 6.5 releases, with what version.php says', () => {
    const { app, releases } = readMirrorReleases(mirror, 'wordpress');
    expect(app).toBe('wordpress');
    const versions = releases.map((r) => r.version);
    expect(versions[0]).toBe('6.1.9');
    for (const minor of ['6.2', '6.3', '6.4', '6.5']) expect(versions.some((v) => v.startsWith(`${minor}.`))).toBe(true);
    expect(releases.find((r) => r.version === '6.1.9')).toMatchObject({ wp_db_version: 53496, required_php_version: '5.6.20' });
    for (const r of releases) {
      expect(r.archive).toBe(`wordpress-${r.version}.tar.gz`);
      expect(statSync(join(mirror, 'wordpress', r.archive)).size).toBe(r.size);
      expect(r.wp_db_version).toBeGreaterThanOrEqual(53496);
      expect(r.required_mysql_version).toMatch(/^5\./);
    }
  });

  it('lists the test apps with checksums that match the archives', () => {
    const db = readMirrorReleases(mirror, 'testapp-db').releases;
    expect(db.map((r) => r.version)).toEqual(['1.0.0', '1.0.1', '1.1.0', '2.0.0']);
    expect(db.every((r) => r.database === true)).toBe(true);
    const st = readMirrorReleases(mirror, 'testapp-static').releases;
    expect(st.map((r) => [r.version, r.database])).toEqual([['1.0.0', false], ['1.1.0', false]]);
    for (const r of [...db, ...st]) {
      const file = join(mirror, r.archive.replace(/-[0-9.]+\.tar\.gz$/, ''), r.archive);
      expect(createHash('sha256').update(readFileSync(file)).digest('hex')).toBe(r.sha256);
    }
  });
});

describe('WordPress from the mirror under real PHP and MariaDB: install 6.1.9, update to the newest', () => {
  let tmp: string;
  let mirror: string;
  let db: MariaDbServer;
  let web: PhpServer | undefined;
  const site = () => join(tmp, 'site');
  const fixture = join(__dirname, 'fixtures', 'wp-headless.php');

  beforeAll(async () => {
    requireMariaDbBinaries();
    requirePhpBinary();
    tmp = mkdtempSync(join(tmpdir(), 'testkit-wp-'));
    mirror = await ensureMirror();
    db = await startMariaDb({ dir: join(tmp, 'db') });
  });
  afterAll(async () => {
    await web?.stop();
    await db?.stop();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('installs 6.1.9 with WordPress\'s own installer and serves it', async () => {
    await mariadbQuery(db, 'CREATE DATABASE wp CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci');
    await unpackRelease(join(mirror, 'wordpress', 'wordpress-6.1.9.tar.gz'), site());
    expect(existsSync(join(site(), 'wp-config.php'))).toBe(false);
    expect(existsSync(join(site(), 'wp-config-sample.php'))).toBe(true);
    const keys = ['AUTH_KEY', 'SECURE_AUTH_KEY', 'LOGGED_IN_KEY', 'NONCE_KEY', 'AUTH_SALT', 'SECURE_AUTH_SALT', 'LOGGED_IN_SALT', 'NONCE_SALT'];
    writeFileSync(
      join(site(), 'wp-config.php'),
      [
        '<?php',
        `define('DB_NAME', 'wp'); define('DB_USER', 'root'); define('DB_PASSWORD', '${db.password}');`,
        `define('DB_HOST', '127.0.0.1:${db.port}'); define('DB_CHARSET', 'utf8mb4'); define('DB_COLLATE', '');`,
        ...keys.map((k) => `define('${k}', '${createHash('sha256').update(k + db.password).digest('hex')}');`),
        "$table_prefix = 'wp_';",
        `define('WP_DEBUG', true); define('WP_DEBUG_DISPLAY', false); define('WP_DEBUG_LOG', '${join(tmp, 'debug.log')}');`,
        "define('AUTOMATIC_UPDATER_DISABLED', true); define('WP_HTTP_BLOCK_EXTERNAL', true);",
        "if (!defined('ABSPATH')) define('ABSPATH', __DIR__ . '/');",
        "require_once ABSPATH . 'wp-settings.php';",
        '',
      ].join('\n'),
    );
    web = await startPhpServer({ docroot: site() });
    const installed = JSON.parse(await php([fixture, 'install', site(), web.url, 'Testkit WP ✓'], { env: { WP_ADMIN_PASS: 'wp-Admin-123' } }));
    expect(installed).toEqual({ user_id: 1, db_version: 53496, wp_version: '6.1.9' });

    const home = await (await fetch(`${web.url}/`)).text();
    expect(home).toContain('<title>Testkit WP ✓</title>');
    expect((await fetch(`${web.url}/wp-login.php`)).status).toBe(200);
    expect((await fetch(`${web.url}/wp-includes/css/dashicons.min.css`)).status).toBe(200);
  });

  it('updates to the newest mirrored release: its files, then wp_upgrade()', async () => {
    const newest = readMirrorReleases(mirror, 'wordpress').releases.at(-1)!;
    await unpackRelease(join(mirror, 'wordpress', newest.archive), site());
    const upgraded = JSON.parse(await php([fixture, 'upgrade', site(), web!.url]));
    expect(upgraded).toEqual({ from: 53496, db_version: newest.wp_db_version, wp_version: newest.version });

    const home = await (await fetch(`${web!.url}/`)).text();
    expect(home).toContain('<title>Testkit WP ✓</title>');
    expect(home).toContain(`ver=${newest.version}`);
    expect((await fetch(`${web!.url}/wp-login.php`)).status).toBe(200);
    const debugLog = existsSync(join(tmp, 'debug.log')) ? readFileSync(join(tmp, 'debug.log'), 'utf8') : '';
    expect(debugLog).not.toMatch(/PHP (Fatal|Parse) error/);
    expect(web!.log()).not.toMatch(/PHP (Fatal|Parse) error/);
  });
});
