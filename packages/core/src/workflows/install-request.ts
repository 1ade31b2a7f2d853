import { randomBytes, randomInt } from 'node:crypto';
import { EngineError, emptyArgument, invalidArgument, NOTIFICATIONS, type Autobk, type Autoup, type AutoupAddons, type AutoupBackup, type Notification } from '@installgate/contracts';
import type { DbCredentials, InstallFields } from './ports';

/** `POST /browser/{id}/install` after the edge parsed it (v2 names and values; spec §2.1). */
export interface InstallRequest {
  application: string;
  url: string;
  version?: string;
  url_ip?: string;
  db_host?: string;
  db_name?: string;
  db_user?: string;
  db_pass?: string;
  db_prefix?: string;
  db_host_ip?: string;
  login?: string;
  passwd?: string;
  email?: string;
  sitetitle?: string;
  sitetagline?: string;
  language?: string;
  /** `yes` sample content, `no` blank, or a template id. */
  content?: string;
  autoup?: Autoup;
  autoup_backup?: AutoupBackup;
  autoup_plugins?: AutoupAddons;
  autoup_themes?: AutoupAddons;
  autobk?: Autobk;
  autobk_schedule?: string;
  autobk_daily?: number;
  autobk_weekly?: number;
  autobk_monthly?: number;
  bkloc?: string;
  notification?: Notification[];
}

const LOGIN = /^[A-Za-z0-9._@-]{1,60}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PREFIX = /^[A-Za-z][A-Za-z0-9_]{0,19}$/;

/** A random password of 20 characters from an unambiguous alphabet (the customer reads it in an email). */
export function randomPassword(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789!#%+-=';
  let out = '';
  for (let i = 0; i < 20; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}

/** The admin login when none is given: "admin" and four random characters, like panels generate. */
export function randomLogin(): string {
  return `admin${randomBytes(3).toString('hex').slice(0, 4)}`;
}

/** Validates and completes the application fields (login, passwd, email, sitetitle, language). */
export function installFields(r: InstallRequest, opts: { ownerEmail: string; domain: string; languages: string[] }): InstallFields {
  const login = r.login ?? randomLogin();
  if (!LOGIN.test(login)) throw invalidArgument('login', 'login may contain letters, digits and . _ @ - (at most 60).');
  const passwd = r.passwd ?? randomPassword();
  if (passwd.length < 6 || passwd.length > 200) throw invalidArgument('passwd', 'passwd must have 6 to 200 characters.');
  const email = r.email ?? (opts.ownerEmail || `${login}@${opts.domain}`);
  if (!EMAIL.test(email)) throw invalidArgument('email', 'email is not an email address.');
  const sitetitle = r.sitetitle ?? 'My blog';
  if (sitetitle.length > 200) throw invalidArgument('sitetitle', 'sitetitle has at most 200 characters.');
  const language = r.language ?? 'en';
  if (!opts.languages.includes(language)) throw invalidArgument('language', `language must be one of ${opts.languages.join(', ')}.`);
  return { login, passwd, email, sitetitle, sitetagline: r.sitetagline, language };
}

/** Given database settings: all four of host, name, user and password, or none (spec §2.4 restore wording). */
export function givenDatabase(r: Pick<InstallRequest, 'db_host' | 'db_name' | 'db_user' | 'db_pass'>, prefix: string): DbCredentials | null {
  const given = (['db_host', 'db_name', 'db_user', 'db_pass'] as const).filter((k) => r[k] !== undefined && r[k] !== '');
  if (given.length === 0) return null;
  for (const k of ['db_name', 'db_user', 'db_pass', 'db_host'] as const) if (!given.includes(k)) throw emptyArgument(k, `${k} is required when a database is given.`);
  return { db_host: r.db_host!, db_name: r.db_name!, db_user: r.db_user!, db_pass: r.db_pass!, db_prefix: prefix };
}

/** The table prefix: given, else the application's default. */
export function tablePrefix(r: Pick<InstallRequest, 'db_prefix'>, fallback: string): string {
  const prefix = r.db_prefix ?? fallback;
  if (prefix !== '' && !PREFIX.test(prefix)) throw invalidArgument('db_prefix', 'db_prefix must start with a letter and have at most 20 letters, digits or _.');
  return prefix;
}

/** `content`: yes, no, or a template id (template content is applied by the templates workflow). */
export function contentChoice(content: string | undefined): { kind: 'yes' | 'no' } | { kind: 'template'; id: string } {
  if (content === undefined || content === 'yes' || content === '1' || content === 'true') return { kind: 'yes' };
  if (content === 'no' || content === '0' || content === 'false' || content === '') return { kind: 'no' };
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(content)) throw invalidArgument('content');
  return { kind: 'template', id: content };
}

/** Every notification type is on unless the caller chose (spec §2.1: "all types enabled"). */
export function notificationsOf(r: InstallRequest): Notification[] {
  return r.notification ?? [...NOTIFICATIONS];
}

/** A required string member, or empty_argument_<field>. */
export function required(value: string | undefined, field: string): string {
  if (value === undefined || value.trim() === '') throw new EngineError(`empty_argument_${field}`, { errfield: field });
  return value;
}
