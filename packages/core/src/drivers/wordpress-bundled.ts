/**
 * The plugins and themes a WordPress release ships (wp-content/plugins, wp-content/themes), with the versions their
 * headers say. Installgate has no plugin/theme mirror: an update of a plugin or theme can only take the copy that a
 * release in the application mirror bundles, so this list is what such updates can reach.
 *
 * Headers are read as WordPress's get_file_data() reads them: the first 8 KiB, `Name: value` lines in a comment.
 */
import { open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { BundledAddon, BundledAddons } from './app-driver';

const HEADER_BYTES = 8192;

async function head(file: string): Promise<string> {
  const fh = await open(file, 'r').catch(() => null);
  if (!fh) return '';
  try {
    const buf = Buffer.alloc(HEADER_BYTES);
    const { bytesRead } = await fh.read(buf, 0, HEADER_BYTES, 0);
    return buf.subarray(0, bytesRead).toString('utf8').replace(/\r/g, '\n');
  } finally {
    await fh.close();
  }
}

/** A header's value ('' when absent), as get_file_data(): `^[ \t/*#@]*Name:(.*)$`. */
function header(text: string, name: string): string {
  const m = new RegExp(`^[ \\t/*#@]*${name}:(.*)$`, 'mi').exec(text);
  return m ? m[1]!.replace(/\s*(?:\*\/|\?>).*$/, '').trim() : '';
}

async function isDir(p: string): Promise<boolean> {
  return stat(p).then((s) => s.isDirectory(), () => false);
}

/** Plugins: single-file plugins (hello.php → hello) and folders whose top-level PHP file has a Plugin Name. */
async function plugins(dir: string): Promise<BundledAddon[]> {
  const out: BundledAddon[] = [];
  for (const entry of (await readdir(dir).catch(() => [] as string[])).sort()) {
    if (entry.startsWith('.')) continue;
    const p = join(dir, entry);
    if (await isDir(p)) {
      for (const f of (await readdir(p)).filter((n) => n.endsWith('.php')).sort()) {
        const text = await head(join(p, f));
        if (header(text, 'Plugin Name')) {
          out.push({ id: entry, version: header(text, 'Version'), entry });
          break;
        }
      }
    } else if (entry.endsWith('.php')) {
      const text = await head(p);
      if (header(text, 'Plugin Name')) out.push({ id: entry.slice(0, -'.php'.length), version: header(text, 'Version'), entry });
    }
  }
  return out;
}

/** Themes: folders with a style.css (the stylesheet folder is the slug). */
async function themes(dir: string): Promise<BundledAddon[]> {
  const out: BundledAddon[] = [];
  for (const entry of (await readdir(dir).catch(() => [] as string[])).sort()) {
    if (entry.startsWith('.') || !(await isDir(join(dir, entry)))) continue;
    const text = await head(join(dir, entry, 'style.css'));
    if (text) out.push({ id: entry, version: header(text, 'Version'), entry });
  }
  return out;
}

/** The add-ons bundled in the WordPress release unpacked at `releaseDir`. */
export async function readBundledAddons(releaseDir: string): Promise<BundledAddons> {
  return {
    plugins: await plugins(join(releaseDir, 'wp-content', 'plugins')),
    themes: await themes(join(releaseDir, 'wp-content', 'themes')),
  };
}
