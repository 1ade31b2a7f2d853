import type { Codec } from './codecs';
import { isRecord, present, type FieldMap, type FieldRule, type Lossy, type Rec } from './field-map';

/** Builders for field rules. Each returns plain data plus the two small functions that apply it. */

interface RenameOptions {
  readonly codec?: Codec;
  readonly v1Aliases?: readonly string[];
  readonly v2Aliases?: readonly string[];
  readonly lossy?: Lossy;
  readonly outsideSchema?: string;
}

function firstPresent(src: Rec, keys: readonly string[]): string {
  // The caller only runs a rule when one of its keys is present, so this always finds one.
  for (const key of keys) if (present(src, key)) return key;
  return keys[0]!;
}

function renameRule(kind: FieldRule['kind'], v1: string, v2: string, note: string, opts: RenameOptions): FieldRule {
  const v1Reads = [v1, ...(opts.v1Aliases ?? [])];
  const v2Reads = [v2, ...(opts.v2Aliases ?? [])];
  const { codec } = opts;
  return {
    kind,
    v1: [v1],
    v2: [v2],
    v1Aliases: opts.v1Aliases ?? [],
    v2Aliases: opts.v2Aliases ?? [],
    note,
    lossy: opts.lossy,
    outsideSchema: opts.outsideSchema,
    codec,
    ...(v1Reads.length === 1 && v2Reads.length === 1 ? { simple: { v1, v2, codec } } : {}),
    toV2(src, out) {
      const key = firstPresent(src, v1Reads);
      out[v2] = codec ? codec.toV2(src[key], key) : src[key];
    },
    toV1(src, out) {
      const key = firstPresent(src, v2Reads);
      out[v1] = codec ? codec.toV1(src[key], key) : src[key];
    },
  };
}

export const SAME_NOTE = 'Same name and value in v1 and v2.';

/** The member has the same name and value in both versions. It still gets a rule: that is the recorded decision. */
export function same(name: string, note: string = SAME_NOTE, opts: RenameOptions = {}): FieldRule {
  return renameRule('same', name, name, note, opts);
}

/** Only the name differs. */
export function rename(v1: string, v2: string, note: string, opts: RenameOptions = {}): FieldRule {
  return renameRule('rename', v1, v2, note, opts);
}

/** The value is translated by a codec (and the name may differ). The note defaults to the codec's note. */
export function codec(v1: string, v2: string, c: Codec, note: string = c.note, opts: Omit<RenameOptions, 'codec'> = {}): FieldRule {
  return renameRule('codec', v1, v2, note, { ...opts, codec: c });
}

/** Many renames that share one reason: `{ 'list-files': 'files', … }` (v1 name → v2 name). */
export function renames(note: string, table: Readonly<Record<string, string>>): FieldRule[] {
  return Object.entries(table).map(([v1, v2]) => rename(v1, v2, note));
}

/** Many same-name members that share one reason. */
export function sames(names: readonly string[], note: string = SAME_NOTE): FieldRule[] {
  return names.map((name) => same(name, note));
}

/** An array of sub-records, each translated by `sub` (themes inside an install, websites inside a user). */
export function each(v1: string, v2: string, sub: FieldMap, note: string, opts: { v1Aliases?: readonly string[] } = {}): FieldRule {
  const v1Reads = [v1, ...(opts.v1Aliases ?? [])];
  return {
    kind: 'each',
    v1: [v1],
    v2: [v2],
    v1Aliases: opts.v1Aliases ?? [],
    v2Aliases: [],
    note,
    sub,
    toV2(src, out) {
      out[v2] = sub.toV2(src[firstPresent(src, v1Reads)]);
    },
    toV1(src, out) {
      out[v1] = sub.toV1(src[v2]);
    },
  };
}

/**
 * One v2 object member made of several flat v1 members: `links.site` ↔ `link_site`. `table` maps each sub-key to its
 * v1 name. The v2 object is written only when at least one v1 member is present.
 */
export function nest(v2: string, table: Readonly<Record<string, string>>, note: string, lossy?: Lossy): FieldRule {
  const entries = Object.entries(table);
  return {
    kind: 'nest',
    v1: entries.map(([, v1]) => v1),
    v2: [v2],
    v1Aliases: [],
    v2Aliases: [],
    note,
    lossy,
    toV2(src, out) {
      const obj: Rec = {};
      for (const [subKey, v1] of entries) if (present(src, v1)) obj[subKey] = src[v1];
      out[v2] = obj;
    },
    toV1(src, out) {
      const obj = src[v2];
      if (!isRecord(obj)) return;
      for (const [subKey, v1] of entries) if (present(obj, subKey)) out[v1] = obj[subKey];
    },
  };
}

/** A rule whose members do not map one to one (autobk + autobk_schedule ↔ autobk). */
export function composite(spec: {
  v1: readonly string[];
  v2: readonly string[];
  v1Aliases?: readonly string[];
  v2Aliases?: readonly string[];
  note: string;
  lossy?: Lossy;
  toV2(src: Rec, out: Rec): void;
  toV1(src: Rec, out: Rec): void;
}): FieldRule {
  return { kind: 'composite', v1Aliases: [], v2Aliases: [], ...spec };
}
