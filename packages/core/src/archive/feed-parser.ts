import type { Readable } from 'node:stream';
import type { Gunzip } from 'node:zlib';
import type { Parser } from 'tar';

/**
 * Pipes `input` through `gunzip` into node-tar's `parser`, honouring the parser's backpressure (node-tar's Parser is
 * not a stream.Writable that `pipe` can pause on). Errors are the caller's to listen for.
 */
export function feedParser(input: Readable, gunzip: Gunzip, parser: Parser): void {
  gunzip.on('data', (c: Buffer) => {
    if (!parser.write(c)) {
      gunzip.pause();
      parser.once('drain', () => gunzip.resume());
    }
  });
  gunzip.on('end', () => parser.end());
  input.pipe(gunzip);
}
