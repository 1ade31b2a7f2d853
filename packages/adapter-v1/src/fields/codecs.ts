import { NOTIFICATIONS, invalidArgument } from '@installgate/contracts';

/**
 * A two-way value translation between a v1 encoding and the canonical v2 value.
 *
 * `toV2` reads what a v1 client sends or a v1 record holds. Because inputs are unambiguous (spec §4.6: "accept both v1
 * and v2 names and encodings on every request"), it also accepts the v2 encoding and documented aliases. `toV1`
 * writes the one canonical v1 encoding and accepts v2 aliases only. Both throw `invalid_argument_<field>` (errfield =
 * the member name as the caller spelled it) for a value they cannot translate, unless the codec is `passthrough`.
 */
export interface Codec {
  readonly note: string;
  /** Every value `toV1` can emit, when that set is finite: documentation and test arbitraries read it. */
  readonly v1Values?: readonly unknown[];
  toV2(value: unknown, field: string): unknown;
  toV1(value: unknown, field: string): unknown;
}

type Scalar = string | number | boolean;

/** Keys of T whose value also appears under another key: `never` for an injective (invertible) table. */
type DuplicateValueKeys<T> = { [K in keyof T]: T[K] extends T[Exclude<keyof T, K>] ? K : never }[keyof T];
/** Intersected with a table type, makes the compiler reject a table that is not injective (its inverse is derived). */
type Injective<T> = [DuplicateValueKeys<T>] extends [never] ? unknown : { __error: 'two keys map to the same value'; keys: DuplicateValueKeys<T> };

export interface EnumOptions<V2 extends Scalar> {
  readonly note: string;
  /** Extra v1 spellings read on the way up, never emitted (e.g. `'true'`/`'1'` for a `yes`/`no` flag). */
  readonly v1Aliases?: Readonly<Record<string, V2>>;
  /** Extra v2 spellings accepted both ways and normalised to the canonical value (e.g. autoup `custom` → `minor`). */
  readonly v2Aliases?: Readonly<Record<string, V2>>;
  /** Values outside the table pass through unchanged instead of failing (open value sets such as task `cmd`). */
  readonly passthrough?: boolean;
}

/** The shared engine of the enum codecs: one list of (v1, v2) pairs, both lookups derived from it. */
function enumCodec<V2 extends Scalar>(pairs: ReadonlyArray<readonly [Scalar, V2]>, opts: EnumOptions<V2>): Codec {
  const byV1 = new Map<string, V2>();
  const byV2 = new Map<Scalar, Scalar>();
  for (const [v1, v2] of pairs) {
    // Runtime twin of the `Injective` type check, for tables built from non-literal data.
    if (byV1.has(String(v1)) || byV2.has(v2)) throw new Error(`codec table is not injective at ${String(v1)} ↔ ${String(v2)}`);
    byV1.set(String(v1), v2);
    byV2.set(v2, v1);
  }
  const v2Alias = (value: unknown): V2 | undefined =>
    typeof value === 'string' && opts.v2Aliases && Object.prototype.hasOwnProperty.call(opts.v2Aliases, value) ? opts.v2Aliases[value] : undefined;
  const v1Alias = (value: unknown): V2 | undefined => {
    const key = typeof value === 'string' ? value.trim().toLowerCase() : String(value);
    return opts.v1Aliases && Object.prototype.hasOwnProperty.call(opts.v1Aliases, key) ? opts.v1Aliases[key] : undefined;
  };
  return {
    note: opts.note,
    v1Values: pairs.map(([v1]) => v1),
    toV2(value, field) {
      // CASE: the v1 encoding; numbers and numeric strings are the same v1 value (`autoup=1` in a query string).
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
        const key = typeof value === 'string' ? value.trim() : String(value);
        if (byV1.has(key)) return byV1.get(key);
      }
      // CASE: already the v2 value (a v2-style input on a v1 request, or a v1 record already translated).
      if (byV2.has(value as Scalar)) return value;
      const alias = v2Alias(value) ?? v1Alias(value);
      if (alias !== undefined) return alias;
      if (opts.passthrough) return value;
      throw invalidArgument(field);
    },
    toV1(value, field) {
      const canonical = byV2.has(value as Scalar) ? (value as Scalar) : v2Alias(value);
      if (canonical !== undefined) return byV2.get(canonical);
      if (opts.passthrough) return value;
      throw invalidArgument(field);
    },
  };
}

/** v1 integers ↔ v2 strings, from one literal `{ 0: 'none', 1: 'minor', … }`. `toV1` emits numbers. */
export function intEnum<const T extends Record<number, string>>(table: T & Injective<T>, opts: EnumOptions<string>): Codec {
  return enumCodec(Object.entries(table as Record<string, string>).map(([k, v]) => [Number(k), v] as const), opts);
}

/** v1 strings ↔ v2 booleans, from one literal `{ yes: true, no: false }`. */
export function boolEnum<const T extends Record<string, boolean>>(table: T & Injective<T>, opts: EnumOptions<boolean>): Codec {
  return enumCodec(Object.entries(table as Record<string, boolean>), opts);
}

