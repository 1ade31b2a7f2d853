/**
 * Applications installed by their own command-line `installer.php` that needs a database (testapp-db, see
 * apps/README.md): options come from TESTAPP_* environment variables (secrets stay out of argv), the installer
 * writes `config.php` (`return [db_host, db_port, db_name, db_user, db_pass, db_prefix]`).
 */
import { join } from 'node:path';
import { EngineError, invalidArgument } from '@installgate/contracts';
import { checkCredentials, dropTables, listTables, withAppConnection } from '../runtime/app-database';
import { DEFAULT_DB_PORT, parseDbHost, type DbCredentials } from '../runtime/db-server';
import { phpHelper, runPhp } from '../runtime/php';
import type { AppDriver, DetectedInstall, DriverInstallInput, DriverInstallResult, InstallFields } from './app-driver';
import { checkInstallFields, checkPassword, helperResult, outputTail, phpString, readText, VERSION_FILE_APP_MEMBERS, writeConfigAtomic } from './php-support';
import { rm } from 'node:fs/promises';
import type { RowDataPacket } from 'mysql2/promise';

const TIMEOUT_MS = 120_000;

/** What config.php holds. */
interface AppConfig {
  db_host: string;
  db_port: number;
  db_name: string;
  db_user: string;
  db_pass: string;
  db_prefix: string;
}

/** DbCredentials → config.php's split host/port (a unix socket is not something this config can say). */
function toConfig(db: DbCredentials): AppConfig {
  const ep = parseDbHost(db.db_host);
  if (ep.socketPath) throw invalidArgument('db_host', 'This application connects over TCP only (host or host:port).');
  return { db_host: ep.host, db_port: ep.port, db_name: db.db_name, db_user: db.db_user, db_pass: db.db_pass, db_prefix: db.db_prefix };
}

function fromConfig(c: AppConfig): DbCredentials {
  const host = Number(c.db_port) === DEFAULT_DB_PORT ? c.db_host : `${c.db_host}:${c.db_port}`;
  return { db_host: host, db_name: c.db_name, db_user: c.db_user, db_pass: c.db_pass, db_prefix: c.db_prefix };
}

function renderConfig(c: AppConfig): string {
  return [
    '<?php',
    '// Written by installer.php; database settings rewritten by Installgate.',
    'return array (',
    `  'db_host' => ${phpString(c.db_host)},`,
    `  'db_port' => ${Math.trunc(Number(c.db_port))},`,
    `  'db_name' => ${phpString(c.db_name)},`,
    `  'db_user' => ${phpString(c.db_user)},`,
    `  'db_pass' => ${phpString(c.db_pass)},`,
    `  'db_prefix' => ${phpString(c.db_prefix)},`,
    ');',
    '',
  ].join('\n');
}

async function readConfig(dir: string): Promise<AppConfig | null> {
  const r = await runPhp(phpHelper('php-installer', 'read-config.php'), { cwd: dir, input: { dir }, timeoutMs: 30_000 });
  return helperResult<{ config: AppConfig | null }>(r, 'Reading config.php', []).config;
}

/** The installer's one-line refusals → the API field at fault (and what to tell the caller first, if anything). */
const REFUSALS: Array<[RegExp, string, string?]> = [
  // A given database whose user may read but not create tables: the caller's db_user lacks privileges.
  [/database error: .*command denied to user/i, 'db_user', 'The database user may not create tables in this database (it needs ALL PRIVILEGES on it)'],
  [/invalid --db-prefix/, 'db_prefix'],
  [/invalid --admin-email/, 'email'],
  [/invalid --admin-login/, 'login'],
  [/missing --site-title/, 'sitetitle'],
  [/missing --admin-login/, 'login'],
  [/missing --admin-pass/, 'passwd'],
  [/missing --admin-email/, 'email'],
];

