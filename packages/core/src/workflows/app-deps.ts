import type { Knex } from 'knex';
import type { Logger } from '../engine-context';
import type { EngineSettings } from '../engine-settings';
import type { UsersService } from '../users/users-service';
import type { InstallRepository } from '../installs/install-repository';
import type { InstallsService } from '../installs/installs-service';
import type { LocationsService } from '../settings/locations';
import type { SchedulesService } from '../settings/schedules';
import type { TemplatesService } from '../templates/templates-service';
import type { LogsService } from '../logs/logs-service';
import type { TaskRunner } from '../tasks/task-runner';
import type { InstallResourcesRepo } from './install-resources';
import type { BackupRepository } from '../backups/backup-repository';
import type { BackupsService } from '../backups/backups-service';
import type { BackupObjectsRepo } from '../backups/backup-objects';
import type { AutoBackupKindsRepo } from '../backups/auto-backup-kinds';
import type { CatalogPort, DbServer, RuntimePort } from './ports';
import type { Notifier } from '../notifications/notifier';
import type { SiteOpener } from '../sites/site-opener';

/** Everything the application workflows (install, import, uninstall, app edits, SSO) are built from. */
export interface AppDeps {
  db: Knex;
  settings: EngineSettings;
  clock: () => number;
  logger: Logger;
  catalog: CatalogPort;
  runtime: RuntimePort;
  /** The database server where new application databases are created; null when none is configured. */
  dbServer: DbServer | null;
  users: UsersService;
  /** Scope-checked reads (visibility, install_not_found). */
  installs: InstallsService;
  /** Unscoped record writes of the workflows. */
  installsRepo: InstallRepository;
  resources: InstallResourcesRepo;
  /** Scope-checked backup reads (visibility, backup_not_found). */
  backups: BackupsService;
  /** Unscoped backup record writes, and where each archive is stored. */
  backupsRepo: BackupRepository;
  backupObjects: BackupObjectsRepo;
  /** Which backups the scheduler took, and the GFS kinds each still counts as. */
  autoBackups: AutoBackupKindsRepo;
  locations: LocationsService;
  schedules: SchedulesService;
  templates: TemplatesService;
  logs: LogsService;
  runner: TaskRunner;
  /** Mails to install owners (spec §8.3): the update-notice job queues its own; tasks are mailed by the runner. */
  notifier: Pick<Notifier, 'enabled' | 'notify'>;
  /** A website's files, on this server or (sftp://, ftp:// homes) on another one. */
  sites: SiteOpener;
  /** This engine's id: it owns task claims and scheduler leases. */
  nodeId: string;
  /** Version of Installgate written into records' `agent`. */
  agent: string;
}

/** How a long operation is run (spec §1.8): background after preflight (or `quick`: before), dry runs. */
export interface RunOptions {
  background: boolean | 'quick';
  dryrun: 'none' | 'input' | 'all';
}
