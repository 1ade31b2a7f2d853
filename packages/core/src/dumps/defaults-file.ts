/**
 * A temporary MariaDB client option file holding an application's credentials, so that they never appear in a
 * command line (visible to every local user in `ps`).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDbHost, type DbCredentials } from '../runtime/db-server';

/**
 * Quotes an option value for a MariaDB option file: double quotes, with `\` and `"` escaped (the client library
 * unescapes `\\` and `\"`; inside quotes `#` and `;` do not start a comment). Newlines cannot be represented.
 */
export function quoteOptionValue(value: string): string {
  if (/[\r\n\0]/.test(value)) throw new Error('An option value cannot contain line breaks or NUL.');
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** The `[client]` section for `creds` (no database: the dump tools take it as an argument). */
export function clientOptions(creds: DbCredentials): string {
  const ep = parseDbHost(creds.db_host);
  const lines = ['[client]', `user=${quoteOptionValue(creds.db_user)}`, `password=${quoteOptionValue(creds.db_pass)}`];
  if (ep.socketPath) lines.push(`socket=${quoteOptionValue(ep.socketPath)}`, 'protocol=SOCKET');
  else lines.push(`host=${quoteOptionValue(ep.host === 'localhost' ? '127.0.0.1' : ep.host)}`, `port=${ep.port}`, 'protocol=TCP');
  lines.push('default-character-set=utf8mb4', '');
  return lines.join('\n');
}

/**
 * Runs `fn` with the path of a fresh option file (mode 0600, in a private 0700 folder) for `creds`; the folder is
 * removed when `fn` settles, also when it throws.
 */
export async function withDefaultsFile<T>(creds: DbCredentials, fn: (path: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'ig-dbcnf-'));
  try {
    const file = join(dir, 'client.cnf');
    await writeFile(file, clientOptions(creds), { mode: 0o600, flag: 'wx' });
    return await fn(file);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
