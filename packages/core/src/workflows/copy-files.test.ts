import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { copyEntries, isExcluded, isTopLevelName } from './copy-files';

let tmp: string;
beforeEach(() => { tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ig-copy-')); });
afterEach(() => { fs.rmSync(tmp, { recursive: true, force: true }); });

function write(rel: string, text: string, mtime?: Date): void {
  const p = path.join(tmp, 'src', rel);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, text);
  if (mtime) fs.utimesSync(p, mtime, mtime);
}

test('copies the named entries with their bytes and mtimes, links as links; skips exclusions and FIFOs', async () => {
  const old = new Date('2020-01-02T03:04:05Z');
  write('index.php', '<?php echo 1;', old);
  write('wp-content/uploads/a.bin', 'x'.repeat(70_000));
  write('wp-content/cache/page.html', 'cached');
  write('not-named.txt', 'stays');
  fs.symlinkSync('index.php', path.join(tmp, 'src', 'link.php'));
  execFileSync('mkfifo', [path.join(tmp, 'src', 'wp-content', 'pipe')]);
  fs.mkdirSync(path.join(tmp, 'dst'));
  await copyEntries(path.join(tmp, 'src'), path.join(tmp, 'dst'), ['index.php', 'wp-content', 'link.php', '../escape', ''], ['wp-content/cache']);
  const dst = (rel: string) => path.join(tmp, 'dst', rel);
  expect(fs.readFileSync(dst('index.php'), 'utf8')).toBe('<?php echo 1;');
  expect(Math.floor(fs.statSync(dst('index.php')).mtimeMs / 1000)).toBe(old.getTime() / 1000);
  expect(fs.statSync(dst('wp-content/uploads/a.bin')).size).toBe(70_000);
  expect(fs.readlinkSync(dst('link.php'))).toBe('index.php');
  expect(fs.existsSync(dst('wp-content/cache'))).toBe(false);
  expect(fs.existsSync(dst('wp-content/pipe'))).toBe(false);
  expect(fs.existsSync(dst('not-named.txt'))).toBe(false);
  expect(fs.readdirSync(tmp).sort()).toEqual(['dst', 'src']); // `../escape` went nowhere
});

test('never overwrites: an entry already at the destination is an error', async () => {
  write('a.txt', 'new');
  fs.mkdirSync(path.join(tmp, 'dst'));
  fs.writeFileSync(path.join(tmp, 'dst', 'a.txt'), 'old');
  await expect(copyEntries(path.join(tmp, 'src'), path.join(tmp, 'dst'), ['a.txt'])).rejects.toThrow();
  expect(fs.readFileSync(path.join(tmp, 'dst', 'a.txt'), 'utf8')).toBe('old');
});

test('exclusions match whole path segments; top-level names have no separators', () => {
  expect(isExcluded('wp-content/cache', ['wp-content/cache'])).toBe(true);
  expect(isExcluded('wp-content/cache/x', ['/wp-content/cache/'])).toBe(true);
  expect(isExcluded('wp-content/cached', ['wp-content/cache'])).toBe(false);
  expect(isExcluded('anything', [''])).toBe(false);
  expect(['a', 'wp-config.php', '.htaccess'].every(isTopLevelName)).toBe(true);
  expect(['', '.', '..', 'a/b', 'a\\b'].some(isTopLevelName)).toBe(false);
});
