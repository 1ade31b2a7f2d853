import { z } from 'zod';
import { zAutobk, zAutoup, zAutoupAddons, zAutoupBackup, zNotification } from './enums';

/** A plugin inside an install record (spec §7.1, §8.4). */
export const zInstallPlugin = z.object({
  id: z.string(),
  version: z.string(),
  activated: z.boolean(),
  autoup: z.enum(['none', 'all']),
}).strict();

/** A theme inside an install record. v2 emits `activated` (spec §9 #7). */
export const zInstallTheme = zInstallPlugin;

/**
 * The install record, v2 wire names (spec §7.1). This is the explicit allowlist of members an install has;
 * the v1 field map must give every one of them exactly one rule.
 */
export const zInstall = z.object({
  id: z.string(),
  agent: z.string(),
  application: z.string(),
  autobk: zAutobk,
  autobk_schedule: z.string(),
  autobk_daily: z.number().int().nonnegative(),
  autobk_weekly: z.number().int().nonnegative(),
  autobk_monthly: z.number().int().nonnegative(),
  autoup: zAutoup,
  autoup_backup: zAutoupBackup,
  autoup_plugins: zAutoupAddons,
  autoup_themes: zAutoupAddons,
  bkloc: z.string(),
  cache_files: z.number().int(),
  cache_numbackups: z.number().int(),
  cache_preview: z.number().int(),
  cache_tables: z.number().int(),
  cache_time: z.number().int(),
  cache_numerrors: z.number().int(),
  cache_numwarnings: z.number().int(),
  db_host: z.string(),
  db_type: z.string(),
  db_name: z.string(),
  db_user: z.string(),
  db_pass: z.string(),
  db_prefix: z.string(),
  login: z.string(),
  email: z.string(),
  language: z.string(),
  sitetitle: z.string(),
  sitetagline: z.string(),
  limitloginattempts: z.enum(['yes', 'no']),
  twofactor: z.enum(['yes', 'no']),
  exclude_files: z.array(z.string()),
  failures: z.array(z.unknown()),
  file: z.string(),
  files: z.array(z.string()),
  incomplete: z.boolean(),
  link_admin: z.string(),
  notification: z.array(zNotification),
  parent: z.string(),
  path: z.string(),
  path_created: z.string(),
  plugins: z.array(zInstallPlugin),
  stage: z.string(),
  tables: z.array(z.string()),
  themes: z.array(zInstallTheme),
  time_created: z.number().int(),
  time_updated: z.number().int(),
  title: z.string(),
  url: z.string(),
  url_domain: z.string(),
  user: z.string(),
  version: z.string(),
  version_autouped: z.string(),
  version_autouped_attempts: z.number().int().nonnegative(),
  version_available: z.string(),
  version_available_minor: z.string(),
  version_updates_available: z.number().int().nonnegative(),
}).strict();

export type Install = z.infer<typeof zInstall>;
export type InstallPlugin = z.infer<typeof zInstallPlugin>;
/** The allowlist of install members, in the order the seed examples print them. */
export const INSTALL_FIELDS = Object.keys(zInstall.shape) as (keyof Install)[];

/** A plugin or theme as the plugin/theme endpoints show it (spec §8.4). */
export const zAddon = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  author: z.string(),
  version: z.string(),
  version_available: z.string(),
  activated: z.boolean(),
  autoup: z.enum(['none', 'all']),
}).strict();
export type Addon = z.infer<typeof zAddon>;
export const ADDON_FIELDS = Object.keys(zAddon.shape) as (keyof Addon)[];
