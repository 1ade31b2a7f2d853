import type { Knex } from 'knex';
import type { EngineContext, Logger } from './engine-context';
import { SILENT_LOGGER } from './engine-context';
import { checkEngineSettings, type EngineSettings } from './engine-settings';
import { migrateToLatest } from './db/migrations';
import { createSecretBox } from './secrets/secret-box';
import { verifySecretKey } from './secrets/key-check';
import { createVisibility } from './access/visibility';
import { createAccessService, type AccessService } from './access/resolve-actor';
import { createUsersService, type UsersService } from './users/users-service';
import { createInstallsService, type InstallsService } from './installs/installs-service';
import { createBackupsService, type BackupsService } from './backups/backups-service';
import { createBackupRepository } from './backups/backup-repository';
import { createAutoBackupKinds } from './backups/auto-backup-kinds';
import { createBackupObjects } from './backups/backup-objects';
import { createTemplatesService, type TemplatesService } from './templates/templates-service';
import { createTasksService, type TasksService } from './tasks/tasks-service';
import { createLogsService, type LogsService } from './logs/logs-service';
import { createLocationsService, type LocationsService } from './settings/locations';
import { createSchedulesService, type SchedulesService } from './settings/schedules';
import { redactObject } from './secrets/redact';
import { createCatalog, type Catalog } from './applications/catalog';
import { createTaskRunner } from './tasks/task-runner';
import { createInstallRepository } from './installs/install-repository';
import { createInstallResources } from './workflows/install-resources';
import { createApplicationsService, type ApplicationsService } from './workflows/applications-service';
import { REAL_RUNTIME } from './workflows/runtime-port';
import type { RuntimePort } from './workflows/ports';
import { createNotifier, type Notifier } from './notifications/notifier';
import { createSiteOpener, type SiteOpener } from './sites/site-opener';
import { openSiteFs } from '@installgate/storage';

/** Written into records' `agent` (spec §7.1: the version of the installer that installed or imported it). */
export const AGENT_VERSION = '0.1.0';

/** What the engine is built from. The caller owns nothing after this: `engine.close()` closes `db`. */
export interface EngineDeps {
  /** An open store (see openStore); migrated to the newest schema by createEngine. */
  db: Knex;
  settings: EngineSettings;
  /** Current unix time in seconds; defaults to the system clock. */
  clock?: () => number;
  /** Operational log; defaults to silent. Meta passed to it is redacted first. */
  logger?: Logger;
  /**
   * Called whenever the last running task of this process has ended (the server collects garbage then);
   * `stillIdle()` tells later whether that is still so.
   */
  onTasksIdle?: (stillIdle: () => boolean) => void;
  /** How websites' files are reached; defaults to local folders plus SFTP/SSH and FTP/FTPS connections. */
  sites?: SiteOpener;
  /** The application catalog; defaults to one built from `settings.appsDir` / `settings.mirrorDir`. */
  catalog?: Catalog;
  /** MariaDB, PHP and the application drivers; defaults to the real ones. */
  runtime?: RuntimePort;
  /** This node's id for task claims and restart recovery; defaults to pid and start time. */
  nodeId?: string;
}

/** The engine: one service per resource, every method scoped by the actor it runs as. */
export interface Engine {
  readonly settings: EngineSettings;
  access: AccessService;
  users: UsersService;
  installs: InstallsService;
  backups: BackupsService;
  templates: TemplatesService;
  tasks: TasksService;
  logs: LogsService;
  locations: LocationsService;
  schedules: SchedulesService;
  /** Applications and their releases (GET /browser): manifests joined with the local mirror. */
  catalog: Catalog;
  /** Installs, imports, uninstalls and edits of real applications. */
  apps: ApplicationsService;
  /** Mails to install owners (spec §8.3): tasks are wired in; other events (update_available) call notify(). */
  notifications: Notifier;
  /** The id this engine claims tasks with (pass it to tasks.recoverInterrupted at start). */
  readonly nodeId: string;
  /** Waits for running operations, then closes the store. The engine must not be used afterwards. */
  close(): Promise<void>;
}

