/**
 * Counts the rows of every table in a mariadb-dump/mysqldump stream as it passes through, without holding more
 * than a statement's first bytes: each top-level `( … )` tuple of an `INSERT INTO \`t\` VALUES …` statement is
 * one row. Strings ('…', "…" with backslash escapes), backquoted names and comments are skipped, so data that
 * looks like SQL is never counted. `CREATE TABLE` registers a table with 0 rows.
 */
import { Transform, type TransformCallback } from 'node:stream';

const HEAD_BYTES = 256;
const INSERT = /^\s*(?:INSERT|REPLACE)\s+(?:IGNORE\s+)?INTO\s+`((?:[^`]|``)+)`\s*(?:\([^)]*\)\s*)?VALUES/i;
const CREATE = /^\s*CREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?`((?:[^`]|``)+)`/i;

const enum S { Code, Quote, Backtick, LineComment, BlockComment }

const SEMI = 0x3b, LPAREN = 0x28, RPAREN = 0x29, SQ = 0x27, DQ = 0x22, BT = 0x60, BSL = 0x5c, DASH = 0x2d, HASH = 0x23, SLASH = 0x2f, STAR = 0x2a, NL = 0x0a;

export class CountDumpRows extends Transform {
  /** Rows per table, in the order tables appeared. */
  readonly rows = new Map<string, number>();
  private state = S.Code;
  private quote = 0;
  private escaped = false;
  private depth = 0;
  /** First bytes of the current statement (comments excluded), to see what it is. */
  private head = '';
  /** Table the current INSERT writes to, once its head is known; '' = not an INSERT (yet). */
  private table = '';
  private headDone = false;
  private prev = 0;

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.scan(chunk);
    cb(null, chunk);
  }

  private decide(): void {
    if (this.headDone) return;
    const ins = INSERT.exec(this.head);
    if (ins) {
      this.table = ins[1]!.replace(/``/g, '`');
      if (!this.rows.has(this.table)) this.rows.set(this.table, 0);
      this.headDone = true;
      return;
    }
    const cr = CREATE.exec(this.head);
    if (cr) {
      const t = cr[1]!.replace(/``/g, '`');
      if (!this.rows.has(t)) this.rows.set(t, 0);
      this.headDone = true;
    } else if (this.head.length >= HEAD_BYTES) this.headDone = true;
  }

  private scan(b: Buffer): void {
    const n = b.length;
    for (let i = 0; i < n; i++) {
      const c = b[i]!;
      switch (this.state) {
        case S.Quote: {
          if (this.escaped) { this.escaped = false; continue; }
          // Jump to the next quote or backslash: strings are most of a dump.
          const q = b.indexOf(this.quote, i);
          const e = b.indexOf(BSL, i);
          const next = q < 0 ? e : e < 0 ? q : Math.min(q, e);
          if (next < 0) { i = n; continue; }
          i = next;
          if (b[i] === BSL) this.escaped = true;
          else this.state = S.Code;
          continue;
        }
        case S.Backtick:
          if (c === BT) this.state = S.Code;
          if (!this.headDone) this.head += String.fromCharCode(c);
          continue;
        case S.LineComment: {
          const nl = b.indexOf(NL, i);
          if (nl < 0) { i = n; continue; }
          i = nl;
          this.state = S.Code;
          this.prev = NL;
          continue;
        }
        case S.BlockComment:
          if (c === SLASH && this.prev === STAR) { this.state = S.Code; this.prev = 0; continue; }
          this.prev = c;
          continue;
        default:
          break;
      }
      // Code
      if (c === SQ || c === DQ) {
        this.state = S.Quote;
        this.quote = c;
        this.escaped = false;
      } else if (c === BT) {
        this.state = S.Backtick;
      } else if (c === DASH && this.prev === DASH) {
        this.state = S.LineComment;
        if (!this.headDone) this.head = this.head.slice(0, -1);
      } else if (c === HASH && this.head.trim() === '') {
        this.state = S.LineComment;
      } else if (c === STAR && this.prev === SLASH && b[i + 1] !== 0x21) {
        // `/* … */` is a comment; `/*!40101 … */` is a versioned statement and stays code.
        this.state = S.BlockComment;
        this.prev = 0;
        if (!this.headDone) this.head = this.head.slice(0, -1);
        continue;
      } else if (c === LPAREN) {
        if (!this.headDone) {
          this.head += '(';
          this.decide();
        }
        if (this.depth === 0 && this.table !== '') this.rows.set(this.table, this.rows.get(this.table)! + 1);
        this.depth++;
        this.prev = c;
        continue;
      } else if (c === RPAREN) {
        if (this.depth > 0) this.depth--;
      } else if (c === SEMI && this.depth === 0) {
        this.head = '';
        this.table = '';
        this.headDone = false;
        this.prev = c;
        continue;
      }
      if (!this.headDone) {
        this.head += String.fromCharCode(c);
        if (c === 0x20 || this.head.length >= HEAD_BYTES) this.decide();
      }
      this.prev = c;
    }
  }

  override _flush(cb: TransformCallback): void {
    this.decide();
    cb();
  }
}
