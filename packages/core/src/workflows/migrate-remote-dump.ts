/**
 * The database half of a migration: a one-time PHP helper placed in the source site's folder streams its tables as
 * SQL over HTTP. This file renders the helper (php/wordpress/migrate-dump.php with the site's database settings and
 * a random secret), asks it for the dump (`source_url_ip`: connect there, Host header of `source_url`), and checks
 * that the dump arrived whole (the helper's completion marker).
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { EngineError } from '@installgate/contracts';
import { phpString } from '../drivers/php-support';
import { phpHelper } from '../runtime/php';
import type { DbCredentials } from './ports';
import { redactText } from '../secrets/redact';

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
 * POSTs to the helper at `<sourceUrl>/<name>` with the secret in a header (never in the URL: URLs land in access
 * logs) and resolves with the dump stream once the helper answered 200. Anything else → `invalid_argument_source_url`
 * naming the HTTP status and the helper's own short explanation (secrets masked).
 */
export function requestRemoteDump(sourceUrl: string, ip: string | undefined, helper: DumpHelper, secrets: readonly string[], signal?: AbortSignal): Promise<RemoteDump> {
  const url = new URL(`${sourceUrl}/${helper.name}`);
  const client = url.protocol === 'https:' ? https : http;
  const mask = (s: string) => redactText(s, [...secrets, helper.secret]);
  return new Promise((resolve, reject) => {
    const req = client.request({
      host: ip ?? url.hostname, port: url.port || undefined, path: url.pathname, method: 'POST', signal,
      servername: url.protocol === 'https:' ? url.hostname : undefined,
      headers: { host: url.host, 'x-installgate-secret': helper.secret, 'content-length': '0', 'user-agent': 'Installgate-migrate' },
    }, (res) => {
      if (res.statusCode !== 200) {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => { if (text.length < 2000) text += c; });
        res.on('end', () => reject(failure(mask(`The migration helper at ${url.origin}${url.pathname.replace(/[^/]*$/, '')} answered HTTP ${res.statusCode}${text.trim() ? `: ${text.trim().slice(0, 400)}` : ''}. Check that source_url serves the folder of source_path.`))));
        res.on('error', () => reject(failure(`The migration helper answered HTTP ${res.statusCode}.`)));
        return;
      }
      const raw = res.headers['x-installgate-path'];
      const sourcePath = typeof raw === 'string' ? decodeURIComponent(raw) : '';
      const watch = new TailWatch();
      res.on('error', (e) => watch.destroy(e));
      res.on('aborted', () => watch.destroy(failure('The connection to the migration helper broke off during the dump.')));
      res.pipe(watch);
      resolve({ body: watch, sourcePath, complete: () => watch.complete });
    });
    req.setTimeout(IDLE_TIMEOUT_MS, () => req.destroy(Object.assign(new Error('no answer'), { code: 'ETIMEDOUT' })));
    req.on('error', (e: NodeJS.ErrnoException) => reject(failure(mask(`source_url ${url.origin} could not be reached${ip ? ` at ${ip}` : ''}: ${e.code ?? e.message}.`))));
    req.end();
  });
}
