import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { repoRoot } from './repo-root';

/** The apps whose releases the mirror holds (a directory each, with releases.json). */
export const MIRROR_APPS = ['wordpress', 'testapp-db', 'testapp-static'] as const;

export interface MirrorRelease {
  version: string;
  archive: string;
  sha256: string;
  size: number;
  source: string;
  /** WordPress only, from wp-includes/version.php. */
  wp_db_version?: number;
  required_php_version?: string;
  required_mysql_version?: string;
  /** Test apps: whether the app needs a database. */
  database?: boolean;
}

export interface MirrorReleases {
  app: string;
  generated_by: string;
  releases: MirrorRelease[];
}

/** The default mirror location: <repo>/.cache/app-mirror (gitignored). */
export function defaultMirrorDir(): string {
  return join(repoRoot(), '.cache', 'app-mirror');
}

const DEBIAN_WORDPRESS_VERSION_PHP = '/usr/share/wordpress/wp-includes/version.php';

/**
 * Whether every app has a releases.json, every test-app version under apps/ has its archive, and WordPress has a
 * release from each source that is installed now (Debian's package, the npm package of 6.2 … 6.5 builds): a mirror
 * built before one of them was installed is built again.
 */
function isComplete(dir: string): boolean {
  for (const app of MIRROR_APPS) {
    if (!existsSync(join(dir, app, 'releases.json'))) return false;
  }
  const versions = readMirrorReleases(dir, 'wordpress').releases.map((r) => r.version);
  if (existsSync(DEBIAN_WORDPRESS_VERSION_PHP)) {
    const debian = /\$wp_version = '([^']+)'/.exec(readFileSync(DEBIAN_WORDPRESS_VERSION_PHP, 'utf8'))?.[1];
    if (debian && !versions.includes(debian)) return false;
  }
  const builds = join(repoRoot(), 'packages', 'testkit', 'node_modules', '@wp-playground', 'wordpress-builds', 'package.json');
  if (existsSync(builds) && !versions.some((v) => /^6\.[2-5]\./.test(v))) return false;
  for (const app of ['testapp-db', 'testapp-static']) {
    const src = join(repoRoot(), 'apps', app);
    for (const version of existsSync(src) ? readdirSync(src) : []) {
      if (!existsSync(join(dir, app, `${app}-${version}.tar.gz.json`))) return false;
    }
  }
  return true;
}

/**
 * The application mirror's path, built first by scripts/provision/build-app-mirror.sh when it is missing or lacks a
 * test-app version (the script itself is idempotent and cheap when all is built: pass { rebuild: true } to run it
 * anyway, e.g. after editing a test app's files). Cold, the build takes about 25 s (WordPress archives).
 */
export async function ensureMirror(dir?: string, opts: { rebuild?: boolean } = {}): Promise<string> {
  const mirror = resolve(dir ?? defaultMirrorDir());
  if (!opts.rebuild && isComplete(mirror)) return mirror;
  const script = join(repoRoot(), 'scripts', 'provision', 'build-app-mirror.sh');
  await new Promise<void>((resolveBuild, reject) => {
    execFile('bash', [script, mirror], { maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) {
        const out = `${stdout}${stderr}`.trim().split('\n').slice(-20).join('\n');
        reject(new Error(`ensureMirror: ${script} failed (${error.message.split('\n')[0]}):\n${out}`));
      } else {
        resolveBuild();
      }
    });
  });
  if (!isComplete(mirror)) throw new Error(`ensureMirror: ${mirror} is still incomplete after the build`);
  return mirror;
}

/** The releases.json of one app of the mirror. */
export function readMirrorReleases(mirror: string, app: string): MirrorReleases {
  return JSON.parse(readFileSync(join(mirror, app, 'releases.json'), 'utf8')) as MirrorReleases;
}
