/**
 * A full garbage collection once the server has no task running any more. Installs, backups and restores stream
 * through tens of MiB of short-lived buffers (zlib output, file chunks); V8 frees them lazily, and until it does the
 * process keeps that memory resident: measured after a WordPress install, 137 MiB resident, 117 MiB after one full
 * collection (with MALLOC_ARENA_MAX=2, which scripts/start.sh sets, so that glibc hands the pages back). Collecting
 * when idle keeps the next operation's peak from stacking on the last one's garbage. The pause (a few ms with a
 * ~60 MiB heap) falls when no task waits on it; requests keep being served.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** A collection runs this long after the last task ended, if none started meanwhile. */
const DELAY_MS = 1000;

/** Returns the `onTasksIdle` hook: schedules one full collection shortly after the last task ends. */
export function idleGarbageCollector(): (stillIdle: () => boolean) => void {
  // V8 exposes `gc` to contexts created after the flag is set; this process's main context stays as it was.
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  let timer: NodeJS.Timeout | null = null;
  return (stillIdle) => {
    if (timer) return;
    timer = setTimeout(() => {
      timer = null;
      // A task that started meanwhile gets no pause; its own end schedules the next collection.
      if (stillIdle()) gc();
    }, DELAY_MS);
    timer.unref();
  };
}
