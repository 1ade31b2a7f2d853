/**
 * The database half of a migration: a one-time PHP helper placed in the source site's folder streams its tables as
 * SQL over HTTP. This file renders the helper (php/wordpress/migrate-dump.php with the site's database settings and
 * a random secret), asks it for the dump (`source_url_ip`: connect there, Host header of `source_url`), and checks
 * that the dump arrived whole (the helper's completion marker).
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { EngineError } from '@installgate/contracts';
import { phpString } from '../drivers/php-support';
import { phpHelper } from '../runtime/php';
import type { DbCredentials } from './ports';
import { redactText } from '../secrets/redact';
import { HelperPostError, helperPostReason, postHelper } from '../remote/post-helper';

const CONFIG_MARKER = '/*@@INSTALLGATE-CONFIG@@*/';
const COMPLETE_MARKER = '-- installgate-dump-complete';

/** A helper for one migration: its file name (random, unguessable) and the secret it demands. */
export interface DumpHelper {
  name: string;
  secret: string;
  /** The PHP text, holding the database password and the secret: never logged. */
  text: string;
}

export function renderDumpHelper(db: DbCredentials): DumpHelper {
  const template = fs.readFileSync(phpHelper('wordpress', 'migrate-dump.php'), 'utf8');
  const secret = randomBytes(32).toString('hex');
  const config = [
    `$IG_SECRET = ${phpString(secret)};`,
    `$IG_DB = array('host' => ${phpString(db.db_host)}, 'user' => ${phpString(db.db_user)}, 'password' => ${phpString(db.db_pass)}, 'name' => ${phpString(db.db_name)}, 'prefix' => ${phpString(db.db_prefix)});`,
  ].join('\n');
  return { name: `installgate-migrate-${randomBytes(12).toString('hex')}.php`, secret, text: template.replace(CONFIG_MARKER, config) };
}

/** Passes the dump through, remembering its last bytes to see the completion marker. */
class TailWatch extends Transform {
  private tail = Buffer.alloc(0);
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.tail = Buffer.concat([this.tail, chunk]).subarray(-256);
    cb(null, chunk);
  }
  get complete(): boolean {
    return this.tail.toString('latin1').trimEnd().endsWith(COMPLETE_MARKER);
  }
}

export interface RemoteDump {
  /** The SQL, streaming. */
  body: Readable;
  /** The source site's folder on its server (for rewriting stored paths). */
  sourcePath: string;
  /** True once the whole dump has been read and ended with the helper's marker. */
  complete(): boolean;
}

/** A helper silent this long (no byte of answer) is given up: a hung source must not hold the task forever. */
const IDLE_TIMEOUT_MS = 300_000;

const failure = (message: string) => new EngineError('invalid_argument_source_url', { errfield: 'source_url', message });

/**
 * POSTs to the helper at `<sourceUrl>/<name>` (remote/post-helper.ts: the secret in a header, never in the URL,
 * which access logs keep) and resolves with the dump stream once the helper answered 200. Anything else →
 * `invalid_argument_source_url` naming the HTTP status and the helper's own short explanation (secrets masked).
 */
export async function requestRemoteDump(sourceUrl: string, ip: string | undefined, helper: DumpHelper, secrets: readonly string[], signal?: AbortSignal): Promise<RemoteDump> {
  const url = new URL(`${sourceUrl}/${helper.name}`);
  const mask = (s: string) => redactText(s, [...secrets, helper.secret]);
  const res = await postHelper({ url, ip, secret: helper.secret, userAgent: 'Installgate-migrate', signal, idleTimeoutMs: IDLE_TIMEOUT_MS }).catch((e: unknown) => {
    if (!(e instanceof HelperPostError)) throw e;
    throw failure(mask(`source_url ${url.origin}${ip ? ` at ${ip}` : ''} ${helperPostReason(e)}.`));
  });
  if (res.statusCode !== 200) {
    const text = await new Promise<string>((resolve) => {
      let t = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => { if (t.length < 2000) t += c; });
      res.on('end', () => resolve(t));
      res.on('error', () => resolve(t));
    });
    throw failure(mask(`The migration helper at ${url.origin}${url.pathname.replace(/[^/]*$/, '')} answered HTTP ${res.statusCode}${text.trim() ? `: ${text.trim().slice(0, 400)}` : ''}. Check that source_url serves the folder of source_path.`));
  }
  const raw = res.headers['x-installgate-path'];
  const sourcePath = typeof raw === 'string' ? decodeURIComponent(raw) : '';
  const watch = new TailWatch();
  res.on('error', (e) => watch.destroy(e));
  res.on('aborted', () => watch.destroy(failure('The connection to the migration helper broke off during the dump.')));
  res.pipe(watch);
  return { body: watch, sourcePath, complete: () => watch.complete };
}
