/**
 * What a sync would change (its dry run): files compared by size and modification time, and by SHA-256 when only
 * the time differs (a copy made elsewhere has another mtime but the same bytes); tables by MariaDB's CHECKSUM TABLE.
 * Tables hold each site's own URLs, so a table that stores them (WordPress: options, posts) counts as changed
 * whenever the two sites' URLs differ: the dry run says what the sync would copy, not what would look different.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { withAppConnection } from '../runtime/app-database';
import type { DbCredentials } from './ports';
import type { SyncPlan } from './sync-plan';

export interface ChangeList {
  added: string[];
  changed: string[];
  removed: string[];
}

/** The dry run's `data` (spec §2.2 sync [R]; see docs/api-differences.md). */
export interface SyncPreview {
  id: string;
  source: string;
  changes: { files: ChangeList; tables: ChangeList };
}

interface Entry {
  kind: 'file' | 'link';
  size: number;
  mtime: number;
}

/** Every file and link under `root/name` (relative `/` paths); folders only through their contents. */
async function walk(root: string, name: string, out: Map<string, Entry>): Promise<void> {
  const full = path.join(root, name);
  const st = await fs.promises.lstat(full).catch(() => null);
  if (!st) return;
  if (st.isDirectory()) {
    for (const child of await fs.promises.readdir(full)) await walk(root, `${name}/${child}`, out);
    return;
  }
  out.set(name, { kind: st.isSymbolicLink() ? 'link' : 'file', size: st.size, mtime: Math.floor(st.mtimeMs / 1000) });
}

async function sha256(file: string): Promise<string> {
  const h = createHash('sha256');
  await pipeline(fs.createReadStream(file), h);
  return h.digest('hex');
}

async function sameFile(a: string, b: string, ea: Entry, eb: Entry): Promise<boolean> {
  if (ea.kind !== eb.kind || ea.size !== eb.size) return false;
  if (ea.kind === 'link') return (await fs.promises.readlink(a)) === (await fs.promises.readlink(b));
  if (ea.mtime === eb.mtime) return true;
  return (await sha256(a)) === (await sha256(b));
}

/** Files the sync would add to, change in and remove from the target. */
export async function fileChanges(plan: Pick<SyncPlan, 'source' | 'target' | 'files'>): Promise<ChangeList> {
  const src = new Map<string, Entry>();
  const tgt = new Map<string, Entry>();
  for (const n of plan.files.copy) await walk(plan.source.path, n, src);
  for (const n of [...plan.files.copy, ...plan.files.remove]) await walk(plan.target.path, n, tgt);
  const out: ChangeList = { added: [], changed: [], removed: [] };
  for (const [rel, e] of src) {
    const t = tgt.get(rel);
    if (!t) out.added.push(rel);
    else if (!(await sameFile(path.join(plan.source.path, rel), path.join(plan.target.path, rel), e, t))) out.changed.push(rel);
  }
  for (const rel of tgt.keys()) if (!src.has(rel)) out.removed.push(rel);
  for (const l of Object.values(out)) l.sort();
  return out;
}

/** CHECKSUM TABLE of `tables` (full names), by name; a table that cannot be read counts as null. */
async function checksums(db: DbCredentials, tables: readonly string[]): Promise<Map<string, string | null>> {
  if (tables.length === 0) return new Map();
  return withAppConnection(db, async (c) => {
    const [rows] = await c.query(`CHECKSUM TABLE ${tables.map((t) => `\`${t.replace(/`/g, '``')}\``).join(', ')}`);
    const out = new Map<string, string | null>();
    for (const r of rows as { Table: string; Checksum: unknown }[]) out.set(r.Table.slice(r.Table.indexOf('.') + 1), r.Checksum === null ? null : String(r.Checksum));
    return out;
  });
}

/** Tables (names without prefix) the sync would add to, change in and remove from the target. */
export async function tableChanges(plan: Pick<SyncPlan, 'source' | 'target' | 'sourceDb' | 'targetDb' | 'tables'>): Promise<ChangeList> {
  const out: ChangeList = { added: [], changed: [], removed: [...plan.tables.remove] };
  if (!plan.sourceDb || !plan.targetDb || plan.tables.copy.length === 0) return out;
  const sp = plan.source.db_prefix;
  const tp = plan.target.db_prefix;
  const live = new Set(await withAppConnection(plan.targetDb, async (c) => {
    const [rows] = await c.query('SHOW TABLES');
    return (rows as Record<string, string>[]).map((r) => Object.values(r)[0]!);
  }));
  const src = await checksums(plan.sourceDb, plan.tables.copy.map((n) => `${sp}${n}`));
  const tgt = await checksums(plan.targetDb, plan.tables.copy.filter((n) => live.has(`${tp}${n}`)).map((n) => `${tp}${n}`));
  for (const n of plan.tables.copy) {
    if (!live.has(`${tp}${n}`)) out.added.push(n);
    else if (src.get(`${sp}${n}`) === null || src.get(`${sp}${n}`) !== tgt.get(`${tp}${n}`)) out.changed.push(n);
  }
  return out;
}

/** The dry run's answer: what the sync of `plan` would change in its target. */
export async function previewSync(plan: SyncPlan): Promise<SyncPreview> {
  return { id: plan.target.id, source: plan.source.id, changes: { files: await fileChanges(plan), tables: await tableChanges(plan) } };
}
