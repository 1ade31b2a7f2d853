import type { Knex } from 'knex';
import type { EngineContext, Logger } from './engine-context';
import { SILENT_LOGGER } from './engine-context';
import { checkEngineSettings, type EngineSettings } from './engine-settings';
import { migrateToLatest } from './db/migrations';
import { createVisibility } from './access/visibility';
import { createAccessService, type AccessService } from './access/resolve-actor';
import { createUsersService, type UsersService } from './users/users-service';
import { createInstallsService, type InstallsService } from './installs/installs-service';
import { createBackupsService, type BackupsService } from './backups/backups-service';
import { createTemplatesService, type TemplatesService } from './templates/templates-service';
import { createTasksService, type TasksService } from './tasks/tasks-service';
import { createLogsService, type LogsService } from './logs/logs-service';
import { createLocationsService, type LocationsService } from './settings/locations';
import { createSchedulesService, type SchedulesService } from './settings/schedules';
import { redactObject } from './secrets/redact';

/** What the engine is built from. The caller owns nothing after this: `engine.close()` closes `db`. */
export interface EngineDeps {
  /** An open store (see openStore); migrated to the newest schema by createEngine. */
  db: Knex;
  settings: EngineSettings;
  /** Current unix time in seconds; defaults to the system clock. */
  clock?: () => number;
  /** Operational log; defaults to silent. Meta passed to it is redacted first. */
  logger?: Logger;
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
  /** Closes the store. The engine must not be used afterwards. */
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
  await migrateToLatest(deps.db);
  const ctx: EngineContext = {
    db: deps.db,
    settings,
    clock: deps.clock ?? systemClock,
    logger: redactingLogger(deps.logger ?? SILENT_LOGGER),
  };
  const vis = createVisibility(ctx.db);
  const logs = createLogsService(ctx, vis);
  const locations = createLocationsService(ctx, vis);
  const schedules = createSchedulesService(ctx, vis);
  const tasks = createTasksService(ctx, vis, logs);
  return {
    settings,
    access: createAccessService(ctx),
    users: createUsersService(ctx, { vis, logs }),
    installs: createInstallsService(ctx, { vis, logs, locations, schedules, tasks }),
    backups: createBackupsService(ctx, { vis, logs }),
    templates: createTemplatesService(ctx, { vis, logs }),
    tasks,
    logs,
    locations,
    schedules,
    close: () => ctx.db.destroy(),
  };
}
