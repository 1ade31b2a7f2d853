/**
 * What a sync (spec §2.2 `POST /installs/{id}/sync` [R]) decides before its task: the source (given, else the
 * target's `stage`), which of the same application, and which top-level files and which tables it pulls. The
 * chosen parts of the target become the source's: entries the source has are copied, chosen entries only the
 * target has are removed.
 */
import * as path from 'node:path';
import { EngineError, emptyArgument, invalidArgument, type Install } from '@installgate/contracts';
import type { Scope } from '../access/actor';
import type { AppDeps } from './app-deps';
import { isTopLevelName } from './copy-files';
import { currentContents } from './install-contents';
import type { DbCredentials } from './ports';
import { recordDb } from './uninstall-application';
import { refuseRemoteInstall } from '../sites/remote-refusal';

/** `true`/absent: all; `false`: none; a list: those (files: top-level names; tables: with or without prefix). */
export type SyncSelection = boolean | readonly string[];

export interface SyncRequest {
  source?: string;
  files?: SyncSelection;
  tables?: SyncSelection;
}

export interface SyncPlan {
  target: Install;
  source: Install;
  targetDb: DbCredentials | null;
  sourceDb: DbCredentials | null;
  files: { copy: string[]; remove: string[] };
  /** Table names without prefix: `copy` exist in the source, `remove` only in the target. */
  tables: { copy: string[]; remove: string[] };
}

/** The top-level entry of `dir` that holds `other` (a nested folder), or null. */
function holding(dir: string, other: string): string | null {
  const rel = path.relative(dir, other);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel.split(path.sep)[0]! : null;
}

/**
 * Entries of the two folders that hold another install, of any owner (the source nested in the target, or a
 * customer's second site): a sync never copies over or removes them.
 */
async function nestedEntries(deps: AppDeps, a: Install, b: Install): Promise<Set<string>> {
  const out = new Set<string>();
  for (let offset = 0; ; offset += 1000) {
    const page = await deps.installsRepo.list({ owners: null }, { offset, limit: 1000 });
    for (const i of page.items) {
      for (const dir of [a.path, b.path]) {
        const n = i.path === dir ? null : holding(dir, i.path);
        if (n) out.add(n);
      }
    }
    if (!page.has_more) return out;
  }
}

/** Splits the chosen names into those the source has (copied) and those only the target has (removed). */
export function choose(sel: SyncSelection | undefined, inSource: readonly string[], inTarget: readonly string[], field: 'files' | 'tables', normalise: (n: string) => string): { copy: string[]; remove: string[] } {
  const src = new Set(inSource);
  const all = new Set([...inSource, ...inTarget]);
  let names: string[];
  if (sel === false) names = [];
  else if (sel === undefined || sel === true) names = [...all];
  else {
    names = [];
    for (const raw of sel) {
      const n = normalise(raw);
      if (!all.has(n)) throw invalidArgument(field, `${raw} is in neither install.`);
      names.push(n);
    }
  }
  const unique = [...new Set(names)].sort();
  return { copy: unique.filter((n) => src.has(n)), remove: unique.filter((n) => !src.has(n)) };
}

/** The source named by `source` (or the target's stage), visible to the caller; the same application. */
async function sourceOf(deps: AppDeps, scope: Scope, target: Install, given: string | undefined): Promise<Install> {
  const id = given && given !== '' ? given : target.stage;
  if (!id) throw emptyArgument('source', 'This install has no stage; name the install to sync from with source.');
  if (id === target.id) throw invalidArgument('source', 'An install cannot sync from itself.');
  let source: Install;
  try {
    source = await deps.installs.get(scope, id);
  } catch (e) {
    if (e instanceof EngineError && e.errcode === 'install_not_found') throw new EngineError('install_not_found', { errfield: 'source', message: `No install ${id} for this user to sync from.` });
    throw e;
  }
  if (source.application !== target.application) {
    throw invalidArgument('source', `A sync needs the same application: ${source.id} is ${source.application}, this install is ${target.application}.`);
  }
  if (source.incomplete) throw new EngineError('install_busy', { errfield: 'source', message: 'The source install is incomplete (an install or restore did not finish).' });
  return source;
}

/** Input checks and selection of a sync (dryrun=input stops after this). */
export async function planSync(deps: AppDeps, scope: Scope, id: string, req: SyncRequest): Promise<SyncPlan> {
  const target = await deps.installs.get(scope, id);
  if (target.incomplete) throw new EngineError('install_busy', { errfield: 'id', message: 'This install is incomplete (an install or restore did not finish); it cannot be synced.' });
  // Both folders are read, copied and swapped with this server's file calls.
  refuseRemoteInstall(target, 'sync');
  const source = await sourceOf(deps, scope, target, req.source);
  refuseRemoteInstall(source, 'syncSource');
  const [s, t] = await Promise.all([currentContents(deps, source, null), currentContents(deps, target, null)]);
  // One install nested in the other's folder is not part of the other.
  const nested = await nestedEntries(deps, target, source);
  const files = choose(req.files, s.files.filter((n) => !nested.has(n)), t.files.filter((n) => !nested.has(n)), 'files', (n) => {
    if (!isTopLevelName(n) || nested.has(n)) throw invalidArgument('files', `${n} is not a top-level file or folder of the install.`);
    return n;
  });
  const sourceDb = recordDb(source);
  const targetDb = recordDb(target);
  const noDb = !sourceDb || !targetDb;
  if (noDb && Array.isArray(req.tables) && req.tables.length > 0) throw invalidArgument('tables', 'These installs have no database tables to sync.');
  if (!noDb && source.db_prefix === '' && s.tables.length > 0) throw invalidArgument('source', 'The source\'s tables have no prefix; they cannot be synced beside the live ones.');
  const bare = (list: readonly string[], prefix: string) => list.filter((x) => x.startsWith(prefix)).map((x) => x.slice(prefix.length));
  const srcTables = noDb ? [] : bare(s.tables, source.db_prefix);
  const tgtTables = noDb ? [] : bare(t.tables, target.db_prefix);
  const known = new Set([...srcTables, ...tgtTables]);
  const tables = choose(noDb ? false : req.tables, srcTables, tgtTables, 'tables', (n) => {
    if (known.has(n)) return n;
    for (const p of [source.db_prefix, target.db_prefix]) if (p !== '' && n.startsWith(p)) return n.slice(p.length);
    return n;
  });
  return { target, source, targetDb, sourceDb, files, tables };
}