export const phpInstallerDriver: AppDriver = {
  name: 'php-installer',
  usesDatabase: true,
  adminPath: '',
  // installer.php gets its secrets in the environment, which an HTTP request cannot carry: this server only.
  remoteSites: false,

  async install(i: DriverInstallInput): Promise<DriverInstallResult> {
    const { dir, db, fields } = i;
    if (!db) throw new EngineError('empty_argument_db_name');
    checkInstallFields(fields);
    const installDb = i.dbHostForInstall ? { ...db, db_host: i.dbHostForInstall } : db;
    const target = toConfig(installDb);
    await checkCredentials(installDb);
    if ((await listTables(installDb, db.db_prefix)).length > 0) throw invalidArgument('db_prefix', 'The database already has tables with this prefix.');
    const secrets = [db.db_pass, fields.passwd];
    const env: Record<string, string> = {
      TESTAPP_DB_HOST: target.db_host,
      TESTAPP_DB_PORT: String(target.db_port),
      TESTAPP_DB_NAME: target.db_name,
      TESTAPP_DB_USER: target.db_user,
      TESTAPP_DB_PASS: target.db_pass,
      TESTAPP_DB_PREFIX: target.db_prefix,
      TESTAPP_ADMIN_LOGIN: fields.login,
      TESTAPP_ADMIN_PASS: fields.passwd,
      TESTAPP_ADMIN_EMAIL: fields.email,
      TESTAPP_SITE_TITLE: fields.sitetitle,
    };
    try {
      const r = await runPhp(join(dir, 'installer.php'), { cwd: dir, env, timeoutMs: TIMEOUT_MS });
      if (r.code !== 0) {
        const refusal = REFUSALS.find(([re]) => re.test(r.stderr));
        if (refusal) {
          const said = outputTail({ stdout: '', stderr: r.stderr }, secrets);
          throw invalidArgument(refusal[1], refusal[2] ? `${refusal[2]}: ${said}` : said);
        }
        throw new EngineError('internal_error', { message: `The application's installer failed (exit ${r.code}): ${outputTail(r, secrets)}` });
      }
      const out = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as { ok?: boolean; version?: string };
      if (!out.ok || !out.version) throw new EngineError('internal_error', { message: `The application's installer gave no result: ${outputTail(r, secrets)}` });
      if (i.dbHostForInstall) await writeConfigAtomic(join(dir, 'config.php'), renderConfig(toConfig(db)));
      return { version: out.version, tables: await listTables(installDb, db.db_prefix), files: ['config.php'] };
    } catch (e) {
      await rm(join(dir, 'config.php'), { force: true }).catch(() => undefined);
      const left = await listTables(installDb, db.db_prefix).catch(() => [] as string[]);
      await dropTables(installDb, left).catch(() => undefined);
      throw e;
    }
  },

  async detect(dir: string): Promise<DetectedInstall | null> {
    const [installer, sql, versionText] = await Promise.all([readText(join(dir, 'installer.php')), readText(join(dir, 'install.sql')), readText(join(dir, 'VERSION'))]);
    if (installer === null || sql === null || versionText === null) return null;
    const config = await readConfig(dir);
    const db = config ? fromConfig(config) : null;
    const fields: Partial<InstallFields> = {};
    if (db) {
      await withAppConnection(db, async (c) => {
        const p = db.db_prefix;
        // 2.0.0 renamed settings(name, value) to options(option_name, option_value).
        const [t] = await c.query<RowDataPacket[]>('SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?', [db.db_name, `${p}options`]);
        const [rows] = t.length
          ? await c.query<RowDataPacket[]>(`SELECT option_value AS v FROM \`${p}options\` WHERE option_name = 'site_title'`)
          : await c.query<RowDataPacket[]>(`SELECT value AS v FROM \`${p}settings\` WHERE name = 'site_title'`);
        if (rows[0]) fields.sitetitle = String(rows[0].v);
        const [admins] = await c.query<RowDataPacket[]>(`SELECT login, email FROM \`${p}users\` WHERE is_admin = 1 ORDER BY id LIMIT 1`);
        if (admins[0]) Object.assign(fields, { login: String(admins[0].login), email: String(admins[0].email) });
      }).catch(() => undefined); // unreachable database: version and config still count
    }
    return { version: versionText.trim(), db, fields };
  },

  async setFields(i: { dir: string; url: string; db: DbCredentials | null; changes: Partial<InstallFields>; login?: string }): Promise<void> {
    const { login, passwd, email, sitetitle } = i.changes;
    if (passwd !== undefined) checkPassword(passwd);
    const changes = Object.fromEntries(Object.entries({ login, passwd, email, sitetitle }).filter(([, v]) => v !== undefined));
    if (Object.keys(changes).length === 0) return;
    const r = await runPhp(phpHelper('php-installer', 'set-fields.php'), { cwd: i.dir, input: { dir: i.dir, login: i.login, changes }, timeoutMs: 30_000 });
    helperResult(r, 'Changing the application', passwd ? [passwd] : []);
  },

  async setDatabase(i: { dir: string; db: DbCredentials }): Promise<void> {
    if (!/^[A-Za-z0-9_]{0,20}$/.test(i.db.db_prefix)) throw invalidArgument('db_prefix', 'The table prefix must be at most 20 letters, digits or _.');
    if ((await readText(join(i.dir, 'config.php'))) === null) throw new EngineError('failed_filesystem_directory', { message: `No config.php in ${i.dir}.` });
    await writeConfigAtomic(join(i.dir, 'config.php'), renderConfig(toConfig(i.db)));
  },

  update: {
    keep: [],
    /** The release's own upgrade.php (apps/README.md): applies the schema steps from the database's db_version on. */
    async upgradeDatabase(i: { dir: string; url: string }): Promise<{ version: string }> {
      const r = await runPhp(join(i.dir, 'upgrade.php'), { cwd: i.dir, timeoutMs: TIMEOUT_MS });
      const out = (() => {
        try {
          return JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as { ok?: boolean; to?: string };
        } catch {
          return {};
        }
      })();
      if (r.code !== 0 || !out.ok || !out.to) {
        throw new EngineError('internal_error', { message: `The application's upgrade.php failed (exit ${r.code}): ${outputTail(r, [])}` });
      }
      return { version: out.to };
    },
  },

  ...VERSION_FILE_APP_MEMBERS,
};