/** v1 strings ↔ v2 strings, from one literal `{ backup: 'installs/backup', … }`. */
export function strEnum<const T extends Record<string, string>>(table: T & Injective<T>, opts: EnumOptions<string>): Codec {
  return enumCodec(Object.entries(table as Record<string, string>), opts);
}

/** The same codec, but `toV1` writes text: a v1 *request* carries `autoup=1` as a string, a v1 *record* as a number. */
export function asText(codec: Codec): Codec {
  return {
    note: codec.note,
    v1Values: codec.v1Values?.map(String),
    toV2: (value, field) => codec.toV2(value, field),
    toV1: (value, field) => {
      const out = codec.toV1(value, field);
      return typeof out === 'number' || typeof out === 'boolean' ? String(out) : out;
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The value tables of spec §4.5. Each is one literal; the inverse is derived.
// ---------------------------------------------------------------------------------------------------------------

/** Core auto-update: spec §4.5 ruling `0↔none, 1↔minor, 2↔all`; the notes' `custom` is read as `minor`, never written. */
export const AUTOUP = intEnum({ 0: 'none', 1: 'minor', 2: 'all' }, {
  note: 'v1 integer 0/1/2 ↔ none/minor/all (spec §4.5 ruling); `custom` (API v2 notes) is accepted as minor and never emitted.',
  v2Aliases: { custom: 'minor' },
});

/** Plugin/theme auto-update of an install: a DIFFERENT order from `autoup` (1 = all, 2 = custom; spec §9 #3). */
export const AUTOUP_ADDONS = intEnum({ 0: 'none', 1: 'all', 2: 'custom' }, {
  note: 'v1 integer 0/1/2 ↔ none/all/custom (API v2 notes); note 1 = all here but 1 = minor for autoup.',
});

export const AUTOUP_BACKUP = intEnum({ 0: 'none', 1: 'all' }, { note: 'v1 integer 0/1 ↔ none/all (API v2 notes).' });

/** `suspended` and similar v1 flags: `yes`/`no` ↔ boolean (API v2 notes: "changed to a boolean"). */
export const YES_NO = boolEnum({ yes: true, no: false }, {
  note: 'v1 yes/no ↔ boolean.',
  v1Aliases: { true: true, false: false, '1': true, '0': false },
});

/** Application `install`: v1 `auto`/`none` ↔ boolean (spec §4.4). */
export const AUTO_NONE = boolEnum({ auto: true, none: false }, { note: 'v1 auto/none ↔ boolean (spec §4.4).' });

/** The 14 notification types v1 knows (spec §8.3); `all` in v1 means these. */
export const V1_NOTIFICATIONS: readonly string[] = NOTIFICATIONS.slice(0, 14);

/**
 * A v1 comma-separated list ↔ a v2 array. `''` is the empty list; `all` (v1 `notification`) expands to the v1
 * types: the adapter decides this rather than the server so that a v1 request means the same on every server
 * (the server still limits notifications to the types the admin enabled). Arrays (PHP-style `a[]=x`) are accepted.
 */
export function commaList(opts: { note: string; all?: readonly string[] }): Codec {
  return {
    note: opts.note,
    toV2(value, field) {
      if (Array.isArray(value)) return value.map((v) => String(v));
      if (typeof value !== 'string') throw invalidArgument(field);
      if (opts.all && value.trim().toLowerCase() === 'all') return [...opts.all];
      return value.split(',').map((s) => s.trim()).filter((s) => s !== '');
    },
    toV1(value, field) {
      if (Array.isArray(value)) return value.map((v) => String(v)).join(',');
      if (typeof value === 'string') return value;
      throw invalidArgument(field);
    },
  };
}

export const NOTIFICATION_LIST = commaList({
  note: 'v1 comma-separated string ↔ v2 array; "" ↔ []; v1 `all` reads as the 14 v1 types (spec §8.3), never emitted.',
  all: V1_NOTIFICATIONS,
});

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY = 86_400;

/** `/browser` `date` (YYYY-MM-DD, UTC) ↔ `time` (unix seconds). Lossy for times that are not midnight UTC. */
export const ISO_DATE_UNIX: Codec = {
  note: 'v1 date YYYY-MM-DD (UTC) ↔ v2 unix time of that midnight (spec §4.4).',
  toV2(value, field) {
    if (typeof value === 'number' && Number.isInteger(value)) return value;
    const m = typeof value === 'string' ? ISO_DATE.exec(value) : null;
    if (!m) throw invalidArgument(field);
    // setUTCFullYear, not Date.UTC: the latter reads years 0-99 as 1900-1999.
    const d = new Date(0);
    d.setUTCFullYear(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
    // 2024-02-31 rolls over into March; a date that does not survive the trip back is not a date.
    if (d.toISOString().slice(0, 10) !== value) throw invalidArgument(field);
    return d.getTime() / 1000;
  },
  toV1(value, field) {
    if (typeof value !== 'number' || !Number.isInteger(value)) throw invalidArgument(field);
    const d = new Date(Math.floor(value / DAY) * DAY * 1000);
    if (Number.isNaN(d.getTime()) || d.getUTCFullYear() < 0 || d.getUTCFullYear() > 9999) throw invalidArgument(field);
    return d.toISOString().slice(0, 10);
  },
};
