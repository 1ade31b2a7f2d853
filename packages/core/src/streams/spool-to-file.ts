/**
 * Spools a stream to a private temporary file (mode 0600 in a fresh 0700 folder under the system temp dir, never
 * in a web-served folder: dumps hold password hashes). Used where a stream must be set aside: a dump of unknown
 * length before its tar header (backup), a dump loaded while the archive's files go on unpacking (restore).
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export interface Spool {
  /** The file's path once `src` ended and everything is written. */
  done: Promise<string>;
  /** Stops spooling (`done` rejects). */
  abort(): void;
  /** Waits for spooling to settle and removes the file. Safe to call twice. */
  cleanup(): Promise<void>;
}

/** Pipes `src` through `through` (e.g. a row counter) into the spool file. */
export function spoolToFile(src: Readable, opts: { through?: Transform; signal?: AbortSignal } = {}): Spool {
  const ac = new AbortController();
  const onAbort = () => ac.abort();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  let dir: string | undefined;
  const done = (async () => {
    dir = await mkdtemp(join(tmpdir(), 'ig-spool-'));
    const file = join(dir, 'spool');
    const out = createWriteStream(file, { mode: 0o600 });
    // The pipeline reports failures through `done`. An abort (a restore whose archive failed while its dump was still
    // being set aside) destroys the streams with an AbortError that one of them can emit after the pipeline settled:
    // without a listener of its own that is an uncaught exception (regression: backups-generic "one flipped byte"
    // failed once in CI with "AbortError … at abort (node:internal/streams/pipeline)").
    for (const stream of [src, opts.through, out]) stream?.on('error', () => undefined);
    await (opts.through ? pipeline(src, opts.through, out, { signal: ac.signal }) : pipeline(src, out, { signal: ac.signal }));
    return file;
  })();
  done.catch(() => undefined);
  return {
    done,
    abort: () => {
      ac.abort();
      if (!src.destroyed) src.destroy();
    },
    async cleanup() {
      opts.signal?.removeEventListener('abort', onAbort);
      await done.catch(() => undefined);
      if (dir) await rm(dir, { recursive: true, force: true });
    },
  };
}
