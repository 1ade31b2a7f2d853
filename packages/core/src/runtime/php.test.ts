import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requirePhpBinary } from '@installgate/testkit';
import { PHP_HELPERS_DIR, PHP_STDOUT_CAP, phpHelper, phpVersion, runPhp } from './php';

jest.setTimeout(30_000);

let tmp: string;
const script = (name: string, code: string) => {
  const file = join(tmp, name);
  writeFileSync(file, code);
  return file;
};

beforeAll(() => {
  requirePhpBinary(); // fails loudly: "run scripts/provision/system-deps.sh …"
  tmp = mkdtempSync(join(tmpdir(), 'ig-php-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('runPhp', () => {
  it('sends input as JSON on stdin, runs in cwd, returns output and exit code', async () => {
    const f = script('echo.php', '<?php $in = json_decode(stream_get_contents(STDIN), true); echo json_encode([$in["secret"], getcwd(), $argv]); fwrite(STDERR, "warn"); exit(7);');
    const r = await runPhp(f, { cwd: tmp, input: { secret: 'pässwörd ✓' } });
    expect(r.code).toBe(7);
    expect(JSON.parse(r.stdout)).toEqual(['pässwörd ✓', tmp, [f]]);
    expect(r.stderr).toBe('warn');
    expect(r.truncated).toBe(false);
  });

  it('gives the script a minimal environment plus env, not Installgate\'s own', async () => {
    process.env.INSTALLGATE_DB_URL = 'mysql://root:leak@127.0.0.1:1';
    try {
      const f = script('env.php', '<?php echo json_encode(["db" => getenv("INSTALLGATE_DB_URL"), "x" => getenv("X_APP"), "path" => getenv("PATH") !== false]);');
      expect(JSON.parse((await runPhp(f, { cwd: tmp, env: { X_APP: 'y' } })).stdout)).toEqual({ db: false, x: 'y', path: true });
    } finally {
      delete process.env.INSTALLGATE_DB_URL;
    }
  });

  it('runs with OPcache off and PHP warnings on stderr, not stdout', async () => {
    const f = script('ini.php', '<?php echo ini_get("opcache.enable_cli") ? "on" : "off"; echo $undefined_variable;');
    const r = await runPhp(f, { cwd: tmp });
    expect(r.stdout).toBe('off');
    expect(r.stderr).toMatch(/Undefined variable/);
  });

  it('kills the whole process group at the time limit', async () => {
    const pidFile = join(tmp, 'child.pid');
    const f = script('hang.php', `<?php $p = proc_open(['sleep', '30'], [], $pipes); file_put_contents(${JSON.stringify(pidFile)}, proc_get_status($p)['pid']); sleep(30);`);
    const t0 = Date.now();
    await expect(runPhp(f, { cwd: tmp, timeoutMs: 1_000 })).rejects.toMatchObject({ errcode: 'internal_error', details: { timeoutMs: 1_000 } });
    expect(Date.now() - t0).toBeLessThan(5_000);
    const child = Number(readFileSync(pidFile, 'utf8'));
    await new Promise((r) => setTimeout(r, 200));
    expect(existsSync(`/proc/${child}`) && !/\) Z /.test(readFileSync(`/proc/${child}/stat`, 'utf8'))).toBe(false);
  });

  it('caps stdout, keeping its head', async () => {
    const f = script('big.php', `<?php echo "HEAD"; echo str_repeat("x", ${PHP_STDOUT_CAP + 100000});`);
    const r = await runPhp(f, { cwd: tmp });
    expect(r.stdout.length).toBe(PHP_STDOUT_CAP);
    expect(r.stdout.startsWith('HEAD')).toBe(true);
    expect(r.truncated).toBe(true);
    expect(r.code).toBe(0);
  });

  it('a script that does not exist is an exit code, not a hang', async () => {
    const r = await runPhp(join(tmp, 'none.php'), { cwd: tmp });
    expect(r.code).not.toBe(0);
  });
});

describe('phpVersion and helpers', () => {
  it('reports the CLI version', async () => {
    expect(await phpVersion()).toMatch(/^8\.\d+\.\d+/);
  });
  it('finds the helper scripts next to src/ (and dist/)', () => {
    expect(PHP_HELPERS_DIR.endsWith(join('packages', 'core', 'php'))).toBe(true);
    expect(existsSync(phpHelper('wordpress', 'install.php'))).toBe(true);
  });
});
