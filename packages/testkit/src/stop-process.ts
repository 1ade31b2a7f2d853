import { readdirSync, readFileSync } from 'node:fs';

/**
 * Whether a PID is a live process. A zombie counts as gone: an orphaned server that exited stays a zombie until
 * PID 1 reaps it, which on this kind of machine can take seconds.
 */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    // /proc/PID/stat: "PID (comm) STATE ..."; comm may contain spaces and parentheses, so split after the last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until `pid` is gone; false if it is still alive after `timeoutMs`. */
export async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() >= deadline) return false;
    await sleep(50);
  }
  return true;
}

/** SIGTERM by PID, wait for the exit, SIGKILL after `timeoutMs`. Resolves once the process is gone. */
export async function stopProcess(pid: number, timeoutMs = 30_000): Promise<void> {
  if (!isAlive(pid)) return;
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  if (await waitForExit(pid, timeoutMs)) return;
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    return;
  }
  if (!(await waitForExit(pid, 5_000))) throw new Error(`stopProcess: pid ${pid} survived SIGKILL`);
}

/** Live (non-zombie) members of a process group, read from /proc. */
export function groupMembers(pgid: number): number[] {
  const members: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // after "PID (comm) ": STATE PPID PGRP ...
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(pgrp) === pgid && state !== 'Z' && state !== 'X') members.push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  return members;
}

/**
 * Stops a whole process group by its leader's PID (a server spawned `detached`, e.g. `php -S` with workers, whose
 * workers outlive a leader killed alone): SIGTERM to the group, wait, SIGKILL after `timeoutMs`.
 */
export async function stopProcessGroup(pgid: number, timeoutMs = 10_000): Promise<void> {
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-pgid, sig);
    } catch {
      // no such group any more
    }
  };
  signal('SIGTERM');
  const deadline = Date.now() + timeoutMs;
  while (groupMembers(pgid).length > 0) {
    if (Date.now() >= deadline) {
      signal('SIGKILL');
      if (Date.now() >= deadline + 5_000) throw new Error(`stopProcessGroup: group ${pgid} survived SIGKILL`);
    }
    await sleep(50);
  }
}

/** PIDs that this process started and must not outlive it: sent SIGTERM if this process exits first. */
const owned = new Map<number, 'process' | 'group'>();
let exitHookInstalled = false;

/** Registers a PID (or a process group, by its leader's PID) to be sent SIGTERM if this process exits first. */
export function ownProcess(pid: number, kind: 'process' | 'group' = 'process'): void {
  owned.set(pid, kind);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const [p, kind] of owned) {
        try {
          process.kill(kind === 'group' ? -p : p, 'SIGTERM');
        } catch {
          // already gone
        }
      }
    });
  }
}

export function disownProcess(pid: number): void {
  owned.delete(pid);
}
