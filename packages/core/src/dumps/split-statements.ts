/**
 * Splits an SQL dump (as `mariadb-dump` / `mysqldump` write it) into single statements, streaming: bytes in,
 * one string per statement out (object mode), without the delimiter.
 *
 * Understands what the `mariadb` command-line client understands in a dump:
 * - quotes `'…'`, `"…"` (backslash escapes and doubled quotes) and backticks (doubled backticks, no escapes);
 * - comments `-- …` (dash-dash followed by whitespace), `# …` and `/* … *\/`, which are dropped;
 * - MariaDB/MySQL executable comments `/*!40101 … *\/` and `/*M!100101 … *\/`, which are kept verbatim (the server
 *   runs them);
 * - `DELIMITER xx` lines (client command, never sent to the server), as used around trigger and routine bodies;
 * - CRLF line ends.
 *
 * Memory is bounded: a statement longer than `maxStatementBytes` fails the stream with StatementTooLarge (the server
 * would refuse it anyway: it is larger than max_allowed_packet).
 */
import { StringDecoder } from 'node:string_decoder';
import { Transform, type TransformCallback } from 'node:stream';
import { EngineError } from '@installgate/contracts';

export interface SplitStatementsOptions {
  /** Longest statement accepted, in bytes (UTF-8). Default 64 MiB. */
  maxStatementBytes?: number;
  /**
   * `utf8` (default): statements are decoded text. `latin1`: every byte becomes one character, so the statement
   * strings carry the dump's bytes unchanged (send them with a `binary` client encoding). Everything the splitter
   * looks at is ASCII, which never occurs inside a multi-byte UTF-8 sequence, so both split identically.
   */
  encoding?: 'utf8' | 'latin1';
}

/** A statement over the limit. errcode `internal_error`; `details.limit` is the limit in bytes. */
export class StatementTooLarge extends EngineError {
  constructor(limit: number, statementIndex: number) {
    super('internal_error', {
      message: `SQL statement ${statementIndex} of the dump is larger than the server's max_allowed_packet (${limit} bytes).`,
      details: { limit, statement: statementIndex },
    });
    this.name = 'StatementTooLarge';
  }
}

type State = 'normal' | 'quote' | 'line-comment' | 'block-comment' | 'exec-comment';