const systemClock = () => Math.floor(Date.now() / 1000);

/** A logger that redacts meta before passing it on, so no service can leak a secret through it by accident. */
function redactingLogger(inner: Logger): Logger {
  const wrap = (level: keyof Logger) => (msg: string, meta?: Record<string, unknown>) => inner[level](msg, meta === undefined ? undefined : redactObject(meta));
  return { info: wrap('info'), warn: wrap('warn'), error: wrap('error') };
}

/**
 * Builds the engine: checks settings (invalid_argument_settings), migrates the store, wires the services.
 * Services share one Visibility and one LogsService so that every mutation logs the same way.
 */
export async function createEngine(deps: EngineDeps): Promise<Engine> {
  const settings = checkEngineSettings(deps.settings);
  const logger = redactingLogger(deps.logger ?? SILENT_LOGGER);
  // Before the store is touched: a broken manifest stops the start (invalid_argument_manifest names file and member).
  const catalog = deps.catalog ?? createCatalog({ appsDir: settings.appsDir!, mirrorDir: settings.mirrorDir!, logger });
  const secrets = createSecretBox(settings.secretKey);
  // Before the migrations (they may seal rows) and after them (the store may have been sealed by another node
  // meanwhile, or only now): a key that does not open the store's secrets never reads or writes one.
  await verifySecretKey(deps.db, secrets, { required: false });
  await migrateToLatest(deps.db, { secrets });
  await verifySecretKey(deps.db, secrets, { required: true });
  const ctx: EngineContext = {
    db: deps.db,
    settings,
    clock: deps.clock ?? systemClock,
    logger,
    secrets,
  };
  const vis = createVisibility(ctx.db);
  const logs = createLogsService(ctx, vis);
  const locations = createLocationsService(ctx, vis);
  const schedules = createSchedulesService(ctx, vis);
  const tasks = createTasksService(ctx, vis, logs);
  const users = createUsersService(ctx, { vis, logs });
  const installs = createInstallsService(ctx, { vis, logs, locations, schedules, tasks });
  const templates = createTemplatesService(ctx, { vis, logs, users });
  const backups = createBackupsService(ctx, { vis, logs });
  const nodeId = deps.nodeId ?? `${process.pid}@${Date.now()}`;
  const runtime = deps.runtime ?? REAL_RUNTIME;
  const installsRepo = createInstallRepository(ctx.db, secrets);
  const notifications = createNotifier({ settings, clock: ctx.clock, logger, installsRepo, users, logs });
  const apps = createApplicationsService({
    db: ctx.db, settings, clock: ctx.clock, logger, catalog, runtime,
    dbServer: settings.dbUrl ? runtime.database.parseDbUrl(settings.dbUrl) : null,
    users, installs, installsRepo, resources: createInstallResources(ctx.db),
    backups, backupsRepo: createBackupRepository(ctx.db, secrets), backupObjects: createBackupObjects(ctx.db, secrets),
    autoBackups: createAutoBackupKinds(ctx.db), nodeId, notifier: notifications,
    sites: deps.sites ?? createSiteOpener((home) => openSiteFs(home, { sshPrivateKeyPath: settings.sshKeyPath })),
    locations, schedules, templates, logs, runner: createTaskRunner({ tasks, logger, nodeId, onSettled: notifications.taskSettled, onIdle: deps.onTasksIdle }), agent: AGENT_VERSION,
  });
  return {
    settings,
    access: createAccessService(ctx),
    users,
    installs,
    backups,
    templates,
    tasks,
    logs,
    locations,
    schedules,
    catalog,
    apps,
    notifications,
    nodeId,
    async close() {
      await apps.drain();
      // After the operations: their last events are queued by now, and the mails need the store.
      await notifications.close();
      await ctx.db.destroy();
    },
  };
}
