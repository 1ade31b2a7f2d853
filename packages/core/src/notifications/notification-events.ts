import type { Notification } from '@installgate/contracts';

/**
 * Which notification (spec §8.3) a finished task sends, by the task's `cmd` (spec §6) and outcome. Commands not
 * listed send none: §8.3 has no type for imports, uninstalls, edits, backup deletes or backup imports.
 *
 * Running in this release: install (also from a template), clone, backup (also automatic), restore (in place and
 * to a new URL), sync, update (plugin_update when it leaves the core alone) and template. `update_available` and
 * `plugin_update_available` come from the scheduler's update_notice job, not a task (Notifier.notify).
 */
export const TASK_NOTIFICATIONS = {
  'browser/install': { complete: 'install', failed: 'install_error' },
  'installs/clone': { complete: 'clone', failed: 'clone_error' },
  'installs/backup': { complete: 'backup', failed: 'backup_error' },
  'backups/restore': { complete: 'restore', failed: 'restore_error' },
  'backups/restoreto': { complete: 'restore', failed: 'restore_error' },
  'installs/sync': { complete: 'sync', failed: 'sync_error' },
  'installs/update': { complete: 'update', failed: 'update_error' },
  'installs/template': { complete: 'template', failed: 'template_error' },
} as const satisfies Record<string, { complete: Notification; failed: Notification }>;

/** An update with `version=current` (its task payload says `to: 'current'`) updates only plugins and themes. */
const ADDONS_ONLY_UPDATE = { complete: 'plugin_update', failed: 'plugin_update_error' } as const;

/** The notification a task with this cmd (and payload) and outcome sends, or null. */
export function notificationForTask(cmd: string, failed: boolean, payload?: unknown): Notification | null {
  const addonsOnly = cmd === 'installs/update' && (payload as { to?: unknown } | undefined)?.to === 'current';
  const row = addonsOnly ? ADDONS_ONLY_UPDATE
    : Object.prototype.hasOwnProperty.call(TASK_NOTIFICATIONS, cmd) ? TASK_NOTIFICATIONS[cmd as keyof typeof TASK_NOTIFICATIONS] : null;
  if (!row) return null;
  return failed ? row.failed : row.complete;
}

/**
 * What each mail says: the subject (`{title}` is the install's title) and the sentence that opens the body.
 * Every type of §8.3 has a row, so an event can never go out without words.
 */
export const NOTIFICATION_MAILS = {
  install: { subject: 'Installed: {title}', headline: 'The application was installed.' },
  install_error: { subject: 'Installation failed: {title}', headline: 'The installation failed; nothing was left behind.' },
  clone: { subject: 'Cloned: {title}', headline: 'The install was cloned.' },
  clone_error: { subject: 'Clone failed: {title}', headline: 'Cloning the install failed.' },
  backup: { subject: 'Backup created: {title}', headline: 'A backup of the install was created.' },
  backup_error: { subject: 'Backup failed: {title}', headline: 'The backup of the install failed.' },
  restore: { subject: 'Restored: {title}', headline: 'The install was restored from a backup.' },
  restore_error: { subject: 'Restore failed: {title}', headline: 'Restoring the install from a backup failed.' },
  update_available: { subject: 'Update available: {title}', headline: 'A new version of the application is available.' },
  update: { subject: 'Updated: {title}', headline: 'The application was updated.' },
  update_error: { subject: 'Update failed: {title}', headline: 'Updating the application failed.' },
  plugin_update_available: { subject: 'Plugin updates available: {title}', headline: 'Updates for plugins of the install are available.' },
  plugin_update: { subject: 'Plugins updated: {title}', headline: 'Plugins of the install were updated.' },
  plugin_update_error: { subject: 'Plugin update failed: {title}', headline: 'Updating plugins of the install failed.' },
  sync: { subject: 'Synced: {title}', headline: 'Changes were synced into the install.' },
  sync_error: { subject: 'Sync failed: {title}', headline: 'Syncing changes into the install failed.' },
  template: { subject: 'Template created: {title}', headline: 'A template was created from the install.' },
  template_error: { subject: 'Template failed: {title}', headline: 'Creating a template from the install failed.' },
} as const satisfies Record<Notification, { subject: string; headline: string }>;
