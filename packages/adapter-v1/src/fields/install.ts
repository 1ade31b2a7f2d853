import { invalidArgument } from '@installgate/contracts';
import { AUTOUP, AUTOUP_ADDONS, AUTOUP_BACKUP, NOTIFICATION_LIST } from './codecs';
import { defineFieldMap, type FieldRule, type Rec, type UnknownKeys } from './field-map';
import { codec, composite, each, rename, renames, same, sames } from './rules';

/**
 * The install record (spec §7.1) in v1 and v2. Backups and templates are install records plus their own members,
 * so `INSTALL_RULES` is shared by `backup.ts` and `template.ts`.
 */

const NOTES_TABLE = 'Rename table of the API v2 notes for /installs, /backups and /templates (spec §4.3).';
const GENERAL_RULE = 'Not in the notes table; general rule of spec §4.3 [R]: a v2 underscore is a v1 hyphen.';
const CUSTOM_FIELD = 'Installer custom field: v1 prefixes it with `cf-` (API v2 notes, spec §4.3).';

/** A plugin inside an install record: same members in both versions (spec §8.4). */
export const INSTALL_PLUGIN_MAP = defineFieldMap('install.plugins[]', {
  note: 'A plugin inside an install record.',
  rules: [
    same('id'),
    same('version'),
    same('activated', 'Plugins say `activated` in both versions; only themes differ (spec §9 #7).'),
    same('autoup', 'Per-plugin policy none/all is a string in both versions (spec §8.4).'),
  ],
});

/** A theme inside an install record: v1 (and the seed examples) say `active`, v2 says `activated` (spec §9 #7). */
export const INSTALL_THEME_MAP = defineFieldMap('install.themes[]', {
  note: 'A theme inside an install record.',
  rules: [
    same('id'),
    same('version'),
    rename('active', 'activated', 'v2 emits `activated`; v1 output keeps `active`; both are read (spec §9 #7).', {
      v1Aliases: ['activated'],
      v2Aliases: ['active'],
    }),
    same('autoup', 'Per-theme policy none/all is a string in both versions (spec §8.4).'),
  ],
});

/**
 * `autobk` + `autobk_schedule` (v2) ↔ `autobk` (v1), spec §4.5: v1 holds the schedule id itself when backups follow
 * a schedule, `custom` for custom counts, and `''` for none. Also used by the request parameter map, where v1
 * `autobk=<schedule id>` becomes `autobk=schedule&autobk_schedule=<id>`.
 */
export const AUTOBK_RULE: FieldRule = composite({
  v1: ['autobk'],
  v2: ['autobk', 'autobk_schedule'],
  // A v1 request may already use the v2 form (autobk=schedule&autobk_schedule=ID; spec §4.6 accepts both).
  v1Aliases: ['autobk_schedule'],
  note: 'v1 autobk is a schedule id, `custom`, or "" (none); v2 splits it into autobk none|schedule|custom + autobk_schedule (API v2 notes).',
  lossy: {
    reason: 'v1 has one member: autobk_schedule survives only with autobk=schedule, and schedule ids "", "none" and "custom" read back as none/custom.',
    normalise(r: Rec) {
      if (r.autobk === undefined) {
        delete r.autobk_schedule;
        return;
      }
      const sched = typeof r.autobk_schedule === 'string' ? r.autobk_schedule : '';
      if (r.autobk === 'schedule' && sched !== '' && sched !== 'none' && sched !== 'custom') return;
      if (r.autobk === 'schedule') r.autobk = sched === 'custom' ? 'custom' : 'none';
      r.autobk_schedule = '';
    },
  },
  toV2(src, out) {
    const value = src.autobk;
    if (value === undefined) {
      out.autobk_schedule = src.autobk_schedule;
      return;
    }
    if (typeof value !== 'string') throw invalidArgument('autobk');
    const v = value;
    if (v === 'schedule' && src.autobk_schedule !== undefined) {
      out.autobk = 'schedule';
      out.autobk_schedule = src.autobk_schedule;
    } else if (v === '' || v === 'none' || v === 'custom') {
      out.autobk = v === 'custom' ? 'custom' : 'none';
      out.autobk_schedule = '';
    } else {
      out.autobk = 'schedule';
      out.autobk_schedule = v;
    }
  },
  toV1(src, out) {
    const value = src.autobk;
    // CASE: autobk_schedule alone has no v1 form (listed as lossy).
    if (value === undefined) return;
    if (value === 'schedule') out.autobk = typeof src.autobk_schedule === 'string' ? src.autobk_schedule : '';
    else if (value === 'custom') out.autobk = 'custom';
    else if (value === 'none') out.autobk = '';
    else throw invalidArgument('autobk');
  },
});

