import { zBackup, zInstall, zTemplate, type Backup, type Install, type Template } from '@installgate/contracts';
import { newRecordId } from '../store/new-record-id';
import { checkRecord } from '../store/record-codec';

/*
 * Complete, zod-valid records for tests (this package's, the server's, the compat suites'). Modelled on the
 * documentation's backup example (shared/seeds/backups-view.txt). Each call gets a fresh random id unless one
 * is given; derived members (url_domain, path, file) follow the overrides so records stay self-consistent.
 */

const WP_FILES = [
  'index.php', 'license.txt', '.htaccess', 'readme.html', 'wp-activate.php', 'wp-admin', 'wp-blog-header.php',
  'wp-comments-post.php', 'wp-config.php', 'wp-config-sample.php', 'wp-content', 'wp-cron.php', 'wp-includes',
  'wp-links-opml.php', 'wp-load.php', 'wp-login.php', 'wp-mail.php', 'wp-settings.php', 'wp-signup.php',
  'wp-trackback.php', 'xmlrpc.php',
];

const WP_TABLES = [
  'commentmeta', 'comments', 'links', 'options', 'postmeta', 'posts', 'term_relationships', 'term_taxonomy',
  'termmeta', 'terms', 'usermeta', 'users',
];

function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return '';
  }
}

/** A WordPress install owned by `useraccountname` at https://website.com/blog, with overrides applied. */
export function makeInstallRecord(overrides: Partial<Install> = {}): Install {
  const id = overrides.id ?? newRecordId();
  const user = overrides.user ?? 'useraccountname';
  const url = overrides.url ?? 'https://website.com/blog';
  const prefix = overrides.db_prefix ?? 'wp_';
  const record: Install = {
    id,
    agent: '5.0.0',
    application: 'wordpress',
    autobk: 'none',
    autobk_schedule: '',
    autobk_daily: 0,
    autobk_weekly: 0,
    autobk_monthly: 0,
    autoup: 'minor',
    autoup_backup: 'all',
    autoup_plugins: 'all',
    autoup_themes: 'all',
    bkloc: 'local',
    cache_files: 12345678,
    cache_numbackups: 0,
    cache_preview: 12345,
    cache_tables: 123456,
    cache_time: 1234567890,
    cache_numerrors: 0,
    cache_numwarnings: 0,
    db_host: 'localhost',
    db_type: 'mysql',
    db_name: 'databasename',
    db_user: 'databaseusername',
    db_pass: 'dAtAbAsEpAs5//0rD',
    db_prefix: prefix,
    login: 'admin123',
    email: 'admin@website.com',
    language: 'en',
    sitetitle: 'My blog',
    sitetagline: 'Just another WordPress site',
    limitloginattempts: 'yes',
    twofactor: 'no',
    exclude_files: [],
    failures: [],
    file: `/home/${user}/.appdata/current/${id}`,
    files: [...WP_FILES],
    incomplete: false,
    link_admin: 'wp-admin',
    notification: ['update_available', 'update', 'update_error'],
    parent: '',
    path: `/home/${user}/public_html/blog`,
    path_created: '',
    plugins: [
      { id: 'akismet', version: '5.3.6', activated: false, autoup: 'all' },
      { id: 'limit-login-attempts-reloaded', version: '2.26.18', activated: true, autoup: 'all' },
    ],
    stage: '',
    tables: WP_TABLES.map((t) => prefix + t),
    themes: [
      { id: 'twentytwentythree', version: '1.6', activated: false, autoup: 'all' },
      { id: 'twentytwentyfive', version: '1.1', activated: true, autoup: 'all' },
    ],
    time_created: 1611356510,
    time_updated: 1647057773,
    title: 'My blog',
    url,
    url_domain: hostOf(url),
    user,
    version: '6.7.2',
    version_autouped: '6.7.2',
    version_autouped_attempts: 0,
    version_available: '',
    version_available_minor: '',
    version_updates_available: 0,
    ...overrides,
  };
  return checkRecord(zInstall, record, 'makeInstallRecord');
}

/** A backup of a makeInstallRecord install (`id` = backup id, `backup_install` = the install's id). */
export function makeBackupRecord(overrides: Partial<Backup> = {}): Backup {
  const { backup_filename, backup_install, backup_location, backup_note, backup_time, backup_expires, ...rest } = overrides;
  const install = makeInstallRecord({ ...rest, id: rest.id ?? newRecordId() });
  const domain = install.url_domain.replace(/\./g, '-');
  const record: Backup = {
    ...install,
    backup_filename: backup_filename ?? `app_${domain}_${install.title.replace(/\s+/g, '-')}_2021-01-01_12-00-00.tar.gz`,
    backup_install: backup_install ?? newRecordId(),
    backup_location: backup_location ?? 'local',
    backup_note: backup_note ?? '',
    backup_time: backup_time ?? 1609502400,
    backup_expires: backup_expires ?? 0,
  };
  return checkRecord(zBackup, record, 'makeBackupRecord');
}

/** A user-scoped template captured from a makeInstallRecord install. */
export function makeTemplateRecord(overrides: Partial<Template> = {}): Template {
  const {
    template_name, template_desc, template_scope, template_application, template_filename, template_install,
    template_time, template_image, template_icon, template_appcategory, template_size, template_sha256, ...rest
  } = overrides;
  const install = makeInstallRecord({ ...rest, id: rest.id ?? newRecordId() });
  const name = template_name ?? 'My Template Example';
  const record: Template = {
    ...install,
    template_name: name,
    template_desc: template_desc ?? 'A WordPress site ready to fill in.',
    template_scope: template_scope ?? 'user',
    template_application: template_application ?? install.application,
    template_filename: template_filename ?? `template_${install.application}_${name.replace(/\s+/g, '-')}_2025-01-01_12-01-01`,
    template_install: template_install ?? newRecordId(),
    template_time: template_time ?? 1735732861,
    template_image: template_image ?? '',
    template_icon: template_icon ?? '',
    template_appcategory: template_appcategory ?? '',
    template_size: template_size ?? 0,
    template_sha256: template_sha256 ?? '',
  };
  return checkRecord(zTemplate, record, 'makeTemplateRecord');
}
