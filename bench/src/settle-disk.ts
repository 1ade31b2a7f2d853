import * as childProcess from 'node:child_process';

/**
 * Untimed, before every timed side: writes back dirty pages, so a side does not pay for the disk writes of what
 * ran before it (a restore right after `tar czf` otherwise shares the disk with its writeback).
 */
export async function settleDisk(): Promise<void> {
  await new Promise<void>((resolve) => childProcess.execFile('sync', () => resolve()));
}
