import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Unpacks a release archive into `dir`, dropping its top-level folder (wordpress/, testapp-db/ …). */
export async function unpackRelease(archive: string, dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  await run('tar', ['-xzf', archive, '-C', dir, '--strip-components=1']);
}

/** Runs php-cli; secrets go in `env`, never in `args`. Returns stdout; throws with stderr on failure. */
export async function php(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<string> {
  try {
    const r = await run('php', args, { cwd: opts.cwd, env: { ...process.env, ...opts.env }, maxBuffer: 16 * 1024 * 1024 });
    return r.stdout;
  } catch (e) {
    const err = e as { stderr?: string; stdout?: string; message: string };
    throw new Error(`php ${args[0]} failed: ${err.message}\n${err.stdout ?? ''}${err.stderr ?? ''}`);
  }
}