const QUOTE_STOP: Record<string, RegExp> = { "'": /['\\]/g, '"': /["\\]/g, '`': /`/g };
const WS = new Set([' ', '\t', '\n', '\r', '\f', '\v']);
const DELIMITER_LINE = /^delimiter[ \t]+(\S+)[ \t]*\r?$/i;

/**
 * Outside quotes and comments, the characters that can change the state or end a statement with `delimiter`.
 * Everything else (numbers, hex literals, commas, keywords) is skipped in one regex jump: scanning those char by
 * char in JS made splitting slower than the server's loading of the statements.
 */
function normalStops(delimiter: string): RegExp {
  return new RegExp(`[${`'"\`#/${delimiter[0]}`.replace(/[\]\\^-]/g, '\\$&')}-]`, 'g');
}

export class SplitStatements extends Transform {
  private readonly decoder: StringDecoder;
  private readonly byteLength: (s: string) => number;
  private readonly max: number;
  private buf = '';
  private stmt = '';
  private state: State = 'normal';
  /** The quote character while in 'quote'; the state to return to after the quote. */
  private quote = '';
  private afterQuote: 'normal' | 'exec-comment' = 'normal';
  private delimiter = ';';
  private stops = normalStops(';');
  /** Nothing but whitespace and comments since the last statement: a DELIMITER line may start here. */
  private blank = true;
  private count = 0;

  constructor(opts: SplitStatementsOptions = {}) {
    // Two statements ready at most (object mode's default is 16): every statement queued is a string of up to
    // 64 KiB (DUMP_ARGS) that survives V8's young-generation collections, gets promoted and counts towards growing
    // the young generation; the loader only ever needs the next one.
    super({ readableObjectMode: true, writableObjectMode: false, readableHighWaterMark: 2 });
    this.max = opts.maxStatementBytes ?? 64 * 1024 * 1024;
    this.decoder = new StringDecoder(opts.encoding ?? 'utf8');
    this.byteLength = opts.encoding === 'latin1' ? (text) => text.length : (text) => Buffer.byteLength(text, 'utf8');
  }

  /** Statements emitted so far. */
  get statements(): number {
    return this.count;
  }

  override _transform(chunk: Buffer | string, _enc: BufferEncoding, cb: TransformCallback): void {
    try {
      this.buf += typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
      this.scan(false);
      cb();
    } catch (e) {
      cb(e as Error);
    }
  }

  override _flush(cb: TransformCallback): void {
    try {
      this.buf += this.decoder.end();
      this.scan(true);
      if (this.state === 'quote') throw new EngineError('internal_error', { message: `The SQL dump ends inside a ${this.quote}-quoted string (truncated?).` });
      if (this.state === 'exec-comment' || this.state === 'block-comment') throw new EngineError('internal_error', { message: 'The SQL dump ends inside a /* comment (truncated?).' });
      this.emitStatement(this.stmt);
      this.stmt = '';
      cb();
    } catch (e) {
      cb(e as Error);
    }
  }

  private emitStatement(text: string): void {
    const s = text.trim();
    this.blank = true;
    if (!s) return;
    this.count++;
    if (this.byteLength(s) > this.max) throw new StatementTooLarge(this.max, this.count);
    this.push(s);
  }

  /** Scans `buf`; stops early (keeping the rest) when a decision needs characters not received yet, unless `final`. */
  private scan(final: boolean): void {
    const s = this.buf;
    const n = s.length;
    let i = 0;
    let run = 0; // start of the text not yet appended to stmt
    const flush = (to: number) => {
      if (to > run) this.stmt += s.slice(run, to);
      run = to;
    };
    scan: while (i < n) {
      let c = s[i];
      switch (this.state) {
        case 'normal': {
          if (!this.blank) {
            // Once a statement has started, whitespace no longer matters: jump to the next special character.
            this.stops.lastIndex = i;
            const m = this.stops.exec(s);
            if (!m) {
              i = n;
              break;
            }
            i = m.index;
            c = s[i];
          }
          if (this.blank && (c === 'd' || c === 'D')) {
            const eol = s.indexOf('\n', i);
            if (eol < 0 && !final && n - i < 4096) break scan; // wait for the whole line
            const line = s.slice(i, eol < 0 ? n : eol);
            const m = DELIMITER_LINE.exec(line);
            if (m) {
              flush(i);
              this.stmt = '';
              this.delimiter = m[1];
              this.stops = normalStops(this.delimiter);
              i = eol < 0 ? n : eol + 1;
              run = i;
              continue;
            }
          }
          if (c === this.delimiter[0]) {
            const d = this.delimiter;
            if (d.length > 1 && n - i < d.length && !final && d.startsWith(s.slice(i))) break scan;
            if (s.startsWith(d, i)) {
              flush(i);
              this.emitStatement(this.stmt);
              this.stmt = '';
              i += d.length;
              run = i;
              continue;
            }
          }
          if (c === "'" || c === '"' || c === '`') {
            this.state = 'quote';
            this.quote = c;
            this.afterQuote = 'normal';
            this.blank = false;
            i++;
          } else if (c === '#') {
            flush(i);
            this.state = 'line-comment';
            i++;
            run = i;
          } else if (c === '-') {
            if (i + 2 >= n && !final) break scan;
            if (s[i + 1] === '-' && (i + 2 >= n || WS.has(s[i + 2]))) {
              flush(i);
              this.state = 'line-comment';
              i += 2;
              run = i;
            } else {
              this.blank = false;
              i++;
            }
          } else if (c === '/') {
            if (i + 3 >= n && !final) break scan;
            if (s[i + 1] !== '*') {
              this.blank = false;
              i++;
            } else if (s[i + 2] === '!' || (s[i + 2] === 'M' && s[i + 3] === '!')) {
              this.state = 'exec-comment';
              this.blank = false;
              i += 2;
            } else {
              flush(i);
              this.state = 'block-comment';
              i += 2;
              run = i;
            }
          } else {
            if (!WS.has(c)) this.blank = false;
            i++;
          }
          break;
        }
        case 'quote': {
          // Jump to the next closing quote or backslash (strings are most of a dump's bytes).
          const re = QUOTE_STOP[this.quote];
          re.lastIndex = i;
          const m = re.exec(s);
          if (!m) {
            i = n;
            break;
          }
          i = m.index;
          if (s[i] === '\\') {
            if (i + 1 >= n && !final) break scan;
            i += 2;
          } else {
            this.state = this.afterQuote;
            i++;
          }
          break;
        }
        case 'line-comment': {
          const eol = s.indexOf('\n', i);
          if (eol < 0) {
            i = n;
            run = n;
          } else {
            this.state = 'normal';
            i = eol; // keep the newline: it separates tokens
            run = eol;
          }
          break;
        }
        case 'block-comment': {
          const end = s.indexOf('*/', i);
          if (end < 0) {
            // keep a trailing '*' in case the next chunk starts with '/'
            i = s.endsWith('*') && !final ? n - 1 : n;
            run = i;
            break scan;
          }
          this.state = 'normal';
          i = end + 2;
          this.stmt += ' ';
          run = i;
          break;
        }
        case 'exec-comment': {
          if (c === "'" || c === '"' || c === '`') {
            this.state = 'quote';
            this.quote = c;
            this.afterQuote = 'exec-comment';
            i++;
          } else if (c === '*') {
            if (i + 1 >= n && !final) break scan;
            if (s[i + 1] === '/') {
              this.state = 'normal';
              i += 2;
            } else i++;
          } else i++;
          break;
        }
      }
    }
    flush(i);
    this.buf = s.slice(i);
    if (this.stmt.length > this.max) throw new StatementTooLarge(this.max, this.count + 1);
  }
}
