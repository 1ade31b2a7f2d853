import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ensureMirror,
  mariadbQuery,
  MariaDbServer,
  PhpServer,
  requireMariaDbBinaries,
  requirePhpBinary,
  startMariaDb,
  startPhpServer,
} from './index';
import { php, unpackRelease } from './test-helpers';

jest.setTimeout(120_000);

describe('test applications from the mirror, installed for real (php-cli + private MariaDB + php -S)', () => {
  let tmp: string;
  let mirror: string;
  let db: MariaDbServer;
  let web: PhpServer | undefined;
  const site = () => join(tmp, 'site');
  const title = 'Kit site ✓ <&> 🌍';
  const appPass = 'app-Pass-123';

  beforeAll(async () => {
    requireMariaDbBinaries();
    requirePhpBinary();
    tmp = mkdtempSync(join(tmpdir(), 'testkit-apps-'));
    mirror = await ensureMirror(); // cold: builds <repo>/.cache/app-mirror (WordPress archives included)
    db = await startMariaDb({ dir: join(tmp, 'db') });
  });
  afterAll(async () => {
    await web?.stop();
    await db?.stop();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('installs testapp-db 1.0.0 with its installer.php and serves the title from the database', async () => {
    await mariadbQuery(
      db,
      `CREATE DATABASE app CHARACTER SET utf8mb4;
       CREATE USER 'app'@'127.0.0.1' IDENTIFIED BY '${appPass}';
       GRANT ALL PRIVILEGES ON app.* TO 'app'@'127.0.0.1';`,
    );
    await unpackRelease(join(mirror, 'testapp-db', 'testapp-db-1.0.0.tar.gz'), site());
    const out = await php(
      [
        'installer.php',
        '--db-host=127.0.0.1',
        `--db-port=${db.port}`,
        '--db-name=app',
        '--db-user=app',
        '--db-prefix=kt_',
        '--admin-login=admin',
        '--admin-email=admin@example.com',
        `--site-title=${title}`,
      ],
      { cwd: site(), env: { TESTAPP_DB_PASS: appPass, TESTAPP_ADMIN_PASS: 'admin-Secret-1' } },
    );
    expect(JSON.parse(out)).toEqual({ ok: true, app: 'testapp-db', version: '1.0.0' });
    expect(statSync(join(site(), 'config.php')).mode & 0o777).toBe(0o640);

    const hash = (await mariadbQuery(db, "SELECT pass_hash FROM kt_users WHERE login = 'admin' AND is_admin = 1", { database: 'app' })).trim();
    expect(await php(['-r', 'echo password_verify(getenv("P"), getenv("H")) ? "yes" : "no";'], { env: { P: 'admin-Secret-1', H: hash } })).toBe('yes');

    web = await startPhpServer({ docroot: site() });
    const html = await (await fetch(`${web.url}/`)).text();
    expect(html).toContain('<title>Kit site ✓ &lt;&amp;&gt; 🌍</title>');
    expect(html).toContain('<meta name="generator" content="testapp-db 1.0.0">');
  });

  it('a second install into the same place is refused', async () => {
    await expect(php(['installer.php', '--site-title=x'], { cwd: site() })).rejects.toThrow(/already installed/);
  });

  it('updates to 1.0.1: new files, then its upgrade SQL through the mariadb client', async () => {
    const next = join(tmp, 'v1.0.1');
    await unpackRelease(join(mirror, 'testapp-db', 'testapp-db-1.0.1.tar.gz'), next);
    await unpackRelease(join(mirror, 'testapp-db', 'testapp-db-1.0.1.tar.gz'), site()); // files over files, config.php kept
    const sql = readFileSync(join(next, 'upgrade-from-1.0.0.sql'), 'utf8').replaceAll('{{prefix}}', 'kt_');
    await mariadbQuery(db, sql, { database: 'app' });

    const html = await (await fetch(`${web!.url}/`)).text();
    expect(html).toContain('<meta name="generator" content="testapp-db 1.0.1">');
    expect(html).toContain('Database schema 1.0.1');
    expect(html).toContain(`<title>Kit site ✓ &lt;&amp;&gt; 🌍</title>`);
    expect(await mariadbQuery(db, "SHOW COLUMNS FROM kt_users LIKE 'last_login'", { database: 'app' })).toMatch(/^last_login/);
  });

  it('upgrade.php walks the remaining migrations up to 2.0.0', async () => {
    await unpackRelease(join(mirror, 'testapp-db', 'testapp-db-2.0.0.tar.gz'), site());
    const out = JSON.parse(await php(['upgrade.php'], { cwd: site() }));
    expect(out).toEqual({ ok: true, from: '1.0.1', to: '2.0.0', applied: ['upgrade-from-1.0.1.sql', 'upgrade-from-1.1.0.sql'] });
    const html = await (await fetch(`${web!.url}/`)).text();
    expect(html).toContain('<meta name="generator" content="testapp-db 2.0.0">');
    expect(html).toContain('<h2>Hello world 🌍</h2>');
    expect(html).toContain(`<title>Kit site ✓ &lt;&amp;&gt; 🌍</title>`);
  });

  it('installs testapp-static (no database) and serves its title', async () => {
    const dir = join(tmp, 'static');
    await unpackRelease(join(mirror, 'testapp-static', 'testapp-static-1.1.0.tar.gz'), dir);
    const out = await php(['installer.php', '--site-title=Static ✓'], { cwd: dir });
    expect(JSON.parse(out)).toEqual({ ok: true, app: 'testapp-static', version: '1.1.0' });
    const s = await startPhpServer({ docroot: dir });
    try {
      const html = await (await fetch(`${s.url}/`)).text();
      expect(html).toContain('<title>Static ✓</title>');
      expect((await fetch(`${s.url}/style.css`)).status).toBe(200);
    } finally {
      await s.stop();
    }
  });
});
