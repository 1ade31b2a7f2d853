import knex, { type Knex } from 'knex';

/** How to reach the state store: a local SQLite file (default) or a shared MariaDB/PostgreSQL server. */
export type StoreOptions =
  | { client: 'sqlite3'; filename: string }
  | { client: 'mysql2' | 'pg'; connection: string };

/** How long a SQLite connection waits for another writer before failing with SQLITE_BUSY. */
const SQLITE_BUSY_TIMEOUT_MS = 5000;

/** Per-connection SQLite settings. Foreign keys are off by default in SQLite and must be set on every connection. */
const SQLITE_PRAGMAS = [
  'PRAGMA foreign_keys = ON',
  'PRAGMA journal_mode = WAL',
  `PRAGMA busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`,
] as const;

interface SqliteConnection {
  run(sql: string, cb: (err: Error | null) => void): void;
}

/** Runs the pragmas in order (sqlite3's `run` is callback-based), then hands the connection to the pool. */
function prepareSqliteConnection(conn: SqliteConnection, done: (err: Error | null, conn: SqliteConnection) => void): void {
  const next = (i: number): void => {
    if (i === SQLITE_PRAGMAS.length) return done(null, conn);
    conn.run(SQLITE_PRAGMAS[i], (err) => (err ? done(err, conn) : next(i + 1)));
  };
  next(0);
}

/**
 * Opens the state store. Nothing is created or migrated here (createEngine runs the migrations).
 * For SQLite the file is created on first use; its directory must exist. The mysql2/pg drivers are loaded by
 * knex on demand, so they need to be installed only where a shared database is used.
 */
export function openStore(opts: StoreOptions): Knex {
  if (opts.client === 'sqlite3') {
    return knex({
      client: 'sqlite3',
      connection: { filename: opts.filename },
      // SQLite has no DEFAULT keyword for inserts; knex needs this to insert rows with missing columns.
      useNullAsDefault: true,
      // One connection: SQLite serialises writers anyway, and a single connection avoids SQLITE_BUSY inside
      // transactions. WAL still lets other processes read while we write.
      pool: { min: 1, max: 1, afterCreate: prepareSqliteConnection },
    });
  }
  return knex({ client: opts.client, connection: opts.connection, pool: { min: 0, max: 10 } });
}
