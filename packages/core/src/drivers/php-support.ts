/**
 * Small pieces the drivers share: PHP literals, helper-result parsing, atomic config writes, field checks.
 */
import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { EngineError, invalidArgument } from '@installgate/contracts';
import { redactText } from '../secrets/redact';
import type { RunPhpResult } from '../runtime/php';
import { join } from 'node:path';
import type { AppDriver, InstallFields } from './app-driver';

/** A PHP single-quoted string literal: only `\` and `'` need escaping there. */
export function phpString(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** PHP string literal text (single- or double-quoted) → value; null for anything with interpolation or non-literal. */
export function unphpString(lit: string): string | null {
  if (lit.startsWith("'")) return lit.slice(1, -1).replace(/\\([\\'])/g, '$1');
  if (!lit.startsWith('"')) return null;
  const body = lit.slice(1, -1);
  if (/(^|[^\\])(\\\\)*\$[A-Za-z_{]/.test(body)) return null; // "$var" / "{$x}": runtime values
  const map: Record<string, string> = { n: '\n', t: '\t', r: '\r', v: '\v', f: '\f', e: '\x1b', '\\': '\\', $: '$', '"': '"', '0': '\0' };
  return body.replace(/\\(.)/g, (m, ch: string) => map[ch] ?? m);
}

/** Matches one PHP string literal (for building regexes). */
export const PHP_STRING = `'(?:[^'\\\\]|\\\\.)*'|"(?:[^"\\\\]|\\\\.)*"`;

export const RESULT_MARKER = '@@INSTALLGATE-RESULT@@ ';

/** Last lines of PHP output for an error message: tags stripped, secrets masked, short. */
export function outputTail(r: Pick<RunPhpResult, 'stdout' | 'stderr'>, secrets: readonly string[]): string {
  const text = `${r.stderr}\n${r.stdout}`
    .replace(/<[^>]*>/g, ' ')
    .split('\n')
    .map((l) => l.replace(/\s+/g, ' ').trim())
    .filter(Boolean)
    .slice(-6)
    .join(' | ');
  return redactText(text, secrets).slice(0, 600);
}

/**
 * The JSON result of one of Installgate's helper scripts (php/…): the last `@@INSTALLGATE-RESULT@@` line.
 * `{ok:false, field, message}` becomes invalid_argument_<field>; no result line becomes internal_error naming `what`
 * with the (redacted) end of the output; `how` says how it ended there (`exit 255`, `HTTP 500`).
 */
export function helperResult<T>(r: Pick<RunPhpResult, 'stdout' | 'stderr' | 'code'>, what: string, secrets: readonly string[], how = `exit ${r.code}`): T {
  const line = r.stdout
    .split('\n')
    .reverse()
    .find((l) => l.startsWith(RESULT_MARKER));
  if (!line) {
    throw new EngineError('internal_error', { message: `${what} failed (${how}): ${outputTail(r, secrets) || 'no output'}` });
  }
  const data = JSON.parse(line.slice(RESULT_MARKER.length)) as { ok: boolean; field?: string; message?: string } & T;
  if (!data.ok) throw invalidArgument(data.field ?? 'id', redactText(data.message ?? `${what} failed.`, secrets));
  return data;
}

/** Replaces `file` atomically (temporary file + rename), keeping its mode (default 0640: configs hold passwords). */
export async function writeConfigAtomic(file: string, text: string, mode?: number): Promise<void> {
  const keep = mode ?? (await stat(file).then((s) => s.mode & 0o777, () => 0o640));
  const tmp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, text, { mode: keep, flag: 'wx' });
    await rename(tmp, file);
  } catch (e) {
    await rm(tmp, { force: true });
    throw fsError(e);
  }
}

/** File-system errors of a driver mapped to the catalogue. */
export function fsError(e: unknown): EngineError {
  if (e instanceof EngineError) return e;
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return new EngineError('failed_filesystem_permission');
  if (code === 'ENOSPC' || code === 'EDQUOT') return new EngineError('failed_filesystem_quota');
  if (code === 'ENOENT' || code === 'ENOTDIR') return new EngineError('failed_filesystem_directory');
  return new EngineError('internal_error', { message: `File system: ${(e as Error).message}` });
}

export async function readText(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR') return null;
    throw fsError(e);
  }
}

/** Version read from a VERSION file; failed_filesystem_directory when there is none. */
export async function versionFile(file: string): Promise<string> {
  const text = await readText(file);
  if (text === null) throw new EngineError('failed_filesystem_directory', { message: `${file} is missing.` });
  return text.trim();
}

/**
 * Checks the fields every installer needs. Passwords must not start or end with whitespace: WordPress trims the
 * password at login (but not when storing it), so such a password could never be used.
 */
export function checkInstallFields(f: InstallFields): void {
  if (!f.login) throw invalidArgument('login', 'The admin username is required.');
  if (!/^[^\s@]+@[^\s@]+$/.test(f.email ?? '')) throw invalidArgument('email', 'The admin email address is not valid.');
  checkPassword(f.passwd);
}

export function checkPassword(p: string | undefined): void {
  if (!p) throw invalidArgument('passwd', 'The admin password is required.');
  if (p !== p.trim()) throw invalidArgument('passwd', 'The admin password must not start or end with whitespace.');
}

/** What the drivers of the small test applications share: no single sign-on, no add-ons, the VERSION file. */
export const VERSION_FILE_APP_MEMBERS = {
  async createLoginUrl(): Promise<string> {
    throw new EngineError('not_implemented', { message: 'Single sign-on is available for WordPress installs only.' });
  },
  async addons() {
    return { plugins: [], themes: [] };
  },
  async version(dir: string): Promise<string> {
    return versionFile(join(dir, 'VERSION'));
  },
} satisfies Pick<AppDriver, 'createLoginUrl' | 'addons' | 'version'>;
