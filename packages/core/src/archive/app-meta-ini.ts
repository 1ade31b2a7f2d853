/**
 * `APP-META.INI`, the first entry of every backup archive: the archive format facts and the install/backup record
 * it was made from, in INI form with v2 key names (spec §5.1). Secrets stay out: `db_pass` is never written (a
 * restore uses the target's own database credentials), and reads back as ''.
 */
import { EngineError, zBackup, zInstall, type Backup, type Install } from '@installgate/contracts';
import { parse } from 'ini';
import { z } from 'zod';

/** Archive facts written next to the record. */
export interface AppMetaExtra {
  format_version: 1;
  /** Who wrote the archive, e.g. `installgate/0.1.0`. */
  created_by: string;
  /** sha256 of MANIFEST.jsonl when known in advance; '' when the manifest is the archive's last entry (packArchive). */
  manifest_sha256: string;
  /** Archive path of the SQL dump, e.g. `database.sql`. */
  dump_file: string;
  /** Archive folder holding the install's files, e.g. `files`. */
  files_root: string;
}

export interface AppMeta extends AppMetaExtra {
  kind: 'backup' | 'install';
  record: Backup | Install;
}

/** Members never written to an archive. */
export const SECRET_FIELDS = ['db_pass'] as const;

const zExtra = z.object({
  format_version: z.literal(1),
  created_by: z.string(),
  manifest_sha256: z.union([z.literal(''), z.string().regex(/^[0-9a-f]{64}$/)]),
  dump_file: z.string().min(1),
  files_root: z.string().min(1),
  kind: z.enum(['backup', 'install']),
});

function encodeValue(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

/** The zod type behind a member (unwrapping optional/default), to turn INI text back into a value. */
function baseType(t: z.ZodTypeAny): z.ZodTypeAny {
  while (t instanceof z.ZodOptional || t instanceof z.ZodDefault || t instanceof z.ZodNullable || t instanceof z.ZodEffects) {
    t = t instanceof z.ZodEffects ? t.innerType() : (t._def.innerType as z.ZodTypeAny);
  }
  return t;
}

function decodeValue(raw: unknown, type: z.ZodTypeAny): unknown {
  const text = raw === null ? 'null' : String(raw); // ini turns true/false/null text into values
  const t = baseType(type);
  if (t instanceof z.ZodNumber) return text.trim() === '' ? NaN : Number(text);
  if (t instanceof z.ZodBoolean) return text === 'true' ? true : text === 'false' ? false : text;
  if (t instanceof z.ZodArray || t instanceof z.ZodObject || t instanceof z.ZodRecord || t instanceof z.ZodUnknown) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

/** INI text for `record` (a Backup when it has `backup_filename`, else an Install). `db_pass` is left out. */
export function writeAppMeta(record: Backup | Install, extra: AppMetaExtra): string {
  const kind = 'backup_filename' in record ? 'backup' : 'install';
  const rec: Record<string, string> = {};
  for (const [k, v] of Object.entries(record)) {
    if ((SECRET_FIELDS as readonly string[]).includes(k)) continue;
    rec[k] = encodeValue(v);
  }
  const archive: Record<string, string> = {
    format_version: String(extra.format_version),
    created_by: extra.created_by,
    manifest_sha256: extra.manifest_sha256,
    dump_file: extra.dump_file,
    files_root: extra.files_root,
    kind,
  };
  // Every value is written as a JSON string literal: the `ini` package's own escaping loses `\;` and turns the
  // text `true` into a boolean; a quoted value is JSON-decoded by ini.parse exactly.
  const section = (name: string, values: Record<string, string>) =>
    `[${name}]\n${Object.entries(values).map(([k, v]) => `${k}=${JSON.stringify(v)}\n`).join('')}`;
  return `${section('archive', archive)}\n${section('record', rec)}`;
}

/**
 * Parses and validates APP-META.INI. Throws EngineError `failed_backup_format` (details.reason `meta`) when the
 * text is not a valid format-1 APP-META.INI or the record does not match zBackup/zInstall.
 */
export function readAppMeta(text: string): AppMeta {
  const bad = (why: string) => new EngineError('failed_backup_format', { message: `APP-META.INI is not valid: ${why}`, details: { reason: 'meta' } });
  let doc: Record<string, unknown>;
  try {
    doc = parse(text) as Record<string, unknown>;
  } catch (e) {
    throw bad((e as Error).message);
  }
  const archive = (doc.archive ?? {}) as Record<string, unknown>;
  const recordRaw = (doc.record ?? {}) as Record<string, unknown>;
  const ex = zExtra.safeParse({ ...archive, format_version: Number(archive.format_version), created_by: String(archive.created_by ?? ''), manifest_sha256: String(archive.manifest_sha256 ?? '') });
  if (!ex.success) throw bad(ex.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  const schema = ex.data.kind === 'backup' ? zBackup : zInstall;
  const shape = schema.shape as Record<string, z.ZodTypeAny>;
  const values: Record<string, unknown> = { db_pass: '' };
  for (const [k, v] of Object.entries(recordRaw)) values[k] = k in shape ? decodeValue(v, shape[k]) : v;
  const rec = schema.safeParse(values);
  if (!rec.success) throw bad(rec.error.issues.slice(0, 5).map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  return { ...ex.data, record: rec.data };
}
