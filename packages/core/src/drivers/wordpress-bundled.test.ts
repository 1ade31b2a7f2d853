import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readBundledAddons } from './wordpress-bundled';

let dir: string;
beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'ig-bundled-')); });
afterEach(() => { rmSync(dir, { recursive: true, force: true }); });

function write(rel: string, text: string): void {
  mkdirSync(join(dir, rel, '..'), { recursive: true });
  writeFileSync(join(dir, rel), text);
}

test('plugins (folder and single file) and themes with the versions their headers say', async () => {
  write('wp-content/plugins/index.php', '<?php // Silence is golden.');
  write('wp-content/plugins/hello.php', "<?php\n/**\n * @package Hello_Dolly\n * @version 1.7.2\n */\n/*\nPlugin Name: Hello Dolly\nVersion: 1.7.2\n*/");
  write('wp-content/plugins/akismet/readme.txt', 'Version: 9');
  write('wp-content/plugins/akismet/akismet.php', "<?php\n/*\nPlugin Name: Akismet Anti-spam\nVersion: 5.0.2\n*/");
  write('wp-content/plugins/not-a-plugin/lib.php', '<?php echo 1;');
  write('wp-content/themes/twentytwentythree/style.css', "/*\nTheme Name: Twenty Twenty-Three\nVersion: 1.1\n*/");
  write('wp-content/themes/.ig-old-x/style.css', "/*\nTheme Name: Hidden\nVersion: 1\n*/");
  write('wp-content/themes/no-style/index.php', '');
  expect(await readBundledAddons(dir)).toEqual({
    plugins: [{ id: 'akismet', version: '5.0.2', entry: 'akismet' }, { id: 'hello', version: '1.7.2', entry: 'hello.php' }],
    themes: [{ id: 'twentytwentythree', version: '1.1', entry: 'twentytwentythree' }],
  });
});

test('a release without wp-content bundles nothing', async () => {
  expect(await readBundledAddons(dir)).toEqual({ plugins: [], themes: [] });
});
