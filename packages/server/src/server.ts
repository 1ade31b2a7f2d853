import * as http from 'node:http';
import * as path from 'node:path';
import { createEngine, type Engine, type EngineSettings } from '@installgate/core';
import { explainKeyRefusal } from './config/secret-key';
import { startScheduler } from './scheduler';
import type { Settings } from './config/settings';
import { createApp } from './app';
import type { Logger } from './logger';
import { openStateStore } from './open-state-store';
import { idleGarbageCollector } from './idle-gc';

export interface RunningServer {
  url: string;
  port: number;
  engine: Engine;
  server: http.Server;
  close(): Promise<void>;
}

/**
 * Opens the state store, recovers tasks cut off by a previous stop, and listens. `dbUrl` overrides the configured
 * application database server (the binary passes the embedded MariaDB's URL here).
 */
export async function startServer(settings: Settings, logger: Logger, opts: { dbUrl?: string } = {}): Promise<RunningServer> {
  const db = openStateStore(settings.state_db);
  let engine: Engine;
  try {
    engine = await createEngine({
      db,
      settings: {
        admin: settings.admin, homesRoot: settings.homes_root, defaultAutoup: settings.default_autoup,
        appsDir: settings.apps_dir || undefined, mirrorDir: settings.mirror_dir || undefined, dbUrl: opts.dbUrl ?? (settings.db_url || undefined),
        smtp: settings.smtp, notificationDisabled: settings.notification_disabled as EngineSettings['notificationDisabled'],
        templatesDir: path.join(settings.home, 'templates'), secretKey: settings.secret_key,
      },
      logger,
      onTasksIdle: idleGarbageCollector(),
    });
  } catch (e) {
    // The engine owns the store only once it exists; a refused start must not leave the connection open.
    await db.destroy();
    throw explainKeyRefusal(e, { file: settings.file, generated: settings.secret_key_generated });
  }
  const recovered = await engine.tasks.recoverInterrupted(engine.nodeId);
  if (recovered.length > 0) logger.warn('tasks interrupted by the previous stop were marked failed', { count: recovered.length });
  const orphans = await engine.apps.cleanOrphanArchives();
  if (orphans > 0) logger.warn('archives of backups cut off by the previous stop were removed', { count: orphans });
  const stopScheduler = startScheduler(engine, logger, settings.scheduler_interval);
  const app = createApp({ engine, settings, logger });
  const server = http.createServer(app);
  // Bounded waits: a slow or stuck client cannot hold a connection open for ever.
  server.headersTimeout = 30_000;
  server.requestTimeout = 120_000;
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(settings.port, settings.host, () => resolve());
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : settings.port;
  const host = settings.host.includes(':') ? `[${settings.host}]` : settings.host;
  return {
    url: `http://${host}:${port}`,
    port,
    engine,
    server,
    async close() {
      await stopScheduler();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await engine.close();
    },
  };
}
