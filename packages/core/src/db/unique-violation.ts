/**
 * How each supported driver reports a UNIQUE / PRIMARY KEY violation. Used where the database itself enforces a
 * rule (one lock per install, unique task ids) and the engine must turn the violation into an errcode.
 */
const UNIQUE_VIOLATION = {
  sqlite3: (e: DriverError) => e.code === 'SQLITE_CONSTRAINT' && /UNIQUE|PRIMARY KEY/i.test(e.message ?? ''),
  mysql2: (e: DriverError) => e.code === 'ER_DUP_ENTRY' || e.errno === 1062,
  pg: (e: DriverError) => e.code === '23505',
} as const;

interface DriverError {
  code?: unknown;
  errno?: unknown;
  message?: string;
}

/** True when `err` is a unique-key violation from any of the supported drivers. */
export function isUniqueViolation(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as DriverError;
  return Object.values(UNIQUE_VIOLATION).some((test) => test(e));
}
