/**
 * @installgate/core — the engine. This file is the package's only export surface.
 */
export { createEngine, type Engine, type EngineDeps } from './create-engine';
export { DEFAULT_ENGINE_SETTINGS, DEFAULT_APPS_DIR, DEFAULT_MIRROR_DIR, checkEngineSettings, type EngineSettings } from './engine-settings';
export { SILENT_LOGGER, type Logger, type EngineContext } from './engine-context';

export { openStore, type StoreOptions } from './db/connect';
export { MIGRATIONS, migrationSource, migrateToLatest, type NamedMigration, type MigrationContext } from './db/migrations';

export { ADMIN_SCOPE, accountScope, type Actor, type Scope } from './access/actor';
export type { AccessService } from './access/resolve-actor';
export type { Visibility } from './access/visibility';
export type { ListMode } from './access/list-owners';

export { checkPage, pageArray, toListPage, DEFAULT_LIMIT, MAX_LIMIT, type PageRequest } from './store/paginate';
export { newRecordId } from './store/new-record-id';

export type { UsersService, UserListQuery, UserDeleteResult } from './users/users-service';
export type { UserInput } from './users/user-input';
export type { UserRemoval } from './users/user-repository';
export { normaliseWebsites, checkVhosts, parseVhostKey, type WebsiteInput, type VhostKey } from './users/websites';
export { maskWebsite, unmaskWebsite } from './users/website-secrets';
export { resolveUrlIn, parseInstallUrl, type ResolvedUrl } from './users/resolve-url';

export { installSecrets, type InstallsService, type InstallListQuery, type DetachResult } from './installs/installs-service';
export { RECORD_ONLY_MEMBERS, type InstallRecordPatch, type RecordOnlyMember } from './installs/install-edit';

export { AUTO_EXPIRY_DAYS, expiresAt, type BackupsService, type BackupListQuery, type BackupEdit } from './backups/backups-service';
export type { TemplatesService, TemplateListQuery, TemplateEdit } from './templates/templates-service';

export { STATUS, ALLOWED_TRANSITIONS, canTransition, isFinal, transition } from './tasks/task-states';
export { INTERRUPTED_MESSAGE, type TaskCreate, type TaskProgress } from './tasks/task-repository';
export { toTask, type StoredTask } from './tasks/task-row';
export type { TasksService, TaskListQuery } from './tasks/tasks-service';

export { LOG_DEFAULT_WINDOW_SECONDS, type LogsService, type LogWrite, type LogListQuery } from './logs/logs-service';
export { MASK, redactText, redactUri, redactObject, isSecretKey, collectSecretValues } from './secrets/redact';
export { SECRET_KEY_BYTES, generateSecretKey, isSealed } from './secrets/secret-box';

export { LOCAL_LOCATION_ID, type LocationsService, type LocationInsert } from './settings/locations';
export { BUILTIN_SCHEDULES, type SchedulesService, type ScheduleInsert } from './settings/schedules';

export { makeInstallRecord, makeBackupRecord, makeTemplateRecord } from './testing/fixtures';
export { createTempEngine, TEMP_ENGINE_START, type TempEngine } from './testing/temp-engine';
export { makePng } from './testing/make-png';

export {
  createCatalog, dateToUnix, type Catalog, type CatalogOptions, type BrowserQuery, type VersionsAvailable, type UpdateInfo,
  type ReleaseArchive, type AutoupPolicy, type UpgradeFrom,
} from './applications/catalog';
export { zManifest, type Manifest, type ManifestVersion, type UpdateMode } from './applications/manifest-schema';
export { loadManifests, loadManifestFile, type LoadedManifest } from './applications/load-manifests';
export { compareVersions, isMinorUpdate, isVersion, newestFirst } from './applications/versions';
export { SCHEDULED_JOBS, DEFAULT_LEASE_SECONDS, type JobReport, type PassOptions, type ScheduledJobName } from './scheduler/run-scheduled-jobs';
export { KIND_PERIOD, DUE_SLACK_SECONDS, AUTO_BACKUP_KINDS, type AutoBackupKind } from './workflows/auto-backup-rules';

export { createNotifier, type Notifier, type NotificationEvent } from './notifications/notifier';
export { TASK_NOTIFICATIONS, NOTIFICATION_MAILS, notificationForTask } from './notifications/notification-events';
export { SMTP_SECURE, checkSmtpSettings, type SmtpSettings, type SmtpSecure } from './notifications/smtp-settings';

export { runRemotePhp, remotePhpExecutor, REMOTE_HELPER_RE, type RunRemotePhpOptions, type RemoteSite } from './remote';
export { localPhpExecutor, PHP_HELPERS, type PhpExecutor, type PhpHelperName, type PhpRunOptions } from './drivers/php-executor';
