/**
 * Applications without a database whose `installer.php` renders their pages (testapp-static, see apps/README.md):
 * `TESTAPP_SITE_TITLE` in, `index.html` out. A new title is applied by running the installer again.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { EngineError, invalidArgument } from '@installgate/contracts';
import type { DbCredentials } from '../runtime/db-server';
import { runPhp } from '../runtime/php';
import type { AppDriver, DetectedInstall, DriverInstallInput, DriverInstallResult, InstallFields } from './app-driver';
import { outputTail, readText, VERSION_FILE_APP_MEMBERS } from './php-support';

async function render(dir: string, title: string): Promise<string> {
  if (!title) throw invalidArgument('sitetitle', 'The site title is required.');
  const r = await runPhp(join(dir, 'installer.php'), { cwd: dir, env: { TESTAPP_SITE_TITLE: title }, timeoutMs: 60_000 });
  const out = r.code === 0 ? (JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as { ok?: boolean; version?: string }) : {};
  if (!out.ok || !out.version) throw new EngineError('internal_error', { message: `The application's installer failed (exit ${r.code}): ${outputTail(r, [])}` });
  return out.version;
}

function htmlDecode(s: string): string {
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", '#039': "'" };
  return s.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (m, e: string) => {
    if (named[e.toLowerCase()]) return named[e.toLowerCase()];
    if (e[0] === '#') return String.fromCodePoint(e[1].toLowerCase() === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    return m;
  });
}

export const staticInstallerDriver: AppDriver = {
  name: 'static-installer',
  usesDatabase: false,
  adminPath: '',
  // installer.php renders index.html with PHP CLI in the app's folder: this server only.
  remoteSites: false,

  async install(i: DriverInstallInput): Promise<DriverInstallResult> {
    try {
      return { version: await render(i.dir, i.fields.sitetitle), tables: [], files: ['index.html'] };
    } catch (e) {
      await rm(join(i.dir, 'index.html'), { force: true }).catch(() => undefined);
      throw e;
    }
  },

  async detect(dir: string): Promise<DetectedInstall | null> {
    const [template, versionText] = await Promise.all([readText(join(dir, 'index.template.html')), readText(join(dir, 'VERSION'))]);
    if (template === null || versionText === null || (await readText(join(dir, 'installer.php'))) === null) return null;
    const html = await readText(join(dir, 'index.html'));
    const title = html && /<title>([^<]*)<\/title>/.exec(html)?.[1];
    const fields: Partial<InstallFields> = title !== undefined && title !== null ? { sitetitle: htmlDecode(title) } : {};
    return { version: versionText.trim(), db: null, fields };
  },

  async setFields(i: { dir: string; url: string; db: DbCredentials | null; changes: Partial<InstallFields> }): Promise<void> {
    // The only field this kind of app has; admin fields have nothing to apply to.
    if (i.changes.sitetitle !== undefined) await render(i.dir, i.changes.sitetitle);
  },

  async setDatabase(): Promise<void> {
    throw invalidArgument('db_name', 'This application does not use a database.');
  },

  ...VERSION_FILE_APP_MEMBERS,
};
