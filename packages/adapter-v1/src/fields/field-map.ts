import type { Codec } from './codecs';

/** A JSON-like record: a resource in v1 or v2 shape, or a request's parameters. */
export type Rec = Record<string, unknown>;

/** Why a rule cannot round-trip every v2 value, and the v2 value that does survive the trip. */
export interface Lossy {
  readonly reason: string;
  /** Rewrites a v2 record in place into what `toV2(toV1(record))` gives back (used by the P2 property). */
  normalise(v2: Rec): void;
}

export type RuleKind = 'same' | 'rename' | 'codec' | 'each' | 'nest' | 'composite';

/**
 * One v1↔v2 mapping decision. A rule owns member names on both sides; in one map no two rules share a name
 * (checked by `defineFieldMap`). A rule fires when any member it reads is present, so partial records work.
 */
export interface FieldRule {
  readonly kind: RuleKind;
  /** v1 members this rule writes (and reads). */
  readonly v1: readonly string[];
  /** v2 members this rule writes (and reads). */
  readonly v2: readonly string[];
  /** Other v1 spellings read on the way up, never written (e.g. website `reseller` for `parent`). */
  readonly v1Aliases: readonly string[];
  /** Other v2 spellings read on the way down, never written (e.g. theme `active` in the seed examples). */
  readonly v2Aliases: readonly string[];
  /** Why the rule is what it is; the docs generator prints it. */
  readonly note: string;
  readonly lossy?: Lossy;
  /** Set when the rule maps a member outside the contracts allowlist; says why the member exists. */
  readonly outsideSchema?: string;
  readonly codec?: Codec;
  /** The map applied to each element (kind `each`). */
  readonly sub?: FieldMap;
  /**
   * Set on one-member rules without aliases (most of them): the translator applies these inline, which keeps the
   * per-record cost of a v1 response small (the installs benchmark holds v1 within 10% of v2).
   */
  readonly simple?: { readonly v1: string; readonly v2: string; readonly codec?: Codec };
  toV2(src: Rec, out: Rec): void;
  toV1(src: Rec, out: Rec): void;
}

/** What happens to members no rule owns (custom fields of an installer, or future fields). */
export interface UnknownKeys {
  readonly note: string;
  readonly v1: string;
  readonly v2: string;
  toV2(key: string): string;
  toV1(key: string): string;
}

export interface FieldMap {
  readonly resource: string;
  readonly note: string;
  readonly rules: readonly FieldRule[];
  readonly unknownKeys: UnknownKeys;
  /** v1 shape → v2 shape. Arrays map element-wise; anything that is not a record passes through. */
  toV2(data: unknown): unknown;
  /** v2 shape → v1 shape. Arrays map element-wise; anything that is not a record passes through. */
  toV1(data: unknown): unknown;
}

/** Unknown members keep their name: the resource has no naming rule that differs between versions. */
export const KEEP_UNKNOWN: UnknownKeys = {
  note: 'Members without a rule keep their name and value.',
  v1: '*',
  v2: '*',
  toV2: (key) => key,
  toV1: (key) => key,
};

export function hasOwn(obj: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, key);
}

/** Present = an own member whose value is not `undefined` (JSON cannot carry undefined; absent and undefined agree). */
export function present(obj: Rec, key: string): boolean {
  return hasOwn(obj, key) && obj[key] !== undefined;
}

