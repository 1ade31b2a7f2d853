/**
 * MANIFEST.jsonl, the last entry of every backup archive: one JSON line per earlier entry (path, type, size,
 * mode, sha256; symlink target), one `rows` line per table of the dump (its row count), then an `end` line with the entry count and the sha256 of the lines before it,
 * so a cut or edited manifest is detected too.
 */
import { createHash } from 'node:crypto';
import { EngineError } from '@installgate/contracts';

export type ManifestEntry =
  | { path: string; type: 'file'; size: number; mode: number; sha256: string }
  | { path: string; type: 'dir'; mode: number }
  | { path: string; type: 'symlink'; mode: number; target: string }
  /** Rows of one table in the dump `path` (counted as the dump was written): checked after a restore. */
  | { path: string; type: 'rows'; table: string; rows: number };

export interface ManifestEnd {
  type: 'end';
  entries: number;
  sha256: string;
}

export const MANIFEST_FILE = 'MANIFEST.jsonl';

/** Serialises entries; the result ends with the `end` line and a newline. */
export function formatManifest(entries: readonly ManifestEntry[]): string {
  const body = entries.map((e) => `${JSON.stringify(e)}\n`).join('');
  const end: ManifestEnd = { type: 'end', entries: entries.length, sha256: createHash('sha256').update(body).digest('hex') };
  return `${body}${JSON.stringify(end)}\n`;
}

/** Parses MANIFEST.jsonl; throws `failed_backup_format` (details.reason `manifest`) when malformed or incomplete. */
export function parseManifest(text: string): ManifestEntry[] {
  const bad = (why: string) => new EngineError('failed_backup_format', { message: `MANIFEST.jsonl is not valid: ${why}`, details: { reason: 'manifest' } });
  const lines = text.split('\n');
  if (lines.pop() !== '') throw bad('no final newline');
  const last = lines.pop();
  let end: ManifestEnd;
  try {
    end = JSON.parse(last ?? '') as ManifestEnd;
  } catch {
    throw bad('no end line');
  }
  const body = lines.map((l) => `${l}\n`).join('');
  if (end.type !== 'end' || end.entries !== lines.length || end.sha256 !== createHash('sha256').update(body).digest('hex')) throw bad('end line does not match');
  return lines.map((l, i) => {
    try {
      const e = JSON.parse(l) as ManifestEntry;
      if (typeof e.path !== 'string' || !['file', 'dir', 'symlink', 'rows'].includes(e.type)) throw new Error();
      if (e.type === 'rows' && (typeof e.table !== 'string' || !Number.isSafeInteger(e.rows) || e.rows < 0)) throw new Error();
      return e;
    } catch {
      throw bad(`line ${i + 1}`);
    }
  });
}
