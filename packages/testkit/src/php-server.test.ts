import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, isAlive, requirePhpBinary, startPhpServer } from './index';

jest.setTimeout(30_000);

describe('freePort', () => {
  it('gives a port that can be bound on 127.0.0.1', async () => {
    const port = await freePort();
    expect(port).toBeGreaterThan(0);
    const s = createServer();
    await new Promise<void>((resolve, reject) => s.once('error', reject).listen(port, '127.0.0.1', resolve));
    await new Promise((resolve) => s.close(resolve));
  });
});

describe('startPhpServer (php -S on 127.0.0.1)', () => {
  let docroot: string;
  beforeAll(() => {
    requirePhpBinary(); // no silent skip
    docroot = mkdtempSync(join(tmpdir(), 'testkit-php-'));
    writeFileSync(join(docroot, 'index.php'), '<?php echo "hello from PHP ", PHP_MAJOR_VERSION, " ", htmlspecialchars($_GET["q"] ?? "");\n');
    // A page that requests its own site, as WordPress does (cron, HTTPS detection): needs more than one worker.
    writeFileSync(join(docroot, 'self.php'), '<?php echo "self:", file_get_contents("http://" . $_SERVER["HTTP_HOST"] . "/other.php");\n');
    writeFileSync(join(docroot, 'other.php'), '<?php echo "other";\n');
  });
  afterAll(() => rmSync(docroot, { recursive: true, force: true }));

  it('serves a docroot with workers, then stops them all by PID', async () => {
    const php = await startPhpServer({ docroot });
    const pids = php.pids();
    try {
      const res = await fetch(`${php.url}/?q=%3Cb%3E`);
      expect(res.status).toBe(200);
      expect(await res.text()).toMatch(/^hello from PHP \d+ &lt;b&gt;$/);
      expect(php.log()).toContain('GET /?q=');
      expect(await (await fetch(`${php.url}/self.php`, { signal: AbortSignal.timeout(5_000) })).text()).toBe('self:other');
      expect(pids).toContain(php.pid);
      expect(pids.length).toBe(5); // the server and 4 workers
    } finally {
      await php.stop();
    }
    for (const pid of pids) expect(isAlive(pid)).toBe(false);
    await expect(fetch(php.url)).rejects.toThrow();
  });

  it('runs a single process when asked (workers: 1)', async () => {
    const php = await startPhpServer({ docroot, workers: 1 });
    try {
      expect(php.pids()).toEqual([php.pid]);
      expect(await (await fetch(`${php.url}/`)).text()).toMatch(/^hello from PHP/);
    } finally {
      await php.stop();
    }
    expect(isAlive(php.pid)).toBe(false);
  });

  it('fails with PHP\'s own message when the port is taken', async () => {
    const php = await startPhpServer({ docroot });
    try {
      await expect(startPhpServer({ docroot, port: php.port, startTimeoutMs: 5_000 })).rejects.toThrow(/exited during start|Address already in use/);
    } finally {
      await php.stop();
    }
  });
});