/** Writes an own member even for names such as `__proto__`, which plain assignment would turn into a prototype. */
export function setOwn(obj: Rec, key: string, value: unknown): void {
  // Plain assignment is many times faster; only `__proto__` needs defineProperty to stay an own member.
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

export function isRecord(value: unknown): value is Rec {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** How a rule is named in error messages and docs: `list-files ↔ files`. */
export function ruleLabel(rule: FieldRule): string {
  return `${rule.kind}(${rule.v1.join(' + ')} ↔ ${rule.v2.join(' + ')})`;
}

type Direction = 'toV1' | 'toV2';

/** The members each rule reads, per direction, computed once per map (this runs for every record served). */
interface Compiled {
  rules: readonly FieldRule[];
  reads: { toV1: readonly (readonly string[])[]; toV2: readonly (readonly string[])[] };
  /** Every member some rule reads, per direction: what the general rule must not touch. */
  readAll: { toV1: ReadonlySet<string>; toV2: ReadonlySet<string> };
}

/**
 * Translations of frozen (immutable) records, per map and direction. The core hands out stored records frozen, so
 * a record read again unchanged is translated once; a changed record is a different object.
 */
const frozenResults = { toV1: new WeakMap<object, WeakMap<Rec, Rec>>(), toV2: new WeakMap<object, WeakMap<Rec, Rec>>() };

function translate(map: FieldMap, c: Compiled, ownedV1: Set<string>, ownedV2: Set<string>, data: unknown, dir: Direction): unknown {
  if (Array.isArray(data)) return data.map((item) => translate(map, c, ownedV1, ownedV2, item, dir));
  if (!isRecord(data)) return data;
  if (!Object.isFrozen(data)) return translateRecord(map, c, ownedV1, ownedV2, data, dir);
  let cache = frozenResults[dir].get(c);
  if (!cache) frozenResults[dir].set(c, (cache = new WeakMap()));
  let out = cache.get(data);
  if (!out) {
    out = Object.freeze(translateRecord(map, c, ownedV1, ownedV2, data, dir));
    cache.set(data, out);
  }
  return out;
}

function translateRecord(map: FieldMap, c: Compiled, ownedV1: Set<string>, ownedV2: Set<string>, data: Rec, dir: Direction): Rec {
  const out: Rec = {};
  const reads = c.reads[dir];
  const toV1 = dir === 'toV1';
  for (let i = 0; i < c.rules.length; i++) {
    const rule = c.rules[i]!;
    const simple = rule.simple;
    if (simple) {
      const from = toV1 ? simple.v2 : simple.v1;
      const value = data[from];
      if (value === undefined || !hasOwn(data, from)) continue;
      const to = toV1 ? simple.v1 : simple.v2;
      const v = simple.codec ? (toV1 ? simple.codec.toV1(value, from) : simple.codec.toV2(value, from)) : value;
      if (to === '__proto__') setOwn(out, to, v);
      else out[to] = v;
      continue;
    }
    const keys = reads[i]!;
    let fires = false;
    for (const key of keys) if (present(data, key)) { fires = true; break; }
    if (fires) rule[dir](data, out);
  }
  // Members no rule owns are kept, never dropped: the general rule names them on the other side.
  const owned = dir === 'toV2' ? ownedV2 : ownedV1;
  const consumed = c.readAll[dir];
  for (const key of Object.keys(data)) {
    if (consumed.has(key) || data[key] === undefined) continue;
    const renamed = map.unknownKeys[dir](key);
    // CASE: the general rule would land on a member a rule owns (a custom field named like a core field):
    // keep the original name rather than overwrite or shadow the real member.
    const target = owned.has(renamed) || hasOwn(out, renamed) ? key : renamed;
    setOwn(out, target, data[key]);
  }
  return out;
}

/**
 * Declares the field map of one resource. Checks at definition time (Cadwyn style) that every rule has a note and
 * that no two rules share a v1 or a v2 member name, aliases included; the error names both rules.
 */
export function defineFieldMap(
  resource: string,
  spec: { note: string; rules: readonly FieldRule[]; unknownKeys?: UnknownKeys },
): FieldMap {
  const ownerV1 = new Map<string, FieldRule>();
  const ownerV2 = new Map<string, FieldRule>();
  for (const rule of spec.rules) {
    if (!rule.note.trim()) throw new Error(`field map "${resource}": ${ruleLabel(rule)} has no note`);
    for (const [side, owner, keys] of [
      ['v1', ownerV1, [...rule.v1, ...rule.v1Aliases]],
      ['v2', ownerV2, [...rule.v2, ...rule.v2Aliases]],
    ] as const) {
      for (const key of keys) {
        const other = owner.get(key);
        if (other) {
          throw new Error(`field map "${resource}": ${ruleLabel(other)} and ${ruleLabel(rule)} both use the ${side} member "${key}"`);
        }
        owner.set(key, rule);
      }
    }
  }
  const ownedV1 = new Set(ownerV1.keys());
  const ownedV2 = new Set(ownerV2.keys());
  const compiled: Compiled = {
    rules: spec.rules,
    reads: {
      toV2: spec.rules.map((r) => [...r.v1, ...r.v1Aliases]),
      toV1: spec.rules.map((r) => [...r.v2, ...r.v2Aliases]),
    },
    // A member is consumed when its rule reads it, whether or not the rule fired: the same as before, since a
    // rule fires whenever one of its members is present.
    readAll: { toV2: ownedV1, toV1: ownedV2 },
  };
  const map: FieldMap = {
    resource,
    note: spec.note,
    rules: spec.rules,
    unknownKeys: spec.unknownKeys ?? KEEP_UNKNOWN,
    toV2: (data) => translate(map, compiled, ownedV1, ownedV2, data, 'toV2'),
    toV1: (data) => translate(map, compiled, ownedV1, ownedV2, data, 'toV1'),
  };
  return map;
}
