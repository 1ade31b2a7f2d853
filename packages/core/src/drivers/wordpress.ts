/**
 * WordPress: a normal wp-config.php, WordPress's own installer (wp_install) run headless under PHP CLI, changes
 * through WordPress's own APIs, and one-time login files for SSO. The PHP side lives in php/wordpress/.
 *
 * Languages: the mirrored releases ship no language packs (Debian's l10n files and Playground's builds have none),
 * so only `en` installs; a release that has wp-content/languages/<locale>.mo also accepts that locale.
 */
import { EngineError, invalidArgument } from '@installgate/contracts';
import { checkCredentials, dropTables, listTables } from '../runtime/app-database';
import type { DbCredentials } from '../runtime/db-server';
import type { AddonItem, AddonList, AddonStateInput, AppDriver, DetectedInstall, DriverInstallInput, DriverInstallResult, InstallFields, RelocateInput, AppHost } from './app-driver';
import { localPhpExecutor, type PhpExecutor, type PhpHelperName } from './php-executor';
import { localAppFiles, type AppFiles } from './app-files';
import { checkInstallFields, checkPassword } from './php-support';
import { findWpConfig, readWpConfigDb, renderWpConfig, renewWpSalts, rewriteWpConfig } from './wordpress-config';
import { writeLoginFile } from './wordpress-sso';
import { readBundledAddons } from './wordpress-bundled';

const INSTALL_TIMEOUT_MS = 180_000;
const HELPER_TIMEOUT_MS = 60_000;

interface InspectResult {
  version: string;
  siteurl: string;
  fields: { sitetitle: string; sitetagline: string; email: string; login: string | null; locale: string };
  plugins: AddonList['plugins'];
  themes: AddonList['themes'];
}

/** API language → WordPress locale ('' = en_US, WordPress's built-in language). */
async function resolveLocale(files: AppFiles, language: string | undefined): Promise<string> {
  if (!language || /^en([_-]us)?$/i.test(language)) return '';
  const shipped = (await files.list('wp-content/languages'))
    .filter((n) => /^[a-z]{2,3}(_[A-Za-z0-9_]+)?\.mo$/.test(n))
    .map((n) => n.slice(0, -3));
  const locale = shipped.find((l) => l === language) ?? shipped.find((l) => l.split('_')[0] === language);
  if (!locale) {
    throw invalidArgument('language', `This WordPress release ships no ${language} language files; available: ${['en', ...shipped].join(', ')}.`);
  }
  return locale;
}

function languageOf(locale: string): string {
  return !locale || locale === 'en_US' ? 'en' : locale;
}

/** The install's executor: the one given (a remote site), else PHP CLI in its folder. */
const phpOf = (i: { dir: string } & AppHost): PhpExecutor => i.php ?? localPhpExecutor(i.dir);
/** The install's files: the ones given (a remote site), else its folder on this server. */
const filesOf = (i: { dir: string } & AppHost): AppFiles => i.files ?? localAppFiles(i.dir);

async function runHelper<T>(php: PhpExecutor, helper: PhpHelperName, input: Record<string, unknown>, what: string, secrets: string[], timeoutMs = HELPER_TIMEOUT_MS): Promise<T> {
  return php.run<T>(helper, input, { what, secrets, timeoutMs });
}

async function inspect(php: PhpExecutor, url: string): Promise<InspectResult> {
  return runHelper<InspectResult>(php, 'wordpress/inspect.php', { url }, 'Reading the WordPress site', []);
}

