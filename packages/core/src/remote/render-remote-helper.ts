/**
 * Renders the one-time PHP file that runs one of Installgate's helpers on a website's own server: the preamble
 * (php/remote/preamble.php: secret check, lifetime, self-deletion) followed by the helper with every
 * `require __DIR__ . '/x.php'` replaced by that file's code. One self-contained file, so that placing it is one
 * write and removing it one unlink, and the helper runs the very PHP body the CLI path runs.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import type { PhpHelperName } from '../drivers/php-executor';
import { PHP_HELPERS_DIR, phpHelper } from '../runtime/php';

/** Name of a rendered helper: random and unguessable, distinct from login files and migration helpers. */
export const REMOTE_HELPER_RE = /^installgate-[0-9a-f]{24}\.php$/;

export interface RemoteHelper {
  /** File name, `installgate-<24 hex>.php`. */
  name: string;
  /** The one-time secret the request must carry; the file only holds its SHA-256. Never logged. */
  secret: string;
  /** The PHP text (no secret in it: it may be world-readable). */
  text: string;
}

export interface RenderOptions {
  /** The file refuses to run (and deletes itself) once it is older than this on the site's clock. */
  maxAgeSeconds: number;
  /** PHP's own time limit for the run. */
  timeLimitSeconds: number;
}

/** `require __DIR__ . '/bootstrap.php';` on a line of its own: the only way helpers include each other. */
const REQUIRE_SIBLING = /^require __DIR__ \. '\/([A-Za-z0-9_-]+\.php)';[ \t]*$/gm;

/** A file's code without its opening tag; `seen` makes each sibling appear once (require_once semantics). */
async function inlined(file: string, seen: Set<string>): Promise<string> {
  seen.add(file);
  const text = (await readFile(file, 'utf8')).replace(/^<\?php[ \t]*\r?\n/, '');
  // A closing tag would end PHP mode in the middle of the combined file.
  if (/\?>\s*$/.test(text)) throw new Error(`${file} ends with a PHP closing tag; remove it so that it can be inlined`);
  const parts: string[] = [];
  let last = 0;
  for (const m of text.matchAll(REQUIRE_SIBLING)) {
    const sibling = join(dirname(file), m[1]!);
    parts.push(text.slice(last, m.index));
    parts.push(seen.has(sibling) ? '' : `// ---- ${relative(PHP_HELPERS_DIR, sibling)} ----\n${await inlined(sibling, seen)}\n// ---- end ${m[1]} ----`);
    last = m.index! + m[0].length;
  }
  parts.push(text.slice(last));
  return parts.join('');
}

/** Helpers' combined code, read once per process (they only change with an Installgate release). */
const bodies = new Map<PhpHelperName, Promise<string>>();
let preamble: Promise<string> | undefined;

function bodyOf(helper: PhpHelperName): Promise<string> {
  let body = bodies.get(helper);
  if (!body) {
    body = inlined(phpHelper(helper), new Set());
    body.catch(() => bodies.delete(helper));
    bodies.set(helper, body);
  }
  return body;
}

export async function renderRemoteHelper(helper: PhpHelperName, opts: RenderOptions): Promise<RemoteHelper> {
  preamble ??= readFile(phpHelper('remote', 'preamble.php'), 'utf8');
  const secret = randomBytes(32).toString('hex');
  const values: Record<string, string> = {
    '%%SECRET_SHA256%%': createHash('sha256').update(secret).digest('hex'),
    '%%MAX_AGE%%': String(Math.ceil(opts.maxAgeSeconds)),
    '%%TIME_LIMIT%%': String(Math.ceil(opts.timeLimitSeconds)),
  };
  const head = (await preamble).replace(/%%SECRET_SHA256%%|%%MAX_AGE%%|%%TIME_LIMIT%%/g, (k) => values[k]!);
  return {
    name: `installgate-${randomBytes(12).toString('hex')}.php`,
    secret,
    text: `${head}\n// ---- ${helper} ----\n${await bodyOf(helper)}`,
  };
}
