/**
 * Copies an install's tables into another database (clone, sync): the source is dumped with the server's dump tool
 * and the dump streams straight into the destination, table names rewritten from one prefix to another on the way.
 * Nothing is held in memory but one statement, and the same code path works across database servers.
 */
import { PassThrough } from 'node:stream';
import { dumpDatabase, restoreDatabase } from '../dumps';
import type { DbCredentials } from './ports';

/**
 * Copies `tables` (names with `prefix.from`) of `from` into `to`, each renamed to start with `prefix.to`. A failure
 * may leave some of the new tables behind: the caller drops them (its undo).
 */
export async function copyTables(from: DbCredentials, tables: readonly string[], to: DbCredentials, prefix: { from: string; to: string }): Promise<void> {
  if (tables.length === 0) return;
  const ac = new AbortController();
  const sql = new PassThrough({ highWaterMark: 1 << 20 });
  const dumping = dumpDatabase(from, [...tables], sql, { signal: ac.signal });
  // The dump tool's failure destroys `sql`, which stops the restore; the restore's failure stops the dump.
  dumping.catch(() => undefined);
  try {
    await restoreDatabase(to, sql, { signal: ac.signal, tablePrefixRewrite: prefix.from === prefix.to ? undefined : prefix });
  } catch (e) {
    ac.abort();
    // The dump's own error (access denied, unknown database) says more than the cut-off restore's.
    const dumpError = await dumping.then(() => null, (err: unknown) => err);
    throw dumpError && !(dumpError instanceof Error && dumpError.name === 'AbortError') ? dumpError : e;
  }
  await dumping;
}
