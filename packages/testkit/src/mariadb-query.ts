import { spawn } from 'node:child_process';
import { requireMariaDbBinaries } from './mariadb-binaries';

export interface ClientResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the `mariadb` client with a defaults file (credentials never in argv) and feeds `sql` through stdin.
 * `args` come after --defaults-file (which must be first), e.g. ['-N', '-B', 'dbname'].
 */
export function runMariaDbClient(defaultsFile: string, sql: string, args: string[] = []): Promise<ClientResult> {
  const { client } = requireMariaDbBinaries();
  return new Promise((resolve, reject) => {
    const child = spawn(client, [`--defaults-file=${defaultsFile}`, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.once('error', reject);
    child.once('close', (code) =>
      resolve({ code: code ?? -1, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }),
    );
    child.stdin.on('error', () => undefined); // the client may exit before reading everything (connection refused)
    child.stdin.end(sql, 'utf8');
  });
}

/**
 * Runs SQL as root on a server started by startMariaDb (or mariadb.sh: pass DIR/root.cnf) and returns the output in
 * batch form: one line per row, columns separated by tabs, no header. Throws with the client's message on failure.
 */
export async function mariadbQuery(
  server: { defaultsFile: string },
  sql: string,
  opts: { database?: string } = {},
): Promise<string> {
  const args = ['-N', '-B', ...(opts.database ? [opts.database] : [])];
  const r = await runMariaDbClient(server.defaultsFile, sql, args);
  if (r.code !== 0) throw new Error(`mariadb client failed (exit ${r.code}): ${r.stderr.trim()}`);
  return r.stdout;
}
