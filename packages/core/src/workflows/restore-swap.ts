/**
 * The last moment of a restore: the new files and tables, built beside the live ones, take their place. Files
 * move by rename inside the install's folder (one file system), tables by one RENAME TABLE statement (atomic in
 * MariaDB/MySQL). What was live is kept aside until the caller commits, so a failure puts it back.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { withAppConnection } from '../runtime/app-database';
import type { DbCredentials } from './ports';

export interface Swap {
  /** Removes what was replaced (old files, old tables). */
  commit(): Promise<void>;
  /** Puts back what was live and removes what was moved in. */
  rollback(): Promise<void>;
}

/** Runs every step even when one fails (an undo must put back all it can), then throws the first failure. */
export async function allOf(steps: readonly (() => Promise<void>)[]): Promise<void> {
  let failure: { error: unknown } | null = null;
  for (const step of steps) await step().catch((error: unknown) => void (failure ??= { error }));
  if (failure) throw (failure as { error: unknown }).error;
}

/**
 * Makes `swaps` one after the other, as one Swap: when one fails, those made before it are rolled back (newest
 * first) before the error is thrown. Rollback undoes each, newest first, and commit commits each, both going on
 * past a failure so that one leftover does not keep the others in place.
 */
export async function swapInOrder(swaps: readonly (() => Promise<Swap>)[]): Promise<Swap> {
  const done: Swap[] = [];
  const rollback = () => allOf(done.splice(0).reverse().map((s) => () => s.rollback()));
  try {
    for (const make of swaps) done.push(await make());
  } catch (e) {
    await rollback().catch(() => undefined);
    throw e;
  }
  return { commit: () => allOf(done.map((s) => () => s.commit())), rollback };
}

async function exists(p: string): Promise<boolean> {
  return fs.promises.lstat(p).then(() => true, () => false);
}

/**
 * Moves `names` from `staged` into `dir`. Live entries with those names, and the live install's own `replace`
 * entries, move aside first into a private folder in `dir`.
 */
export async function swapFiles(dir: string, staged: string, names: readonly string[], replace: readonly string[]): Promise<Swap> {
  const aside = await fs.promises.mkdtemp(path.join(dir, '.ig-old-'));
  const movedAside: string[] = [];
  const movedIn: string[] = [];
  const rollback = async () => {
    for (const n of movedIn.reverse()) await fs.promises.rm(path.join(dir, n), { recursive: true, force: true });
    for (const n of movedAside.reverse()) await fs.promises.rename(path.join(aside, n), path.join(dir, n));
    await fs.promises.rm(aside, { recursive: true, force: true });
  };
  try {
    for (const n of new Set([...names, ...replace])) {
      if (n.includes('/') || n === '' || n === '.' || n === '..' || n.startsWith('.ig-')) continue;
      if (await exists(path.join(dir, n))) {
        await fs.promises.rename(path.join(dir, n), path.join(aside, n));
        movedAside.push(n);
      }
    }
    for (const n of names) {
      await fs.promises.rename(path.join(staged, n), path.join(dir, n));
      movedIn.push(n);
    }
  } catch (e) {
    await rollback();
    throw e;
  }
  return {
    commit: () => fs.promises.rm(aside, { recursive: true, force: true }),
    rollback,
  };
}

/** A table name with `prefix` replaced by `to`; MariaDB names have at most 64 characters. */
export function renamePrefix(table: string, from: string, to: string): string {
  return `${to}${table.slice(from.length)}`;
}

/**
 * Renames the loaded tables (`pairs[].from`) onto their final names (`pairs[].to`) in one statement; live tables
 * of those names, and the live install's other `replace` tables, are renamed aside first in the same statement.
 */
export async function swapTables(db: DbCredentials, pairs: readonly { from: string; to: string }[], replace: readonly string[], live: ReadonlySet<string>): Promise<Swap> {
  const tag = `igo${randomBytes(3).toString('hex')}_`;
  const asideNames = new Map<string, string>();
  for (const t of new Set([...pairs.map((p) => p.to), ...replace])) {
    if (live.has(t)) asideNames.set(t, `${tag}${t}`.slice(0, 64));
  }
  const q = (t: string) => `\`${t.replace(/`/g, '``')}\``;
  const forward = [...[...asideNames].map(([t, a]) => `${q(t)} TO ${q(a)}`), ...pairs.map((p) => `${q(p.from)} TO ${q(p.to)}`)];
  if (forward.length) await withAppConnection(db, (c) => c.query(`RENAME TABLE ${forward.join(', ')}`));
  return {
    async commit() {
      if (asideNames.size) await withAppConnection(db, (c) => c.query(`DROP TABLE IF EXISTS ${[...asideNames.values()].map(q).join(', ')}`));
    },
    async rollback() {
      const back = [...pairs.map((p) => `${q(p.to)} TO ${q(p.from)}`), ...[...asideNames].map(([t, a]) => `${q(a)} TO ${q(t)}`)];
      if (back.length) await withAppConnection(db, (c) => c.query(`RENAME TABLE ${back.join(', ')}`));
    },
  };
}
