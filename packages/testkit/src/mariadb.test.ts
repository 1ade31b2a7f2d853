import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAlive, mariadbBinaries, mariadbQuery, MariaDbServer, requireMariaDbBinaries, startMariaDb } from './index';

jest.setTimeout(60_000);

describe('startMariaDb (a private server under a directory, stopped by PID)', () => {
  let dir: string;
  let server: MariaDbServer | undefined;

  beforeAll(() => {
    requireMariaDbBinaries(); // no silent skip: a machine without MariaDB fails here, saying what to run
    dir = mkdtempSync(join(tmpdir(), 'testkit-mariadb-'));
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports the binaries it needs', () => {
    const b = mariadbBinaries();
    expect(b).toMatchObject({ ok: true, missing: [], message: '' });
    expect(b.server).toMatch(/mariadbd|mysqld$/);
  });

  it('starts on 127.0.0.1 with a random root password kept out of argv', async () => {
    server = await startMariaDb({ dir });
    expect(server).toMatchObject({ host: '127.0.0.1', user: 'root' });
    expect(server.url).toBe(`mysql://root:${server.password}@127.0.0.1:${server.port}`);
    expect(server.password).toMatch(/^[0-9a-f]{48}$/);
    expect(isAlive(server.pid)).toBe(true);
    expect(statSync(server.defaultsFile).mode & 0o777).toBe(0o600);
    const cmdline = require('node:fs').readFileSync(`/proc/${server.pid}/cmdline`, 'utf8') as string;
    expect(cmdline).not.toContain(server.password);
    expect(cmdline).toContain('--bind-address=127.0.0.1');
    const users = await mariadbQuery(server, "SELECT CONCAT(User, '@', Host) FROM mysql.user WHERE User IN ('root', '') ORDER BY 1");
    expect(users.trim().split('\n')).toEqual(['root@127.0.0.1', 'root@localhost']);
    const empty = await mariadbQuery(server, "SELECT COUNT(*) FROM mysql.user WHERE User = 'root' AND authentication_string = ''");
    expect(empty.trim()).toBe('0');
  });

  it('round-trips emoji through a utf8mb4 table and the mariadb client', async () => {
    const s = server!;
    const text = 'héllo 🌍 𝄞 ✓';
    await mariadbQuery(s, 'CREATE DATABASE kit CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci');
    await mariadbQuery(
      s,
      `CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(100) CHARACTER SET utf8mb4) ENGINE=InnoDB;
       INSERT INTO t VALUES (1, '${text}');`,
      { database: 'kit' },
    );
    expect(await mariadbQuery(s, 'SELECT v FROM t WHERE id = 1', { database: 'kit' })).toBe(`${text}\n`);
    const hex = await mariadbQuery(s, 'SELECT HEX(v) FROM t WHERE id = 1', { database: 'kit' });
    expect(hex.trim()).toBe(Buffer.from(text, 'utf8').toString('hex').toUpperCase()); // 4-byte characters kept
  });

  it('stops by PID, and the PID is gone', async () => {
    const { pid } = server!;
    await server!.stop();
    expect(isAlive(pid)).toBe(false);
    expect(() => process.kill(pid, 0)).toThrow(expect.objectContaining({ code: 'ESRCH' }));
    await server!.stop(); // twice is fine
  });

  it('restarts on the same datadir with the same password and data', async () => {
    const before = server!.password;
    server = await startMariaDb({ dir });
    expect(server.password).toBe(before);
    expect(await mariadbQuery(server, 'SELECT v FROM t', { database: 'kit' })).toBe('héllo 🌍 𝄞 ✓\n');
  });

  it('refuses a second server on the same directory', async () => {
    await expect(startMariaDb({ dir })).rejects.toThrow(/already runs/);
  });
});
