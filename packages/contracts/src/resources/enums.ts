import { z } from 'zod';

/** Core auto-update policy (spec §4.5 ruling: none | minor | all). */
export const AUTOUP = ['none', 'minor', 'all'] as const;
/** Plugin/theme auto-update policy of an install. */
export const AUTOUP_ADDONS = ['none', 'all', 'custom'] as const;
export const AUTOUP_BACKUP = ['none', 'all'] as const;
export const AUTOBK = ['none', 'schedule', 'custom'] as const;
/** The 18 v2 notification types (spec §8.3). v1 knows the first 14 only. */
export const NOTIFICATIONS = [
  'install', 'install_error', 'clone', 'clone_error', 'backup', 'backup_error', 'restore', 'restore_error',
  'update_available', 'update', 'update_error', 'plugin_update_available', 'plugin_update', 'plugin_update_error',
  'sync', 'sync_error', 'template', 'template_error',
] as const;
export const DB_TYPES = ['mysql', 'pgsql'] as const;
export const TASK_STATUSES = ['queued', 'processing', 'complete', 'failed'] as const;
export const USER_TYPES = ['user', 'reseller'] as const;
export const LOG_SEVERITIES = ['notice', 'info', 'error'] as const;
export const TEMPLATE_SCOPES = ['user', 'admin', 'app'] as const;
/** Applications Browser categories a template of scope `app` is listed under (spec §2.2 `appcategory`). */
export const TEMPLATE_APP_CATEGORIES = [
  '_categories_contentmanagementsystems', '_categories_communitysoftware', '_categories_ecommerceandbusiness',
  '_categories_imagesandfiles', '_categories_surveysandstatistics', '_categories_miscellaneous',
] as const;
export const DRYRUN = ['none', 'input', 'all'] as const;

export const zAutoup = z.enum(AUTOUP);
export const zAutoupAddons = z.enum(AUTOUP_ADDONS);
export const zAutoupBackup = z.enum(AUTOUP_BACKUP);
export const zAutobk = z.enum(AUTOBK);
export const zNotification = z.enum(NOTIFICATIONS);
export const zTaskStatus = z.enum(TASK_STATUSES);
export const zUserType = z.enum(USER_TYPES);
export const zSeverity = z.enum(LOG_SEVERITIES);
export const zTemplateScope = z.enum(TEMPLATE_SCOPES);
export const zDryrun = z.enum(DRYRUN);

export type Autoup = (typeof AUTOUP)[number];
export type AutoupAddons = (typeof AUTOUP_ADDONS)[number];
export type AutoupBackup = (typeof AUTOUP_BACKUP)[number];
export type Autobk = (typeof AUTOBK)[number];
export type Notification = (typeof NOTIFICATIONS)[number];
export type TaskStatus = (typeof TASK_STATUSES)[number];
export type UserType = (typeof USER_TYPES)[number];
export type Severity = (typeof LOG_SEVERITIES)[number];
export type Dryrun = (typeof DRYRUN)[number];
