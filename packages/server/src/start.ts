#!/usr/bin/env node
import { loadSettings } from './config/settings';
import { createLogger } from './logger';
import { startServer } from './server';
import { startEmbeddedMariaDb } from './embedded-mariadb';

/** The `installgate` binary: load settings, start, print where to reach it, stop cleanly on SIGINT/SIGTERM. */
/**
 * Tuning of this process that must not reach its children: glibc read the malloc variables when this process started
 * (scripts/start.sh sets them for Node's streaming buffers), but a multi-threaded mysqld (the embedded MariaDB),
 * mariadb-dump or PHP would get malloc contention from two arenas; NODE_OPTIONS is Node's own.
 */
const PROCESS_ONLY_ENV = ['MALLOC_ARENA_MAX', 'MALLOC_MMAP_THRESHOLD_', 'NODE_OPTIONS'] as const;

async function main(): Promise<void> {
  for (const name of PROCESS_ONLY_ENV) delete process.env[name];
  const logger = createLogger();
  const settings = loadSettings();
  // First run works out of the box: without a configured database server, a private MariaDB under the data
  // directory (embedded_db=no in settings.ini turns this off; callers then give db_* with every install).
  let embedded: { url: string; stop(): Promise<void> } | undefined;
  if (!settings.db_url && settings.embedded_db) {
    try {
      embedded = await startEmbeddedMariaDb(settings.home, logger);
    } catch (e) {
      logger.warn('no database server for new applications', { detail: e instanceof Error ? e.message : String(e) });
    }
  }
  const running = await startServer(settings, logger, { dbUrl: embedded?.url });
  const keyWhere = process.env.INSTALLGATE_API_KEY ? 'the INSTALLGATE_API_KEY environment variable' : `key= in ${settings.file}`;
  process.stdout.write(
    `Installgate listening on ${running.url}\n` +
    `API key: ${keyWhere}${settings.key_generated ? ' (generated at this first start)' : ''}\n` +
    `Application databases: ${settings.db_url ? 'the server of INSTALLGATE_DB_URL / db_url' : embedded ? `a private MariaDB under ${settings.home}/mariadb` : 'none (give db_host, db_name, db_user, db_pass with each install)'}\n` +
    `Try: curl -H "X-API-KEY: $KEY" ${running.url}/installs   or   curl "${running.url}/?api=json&cmd=installs&key=$KEY"\n`,
  );
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('stopping', { signal });
    running.close()
      .then(() => embedded?.stop())
      .then(() => process.exit(0), (e) => { logger.error('stop failed', { detail: String(e) }); process.exit(1); });
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((e: unknown) => {
  process.stderr.write(`installgate: cannot start: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
