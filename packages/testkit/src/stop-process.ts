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

/** PID, parent PID and start time (in clock ticks since boot) of every live process, read from /proc. */
function processTable(): Map<number, { ppid: number; start: string }> {
  const table = new Map<number, { ppid: number; start: string }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // after "PID (comm) ": STATE(3) PPID(4) … STARTTIME(22)
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (fields[0] === 'Z' || fields[0] === 'X') continue;
      table.set(Number(entry), { ppid: Number(fields[1]), start: fields[19] });
    } catch {
      // exited meanwhile
    }
  }
  return table;
}

/** Live descendants of `pid` (children, grandchildren …), from /proc. */
export function descendants(pid: number): number[] {
  const table = processTable();
  const found: number[] = [];
  const walk = (parent: number) => {
    for (const [p, info] of table) {
      if (info.ppid === parent && !found.includes(p)) {
        found.push(p);
        walk(p);
      }
    }
  };
  walk(pid);
  return found;
}

/**
 * Stops a server and every process it forked, by PID: servers such as sshd and vsftpd fork one process per
 * connection, and sshd's call setsid(), so neither killing the server alone nor its process group reaches them.
 * The tree is read before the first signal (children are re-parented once the server is gone) and again while
 * waiting; each process is remembered with its start time, so a PID reused meanwhile is never signalled.
 * SIGTERM to all, wait, SIGKILL after `timeoutMs`; resolves once all are gone.
 */
export async function stopProcessTree(pid: number, timeoutMs = 10_000): Promise<void> {
  const known = new Map<number, string>(); // pid → start time
  const refresh = (): number[] => {
    const table = processTable();
    const alive = new Set<number>();
    const visit = (p: number) => {
      const info = table.get(p);
      if (!info || alive.has(p)) return;
      if ((known.get(p) ?? info.start) !== info.start) return; // the PID now belongs to another process
      known.set(p, info.start);
      alive.add(p);
      for (const [child, c] of table) if (c.ppid === p) visit(child);
    };
    for (const p of [pid, ...known.keys()]) visit(p);
    return [...alive];
  };
  const signal = (pids: number[], sig: NodeJS.Signals) => {
    for (const p of pids) {
      try {
        process.kill(p, sig);
      } catch {
        // gone
      }
    }
  };
  const termed = new Set<number>();
  const deadline = Date.now() + timeoutMs;
  let killed = false;
  let alive: number[];
  while ((alive = refresh()).length > 0) {
    const fresh = alive.filter((p) => !termed.has(p)); // all of them at first; later, processes forked meanwhile
    signal(fresh, 'SIGTERM');
    for (const p of fresh) termed.add(p);
    if (Date.now() >= deadline) {
      if (killed && Date.now() >= deadline + 5_000) throw new Error(`stopProcessTree: ${alive.join(', ')} survived SIGKILL`);
      if (!killed) signal(alive, 'SIGKILL');
      killed = true;
    }
    await sleep(50);
  }
}
