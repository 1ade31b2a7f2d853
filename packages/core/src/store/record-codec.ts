import { EngineError } from '@installgate/contracts';

/**
 * The part of a zod schema the codec uses. Declared structurally because the core reaches zod only through
 * `@installgate/contracts` (zod is not a direct dependency of this package).
 */
export interface RecordSchema<T> {
  safeParse(value: unknown): { success: true; data: T } | { success: false; error: { issues: ReadonlyArray<{ path: ReadonlyArray<string | number>; code: string }> } };
}

/**
 * Validates a record against its schema. The error names only member paths and zod issue codes, never values,
 * because a record holds secrets (db_pass) that must not reach an error message or a log.
 * A mismatch here is a bug in the engine (callers validate input first), hence internal_error.
 */
export function checkRecord<T>(schema: RecordSchema<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), code: i.code }));
  throw new EngineError('internal_error', {
    message: `${what} does not match its schema at: ${issues.map((i) => i.path || '(root)').join(', ')}`,
    details: { issues },
  });
}

/** Validates and serialises a record for a `record`/JSON text column. */
export function encodeRecord<T>(schema: RecordSchema<T>, value: T, what: string): string {
  return JSON.stringify(checkRecord(schema, value, what));
}

/** How many decoded records each schema keeps (a few MB at most; lists re-read the same records constantly). */
export const DECODE_CACHE_SIZE = 5000;

const caches = new WeakMap<object, Map<string, unknown>>();

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const v of Object.values(value as object)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/**
 * Parses and validates a JSON text column; corrupt or outdated rows fail loudly instead of leaking odd shapes.
 * Decoded records are immutable values: the result is deeply frozen and kept in a small LRU keyed by the stored
 * text, so reading the same unchanged record again costs a lookup instead of a parse and a validation (panels poll
 * the same lists all day). A changed record has a different text, so the cache can never serve a stale value.
 */
export function decodeRecord<T>(schema: RecordSchema<T>, text: string, what: string): T {
  let cache = caches.get(schema);
  if (!cache) caches.set(schema, (cache = new Map()));
  const hit = cache.get(text);
  if (hit !== undefined) {
    cache.delete(text);
    cache.set(text, hit);
    return hit as T;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new EngineError('internal_error', { message: `${what}: stored record is not valid JSON`, cause });
  }
  const record = deepFreeze(checkRecord(schema, value, what));
  cache.set(text, record);
  if (cache.size > DECODE_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  return record;
}