export const wordpressDriver: AppDriver = {
  name: 'wordpress',
  usesDatabase: true,
  adminPath: 'wp-admin',
  remoteSites: true,

  async install(i: DriverInstallInput): Promise<DriverInstallResult> {
    const { dir, url, db, fields } = i;
    if (!db) throw new EngineError('empty_argument_db_name');
    checkInstallFields(fields);
    // wpdb::set_prefix() refuses anything else, and an empty prefix would mix WordPress into other apps' tables.
    if (!/^[A-Za-z0-9_]{1,32}$/.test(db.db_prefix)) throw invalidArgument('db_prefix', 'The table prefix must be 1–32 letters, digits or _.');
    const installDb = i.dbHostForInstall ? { ...db, db_host: i.dbHostForInstall } : db;
    await checkCredentials(installDb);
    if ((await listTables(installDb, db.db_prefix)).length > 0) {
      throw invalidArgument('db_prefix', 'The database already has tables with this prefix.');
    }
    const files = filesOf(i);
    const locale = await resolveLocale(files, fields.language);
    if (await findWpConfig(files)) throw new EngineError('internal_error', { message: `${files.where} already has a wp-config.php.` });

    const config = 'wp-config.php';
    // 0640: it holds the database password.
    await files.create(config, renderWpConfig(installDb), 0o640);
    try {
      const res = await runHelper<{ version: string } & AddonList>(
        phpOf(i),
        'wordpress/install.php',
        {
          url,
          title: fields.sitetitle,
          tagline: fields.sitetagline,
          login: fields.login,
          email: fields.email,
          password: fields.passwd,
          public: true,
          content: i.content,
          locale,
        },
        'The WordPress installer',
        [db.db_pass, fields.passwd],
        INSTALL_TIMEOUT_MS,
      );
      if (i.dbHostForInstall) await files.replace(config, rewriteWpConfig((await files.readText(config)) ?? '', db));
      const tables = await listTables(installDb, db.db_prefix);
      // Checked, not trusted (PHP output): without both lists, the workflow asks addons() instead.
      const addons = Array.isArray(res.plugins) && Array.isArray(res.themes) ? { plugins: res.plugins, themes: res.themes } : undefined;
      return { version: res.version, tables, files: ['wp-config.php'], ...(addons ? { addons } : {}) };
    } catch (e) {
      // Leave the folder and database as they were before: the prefix had no tables, so all of them are ours.
      await files.remove(config).catch(() => undefined);
      const left = await listTables(installDb, db.db_prefix).catch(() => [] as string[]);
      await dropTables(installDb, left).catch(() => undefined);
      throw e;
    }
  },

  async detect(dir: string, opts?: AppHost): Promise<DetectedInstall | null> {
    const files = filesOf({ dir, ...opts });
    if ((await files.readText('wp-settings.php')) === null) return null;
    const versionPhp = await files.readText('wp-includes/version.php');
    const version = versionPhp && /\$wp_version\s*=\s*'([^']+)'/.exec(versionPhp)?.[1];
    if (!version) return null;
    const db = await readWpConfigDb(files);
    let fields: Partial<InstallFields> = {};
    if (db) {
      try {
        const f = (await inspect(phpOf({ dir, ...opts }), '')).fields;
        fields = {
          sitetitle: f.sitetitle,
          sitetagline: f.sitetagline,
          email: f.email,
          language: languageOf(f.locale),
          ...(f.login ? { login: f.login } : {}),
        };
      } catch {
        // The database is unreachable or the site is broken: version and config are still worth returning.
      }
    }
    return { version, db, fields };
  },

  async setFields(i: { dir: string; url: string; db: DbCredentials | null; changes: Partial<InstallFields>; login?: string } & AppHost): Promise<void> {
    const c = i.changes;
    const changes: Record<string, string> = {};
    if (c.login !== undefined) changes.login = c.login;
    if (c.passwd !== undefined) {
      checkPassword(c.passwd);
      changes.passwd = c.passwd;
    }
    if (c.email !== undefined) changes.email = c.email;
    if (c.sitetitle !== undefined) changes.sitetitle = c.sitetitle;
    if (c.sitetagline !== undefined) changes.sitetagline = c.sitetagline;
    if (c.language !== undefined) changes.locale = await resolveLocale(filesOf(i), c.language);
    if (Object.keys(changes).length === 0) return;
    // i.db is not needed: wp-config.php is what WordPress connects with.
    await runHelper(phpOf(i), 'wordpress/set-fields.php', { url: i.url, login: i.login, changes }, 'Changing the WordPress site', c.passwd ? [c.passwd] : []);
  },

  async setDatabase(i: { dir: string; db: DbCredentials } & AppHost): Promise<void> {
    const files = filesOf(i);
    const file = await findWpConfig(files);
    const text = file ? await files.readText(file) : null;
    if (!file || text === null) throw new EngineError('failed_filesystem_directory', { message: `No wp-config.php for ${files.where}.` });
    await files.replace(file, rewriteWpConfig(text, i.db));
  },

  async renewSecrets(i: { dir: string } & AppHost): Promise<void> {
    const files = filesOf(i);
    const file = await findWpConfig(files);
    const text = file ? await files.readText(file) : null;
    if (!file || text === null) throw new EngineError('failed_filesystem_directory', { message: `No wp-config.php for ${files.where}.` });
    await files.replace(file, renewWpSalts(text));
  },

  async createLoginUrl(i: { dir: string; url: string; db: DbCredentials | null; login: string; redirect?: string; ttlSeconds?: number } & AppHost): Promise<string> {
    const files = filesOf(i);
    await this.version(i.dir, { files }); // not a WordPress folder → failed_filesystem_directory, before anything is written
    return writeLoginFile({ files, url: i.url, login: i.login, redirect: i.redirect, ttlSeconds: i.ttlSeconds });
  },

  async addons(i: { dir: string; url: string; db: DbCredentials | null } & AppHost): Promise<AddonList> {
    const r = await inspect(phpOf(i), i.url);
    return { plugins: r.plugins, themes: r.themes };
  },

  async addonState(i: AddonStateInput): Promise<AddonItem[]> {
    // Only the request goes to PHP: the host's executor and files are this side's objects.
    const { dir, php, files, ...input } = i;
    // A plugin's activation may print WordPress's configuration: the database password is masked in any message.
    const secrets = [(await readWpConfigDb(filesOf(i)).catch(() => null))?.db_pass ?? ''].filter((p) => p !== '');
    const r = await runHelper<{ items: AddonItem[] }>(phpOf(i), 'wordpress/addon-state.php', input, `Changing the WordPress ${i.kind}`, secrets);
    // Checked, not trusted (PHP output).
    if (!Array.isArray(r.items)) throw new EngineError('internal_error', { message: `WordPress did not list its ${i.kind}.` });
    return r.items;
  },

  async relocate(i: RelocateInput): Promise<void> {
    const pairs: [string, string][] = [];
    const add = (from: string, to: string) => {
      if (!from || from === to) return;
      pairs.push([from, to]);
      // JSON (block attributes, REST caches) stores '/' as '\/'.
      if (from.includes('/')) pairs.push([from.replace(/\//g, '\\/'), to.replace(/\//g, '\\/')]);
    };
    add(i.from.url.replace(/\/+$/, ''), i.to.url.replace(/\/+$/, ''));
    add(i.from.path.replace(/\/+$/, ''), i.to.path.replace(/\/+$/, ''));
    if ((pairs.length === 0 && i.from.prefix === i.to.prefix) || i.tables?.length === 0) return;
    await runHelper(phpOf(i), 'wordpress/relocate.php', { pairs, old_prefix: i.from.prefix, new_prefix: i.to.prefix, ...(i.tables ? { tables: i.tables } : {}) }, 'Moving the WordPress site', [], INSTALL_TIMEOUT_MS);
  },

  update: {
    // The owner's themes, plugins, uploads; a core update adds the release's new bundled themes/plugins only.
    keep: ['wp-content'],
    addonDirs: { plugins: 'wp-content/plugins', themes: 'wp-content/themes' },
    bundledAddons: readBundledAddons,
    async upgradeDatabase(i: { dir: string; url: string } & AppHost): Promise<{ version: string }> {
      try {
        // WordPress's own output may quote its configuration: the database password is masked in any message.
        const secrets = [(await readWpConfigDb(filesOf(i)).catch(() => null))?.db_pass ?? ''].filter((p) => p !== '');
        return await runHelper<{ version: string }>(phpOf(i), 'wordpress/upgrade.php', { url: i.url }, 'The WordPress database upgrade (wp_upgrade)', secrets, INSTALL_TIMEOUT_MS);
      } catch (e) {
        // The helper's refusals name no API field: a failed upgrade is the engine's failure, not the caller's input.
        if (e instanceof EngineError && e.errcode.startsWith('invalid_argument_')) throw new EngineError('internal_error', { message: e.message });
        throw e;
      }
    },
  },

  async version(dir: string, host?: AppHost): Promise<string> {
    const files = filesOf({ dir, ...host });
    const text = await files.readText('wp-includes/version.php');
    const v = text && /\$wp_version\s*=\s*'([^']+)'/.exec(text)?.[1];
    if (!v) throw new EngineError('failed_filesystem_directory', { message: `${files.where} holds no WordPress (wp-includes/version.php).` });
    return v;
  },
};
