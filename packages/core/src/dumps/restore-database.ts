/**
 * Loads an SQL dump into an application's database over one mysql2 connection, statement by statement, streaming.
 */
import type { Readable } from 'node:stream';
import { EngineError } from '@installgate/contracts';
import { createConnection, type Connection, type ResultSetHeader, type RowDataPacket } from 'mysql2/promise';
import { credentialError, credentialOptions } from '../runtime/app-database';
import type { DbCredentials } from '../runtime/db-server';
import { SplitStatements } from './split-statements';
import { rewriteTablePrefix, stripDefiner } from './rewrite-statement';

export interface RestoreDatabaseOptions {
  signal?: AbortSignal;
  /** Rename tables whose names start with `from` to start with `to` (backquoted identifiers only). */
  tablePrefixRewrite?: { from: string; to: string };
}

/** The target table of an INSERT (mariadb-dump writes `INSERT INTO \`t\` VALUES …`). */
const INSERT_INTO = /^\s*INSERT\s+(?:IGNORE\s+)?INTO\s+`((?:[^`]|``)+)`/i;

/** Statement text loaded between two commits (about 16 MB). */
const COMMIT_EVERY_CHARS = 16 << 20;

/** Bytes a query packet needs beyond the statement text. */
const PACKET_OVERHEAD = 1024;

interface MysqlError {
  code?: string;
  errno?: number;
  sqlMessage?: string;
}

/**
 * Statements are sent as the dump wrote them. mysql2 otherwise scans every statement for `?` placeholders even
 * without values (a tenth of a restore's CPU time on a 200k-row table) — and a `?` inside dumped data is not one.
 */
function sendVerbatim(sql: string, values: unknown): string {
  if (Array.isArray(values) ? values.length > 0 : values !== undefined) throw new Error('restoreDatabase sends statements verbatim: no placeholders');
  return sql;
}

/** A string whose characters are the UTF-8 bytes of `text` (what a `binary` client encoding sends as they are). */
const asBytes = (text: string) => Buffer.from(text, 'utf8').toString('latin1');
const fromBytes = (bytes: string) => Buffer.from(bytes, 'latin1').toString('utf8');

/**
 * The dump's bytes travel untouched: statements are split as latin1 strings (one character per byte) and mysql2
 * sends them with the `binary` encoding, while `SET NAMES utf8mb4` tells the server what the bytes are. Decoding
 * UTF-8 made every statement with an emoji a two-byte string twice the size, which V8 keeps in its large-object
 * space until a full collection: the server's memory grew by tens of MiB during a load.
 */
function connectOptions(creds: DbCredentials) {
  const base = credentialOptions(creds);
  // Rows are never read back here; keep BLOB/big numbers untouched if they are.
  return {
    ...base, user: asBytes(creds.db_user), database: asBytes(creds.db_name), charset: 'BINARY',
    // Without session tracking: mysql2 would otherwise switch its own encoding to utf8 when the server reports
    // `SET NAMES utf8mb4` (ours, or the dump's), and encode the byte strings a second time.
    flags: ['-SESSION_TRACK'],
    supportBigNumbers: true, queryFormat: sendVerbatim,
  };
}

/**
 * Executes every statement of the dump `sql` in `creds.db_name`. Triggers and routines (DELIMITER blocks) are
 * recreated without their `DEFINER=` clause (the restoring user becomes the definer). The session uses utf8mb4 and
 * FOREIGN_KEY_CHECKS=0 for the whole load. Memory holds one statement at a time.
 * Resolves with the number of statements run and the rows inserted per table. Throws: connection errors as `credentialError` does
 * (`invalid_argument_db_pass`, `invalid_argument_db_name`, `invalid_argument_db_host`); a statement over the server's
 * max_allowed_packet → `internal_error` (StatementTooLarge) before it is sent; a failing statement → `internal_error`
 * naming its number and the server's error (never the SQL text, which may hold data); AbortError when aborted.
 * Not atomic: a failure leaves the statements before it applied (the caller restores into a fresh database or
 * drops the tables).
 */
export async function restoreDatabase(
  creds: DbCredentials,
  sql: Readable,
  opts: RestoreDatabaseOptions = {},
): Promise<{ statements: number; rows: Record<string, number> }> {
  opts.signal?.throwIfAborted();
  let conn: Connection;
  try {
    conn = await createConnection(connectOptions(creds));
  } catch (e) {
    sql.destroy();
    throw credentialError(e);
  }
  const onAbort = () => conn.destroy();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  let splitter: SplitStatements | undefined;
  const rewrite = opts.tablePrefixRewrite && { from: asBytes(opts.tablePrefixRewrite.from), to: asBytes(opts.tablePrefixRewrite.to) };
  let n = 0;
  // Rows inserted per table (INSERT/REPLACE statements' affected rows), for the caller to compare with a count.
  const inserted: Record<string, number> = {};
  try {
    await conn.query('SET NAMES utf8mb4');
    await conn.query('SET FOREIGN_KEY_CHECKS = 0');
    // Rows are committed in batches, not statement by statement: with autocommit every extended INSERT would wait
    // for its own log flush. DDL in the dump commits implicitly as usual.
    await conn.query('SET autocommit = 0');
    let uncommitted = 0;
    const [rows] = await conn.query<RowDataPacket[]>('SELECT @@max_allowed_packet AS m');
    const maxStatementBytes = Math.max(1024, Number(rows[0].m) - PACKET_OVERHEAD);
    splitter = new SplitStatements({ maxStatementBytes, encoding: 'latin1' });
    sql.on('error', (e) => splitter!.destroy(e));
    sql.pipe(splitter);
    for await (const raw of splitter as AsyncIterable<string>) {
      opts.signal?.throwIfAborted();
      let stmt = stripDefiner(raw);
      if (rewrite) stmt = rewriteTablePrefix(stmt, rewrite.from, rewrite.to);
      n++;
      try {
        const [res] = await conn.query<ResultSetHeader>(stmt);
        uncommitted += stmt.length;
        if (uncommitted >= COMMIT_EVERY_CHARS) {
          await conn.query('COMMIT');
          uncommitted = 0;
        }
        const table = INSERT_INTO.exec(stmt)?.[1];
        if (table !== undefined) {
          const name = fromBytes(table.replace(/``/g, '`'));
          inserted[name] = (inserted[name] ?? 0) + Number(res.affectedRows ?? 0);
        }
      } catch (e) {
        opts.signal?.throwIfAborted();
        const m = e as MysqlError;
        throw new EngineError('internal_error', {
          message: `Restoring the database failed at statement ${n}: ${m.code ?? 'error'}${m.errno ? ` (${m.errno})` : ''}: ${(m.sqlMessage ?? (e as Error).message).slice(0, 300)}`,
          details: { statement: n, errno: m.errno },
        });
      }
    }
    await conn.query('COMMIT');
    await conn.query('SET FOREIGN_KEY_CHECKS = 1');
    return { statements: n, rows: inserted };
  } catch (e) {
    opts.signal?.throwIfAborted();
    if (e instanceof EngineError) throw e;
    const m = e as MysqlError;
    throw new EngineError('internal_error', { message: `Restoring the database failed: ${m.code ?? ''} ${(m.sqlMessage ?? (e as Error).message).slice(0, 300)}` });
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
    splitter?.destroy();
    if (!sql.readableEnded) sql.destroy();
    await conn.end().catch(() => conn.destroy());
  }
}
