import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { defaultMirrorDir, readMirrorReleases } from '@installgate/testkit';
import type { AppHarness } from './app-harness';
import { fetchPage, tablesOf } from './install-helpers';
import { isDashboard, wordpressLogin } from './web-client';

/**
 * Shared pieces of the update suites (wordpress-update, wordpress-update-failures): WordPress installs to update,
 * what "the site works" and "byte-identical" mean, refusals read the same way through v2 and v1, and a mirror with
 * a deliberately broken release.
 */

export const PASS = 'Upd4te-Pa55-word!';
export const PATH = ['6.2.6', '6.3.5', '6.4.5', '6.5.5'];

export function wpDbVersion(mirror: string, v: string): number {
  return readMirrorReleases(mirror, 'wordpress').releases.find((r) => r.version === v)!.wp_db_version!;
}

/** Every file under `dir` with its mode and content hash: "byte-identical" made checkable. */
export function fingerprint(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string, rel: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      const full = path.join(d, e.name);
      const mode = (fs.lstatSync(full).mode & 0o7777).toString(8);
      if (e.isDirectory()) {
        out.push(`${r}/ ${mode}`);
        walk(full, r);
      } else {
        out.push(`${r} ${mode} ${createHash('sha256').update(fs.readFileSync(full)).digest('hex')}`);
      }
    }
  };
  walk(dir, '');
  return out;
}

/** CHECKSUM TABLE of every table of the database, and SHOW CREATE TABLE (AUTO_INCREMENT included). */
export async function tableState(h: AppHarness, db: string): Promise<string[]> {
  const out: string[] = [];
  for (const t of await tablesOf(h, db)) {
    out.push(...(await h.sql(`CHECKSUM TABLE \`${db}\`.\`${t}\` EXTENDED`)));
    out.push((await h.sql(`SHOW CREATE TABLE \`${db}\`.\`${t}\``)).join('\n'));
  }
  return out;
}

export interface Site { id: string; path: string; url: string; db_name: string; db_prefix: string }

/**
 * A refused update through v2, or through v1 (plain v1 answers HTTP 200 with result false and the errcode; with
 * api_version=2.0 the same call carries the v2 status and errfield): the answer's status, errcode and errfield.
 */
export async function refusal(h: AppHarness, protocol: 'v1' | 'v2', id: string, params: Record<string, unknown>, cmd = 'update'): Promise<{ status: number; result: unknown; errcode: unknown; errfield: unknown }> {
  if (protocol === 'v2') {
    const r = await h.v2('post', `/installs/${id}/update`).send(params);
    return { status: r.status, result: r.body.result, errcode: r.body.errcode, errfield: r.body.errfield };
  }
  const v1 = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : String(v)]));
  const plain = await h.v1({ cmd, id, ...v1 });
  const r = await h.v1({ cmd, id, api_version: '2.0', ...v1 });
  expect({ http: plain.status, result: plain.body.result, errcode: plain.body.errcode }).toEqual({ http: 200, result: false, errcode: r.body.errcode });
  return { status: r.status, result: r.body.result, errcode: r.body.errcode, errfield: r.body.errfield };
}

export async function install(h: AppHarness, slug: string, title: string, version = '6.1.9'): Promise<Site> {
  const r = await h.v2('post', '/browser/wordpress/install').send({ url: `${h.site}/${slug}`, user: h.owner, version, sitetitle: title, login: 'upd_admin', passwd: PASS });
  expect({ result: r.body.result, message: r.body.message }).toMatchObject({ result: true });
  expect(r.body.data.version).toBe(version);
  return r.body.data;
}

/** The site works: front page with its title and the sample post, the database at the release's db_version, login. */
export async function expectWorkingSite(h: AppHarness, site: Site, title: string, version: string, mirror: string): Promise<void> {
  const page = await fetchPage(`${site.url}/`);
  expect(page.status).toBe(200);
  expect(page.body).toContain(title);
  expect(page.body).toContain('Hello world!');
  expect(page.body).toContain(`ver=${version}`);
  expect(fs.readFileSync(path.join(site.path, 'wp-includes', 'version.php'), 'utf8')).toContain(`$wp_version = '${version}'`);
  expect(await h.sql(`SELECT option_value FROM \`${site.db_name}\`.\`${site.db_prefix}options\` WHERE option_name = 'db_version'`)).toEqual([String(wpDbVersion(mirror, version))]);
  expect(isDashboard(await wordpressLogin(site.url, 'upd_admin', PASS))).toBe(true);
  // Nothing of the update is left: no private folders, no tables kept aside.
  expect(fs.readdirSync(site.path).filter((n) => n.startsWith('.ig-'))).toEqual([]);
  expect((await tablesOf(h, site.db_name)).every((t) => t.startsWith(site.db_prefix))).toBe(true);
}

/** A copy of the mirror whose 6.3.5 breaks in wp_upgrade() after changing the database (an uncaught PHP Error). */
export function brokenMirror(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ig-broken-mirror-'));
  execFileSync('cp', ['-a', defaultMirrorDir() + '/.', dir]);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ig-broken-release-'));
  const archive = path.join(dir, 'wordpress', 'wordpress-6.3.5.tar.gz');
  execFileSync('tar', ['-xzf', archive, '-C', work]);
  const file = path.join(work, 'wordpress', 'wp-admin', 'includes', 'upgrade.php');
  const text = fs.readFileSync(file, 'utf8');
  const at = 'make_db_current_silent(); upgrade_all();';
  if (text.split(at).length !== 2) throw new Error(`wp-admin/includes/upgrade.php of 6.3.5 does not hold "${at}" once`);
  fs.writeFileSync(file, text.replace(at, `${at} throw new Error('this copy of the release is broken');`));
  fs.rmSync(archive);
  execFileSync('tar', ['-czf', archive, '-C', work, 'wordpress']);
  fs.rmSync(work, { recursive: true, force: true });
  const bytes = fs.readFileSync(archive);
  const releasesFile = path.join(dir, 'wordpress', 'releases.json');
  const releases = JSON.parse(fs.readFileSync(releasesFile, 'utf8'));
  const entry = releases.releases.find((r: { version: string }) => r.version === '6.3.5');
  Object.assign(entry, { sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length });
  fs.writeFileSync(releasesFile, JSON.stringify(releases, null, 2));
  return dir;
}