/** The rules every install-shaped record shares (install, backup, template). Order follows the seed examples. */
export const INSTALL_RULES: readonly FieldRule[] = [
  same('id'),
  same('agent'),
  rename('installer', 'application', NOTES_TABLE),
  AUTOBK_RULE,
  ...renames(NOTES_TABLE, { 'autobk-daily': 'autobk_daily', 'autobk-weekly': 'autobk_weekly', 'autobk-monthly': 'autobk_monthly' }),
  codec('autoup', 'autoup', AUTOUP),
  codec('autoup-backup', 'autoup_backup', AUTOUP_BACKUP, `${NOTES_TABLE} ${AUTOUP_BACKUP.note}`),
  codec('autoup-plugins', 'autoup_plugins', AUTOUP_ADDONS, `${NOTES_TABLE} ${AUTOUP_ADDONS.note}`),
  codec('autoup-themes', 'autoup_themes', AUTOUP_ADDONS, `${NOTES_TABLE} ${AUTOUP_ADDONS.note}`),
  same('bkloc'),
  ...renames(NOTES_TABLE, {
    'cache-files': 'cache_files',
    'cache-numbackups': 'cache_numbackups',
    'cache-preview': 'cache_preview',
    'cache-tables': 'cache_tables',
    'cache-time': 'cache_time',
  }),
  ...renames(GENERAL_RULE, { 'cache-numerrors': 'cache_numerrors', 'cache-numwarnings': 'cache_numwarnings' }),
  ...renames(NOTES_TABLE, {
    'db-host': 'db_host',
    'db-type': 'db_type',
    'db-name': 'db_name',
    'db-user': 'db_user',
    'db-pass': 'db_pass',
    'db-prefix': 'db_prefix',
  }),
  ...renames(`${NOTES_TABLE} ${CUSTOM_FIELD}`, {
    'cf-login': 'login',
    'cf-email': 'email',
    'cf-sitetitle': 'sitetitle',
    'cf-sitetagline': 'sitetagline',
    'cf-limitloginattempts': 'limitloginattempts',
    'cf-twofactor': 'twofactor',
  }),
  same('language', 'Same name in both versions: the notes table does not rename it and it has no `cf-` prefix in v1.'),
  rename('list-exclude-files', 'exclude_files', NOTES_TABLE),
  same('failures', 'Only in the seed examples; no v1 spelling is documented, so the name is kept.'),
  same('file'),
  rename('list-files', 'files', NOTES_TABLE),
  same('incomplete'),
  rename('link-admin', 'link_admin', NOTES_TABLE),
  codec('list-notification', 'notification', NOTIFICATION_LIST, `${NOTES_TABLE} ${NOTIFICATION_LIST.note}`),
  ...sames(['parent', 'path']),
  rename('path-created', 'path_created', NOTES_TABLE),
  each('list-plugins', 'plugins', INSTALL_PLUGIN_MAP, `${NOTES_TABLE} Each plugin keeps its members.`),
  same('stage'),
  rename('list-tables', 'tables', NOTES_TABLE),
  each('list-themes', 'themes', INSTALL_THEME_MAP, `${NOTES_TABLE} Each theme: v2 activated ↔ v1 active (spec §9 #7).`),
  rename('time', 'time_created', NOTES_TABLE),
  rename('time-updated', 'time_updated', NOTES_TABLE),
  ...sames(['title', 'url']),
  rename('url-domain', 'url_domain', NOTES_TABLE),
  rename('owner', 'user', 'v1 records name the owning user `owner` (spec §4.3: [R] map owner↔user).'),
  same('version'),
  ...renames(NOTES_TABLE, {
    'version-autouped': 'version_autouped',
    'version-autouped-attempts': 'version_autouped_attempts',
    'version-available': 'version_available',
  }),
  rename('version-available-minor', 'version_available_minor', GENERAL_RULE),
  rename('version-updates-available', 'version_updates_available', NOTES_TABLE),
];

/**
 * Members no rule owns. In a v2 install record they can only be installer custom fields (spec §7.1: "anything in the
 * version's fields appears as a top-level member"), which v1 spells `cf-<field>`. Going up, the general rule of §4.3
 * applies: drop `cf-`/`list-`, hyphens become underscores (the latter not inside a custom field id).
 */
export const INSTALL_GENERAL_RULE: UnknownKeys = {
  note: 'Members without a rule are installer custom fields: v2 `<field>` ↔ v1 `cf-<field>`; other v1 members follow the general rule (`list-` dropped, hyphens → underscores).',
  v1: 'cf-<field>',
  v2: '<field>',
  toV2: (key) => (key.startsWith('cf-') ? key.slice(3) : key.replace(/^list-/, '').replace(/-/g, '_')),
  toV1: (key) => `cf-${key}`,
};

export const INSTALL_MAP = defineFieldMap('install', {
  note: 'Install records (/installs and every install returned by install, import, migrate, clone, sync, update, restore).',
  rules: [
    ...INSTALL_RULES,
    // A sync dry run answers its preview in place of the record: {id, source, changes}. v1 has no sync page.
    same('source', 'Sync dry run only (spec §2.2 sync [R]): the install the sync would pull from; same name in v1 (no v1 page to follow).', {
      outsideSchema: 'the answer of a sync dry run (docs/api-differences.md) is not an install record',
    }),
    same('changes', 'Sync dry run only: files and tables the sync would add, change and remove; same name and nested members in v1.', {
      outsideSchema: 'the answer of a sync dry run (docs/api-differences.md) is not an install record',
    }),
  ],
  unknownKeys: INSTALL_GENERAL_RULE,
});
