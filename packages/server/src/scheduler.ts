import type { Engine } from '@installgate/core';
import type { Logger } from './logger';

/**
 * The in-server scheduler: every `intervalSeconds` it deletes expired backups, removes archives of backups that
 * were cut off, and runs the scheduled jobs (automatic backups, then automatic updates) this process can claim —
 * several server processes on one state database each run a job at most once between them (see
 * runScheduledJobs). One pass at a time; a pass that throws is logged and the next one runs as usual. The timer
 * does not keep the process alive. Returns a stop function that waits for a running pass.
 */
export function startScheduler(engine: Engine, logger: Logger, intervalSeconds: number): () => Promise<void> {
  if (intervalSeconds <= 0) return async () => undefined;
  let running: Promise<void> | null = null;
  const pass = async () => {
    try {
      const pruned = await engine.apps.pruneExpiredBackups();
      if (pruned.length > 0) logger.info('expired backups deleted', { count: pruned.length });
      await engine.apps.cleanOrphanArchives();
      const jobs = await engine.apps.runScheduledJobs({ retrySeconds: intervalSeconds });
      const done = jobs.filter((j) => j.outcome === 'done').length;
      const failed = jobs.filter((j) => j.outcome === 'failed').length;
      if (done + failed > 0) logger.info('scheduled jobs ran', { done, failed });
    } catch (e) {
      logger.error('scheduler pass failed', { detail: e instanceof Error ? e.message : String(e) });
    }
  };
  const timer = setInterval(() => {
    if (running) return;
    running = pass().finally(() => { running = null; });
  }, intervalSeconds * 1000);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
