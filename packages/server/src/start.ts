#!/usr/bin/env node
import { loadSettings } from './config/settings';
import { createLogger } from './logger';
import { startServer } from './server';

/** The `installgate` binary: load settings, start, print where to reach it, stop cleanly on SIGINT/SIGTERM. */
async function main(): Promise<void> {
  const logger = createLogger();
  const settings = loadSettings();
  const running = await startServer(settings, logger);
  const keyWhere = process.env.INSTALLGATE_API_KEY ? 'the INSTALLGATE_API_KEY environment variable' : `key= in ${settings.file}`;
  process.stdout.write(
    `Installgate listening on ${running.url}\n` +
    `API key: ${keyWhere}${settings.key_generated ? ' (generated at this first start)' : ''}\n` +
    `Try: curl -H "X-API-KEY: $KEY" ${running.url}/installs   or   curl "${running.url}/?api=json&cmd=installs&key=$KEY"\n`,
  );
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('stopping', { signal });
    running.close().then(() => process.exit(0), (e) => { logger.error('stop failed', { detail: String(e) }); process.exit(1); });
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((e: unknown) => {
  process.stderr.write(`installgate: cannot start: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
