/**
 * Files of a website's folder (SiteFs), for the packer. Entries come from one `list` per folder; bytes stream from
 * `site.read`. Over SFTP/FTP each open costs a round trip, which for a site of thousands of small files would
 * dominate: the next few files are opened while the current one streams (a bounded read-ahead, so memory stays
 * at a few stream buffers whatever the site's size).
 */
import type { Readable } from 'node:stream';
import { sitePathJoin, walkSiteTree, type SiteFs } from '@installgate/storage';
import { vanished, vanishedRefusal } from './pack-refused';
import type { PackItem, PackSource } from './pack-source';
import { missingSiteFolder, siteFailure } from '../sites/site-failure';

export interface SitePackOptions {
  /** Files opened ahead of the one being archived (default 4; 0 opens each when its turn comes). */
  readAhead?: number;
}

/** Items queued ahead at most (folders and links need no open, but must not pile up without bound either). */
const MAX_QUEUED = 256;

/** SiteFs modes are null where the protocol does not tell (FTP LIST): the usual web-hosting modes then. */
const DEFAULT_MODE: Record<PackItem['type'], number> = { file: 0o644, dir: 0o755, symlink: 0o777, other: 0 };

/** Packs `dir` (relative to the website home) of `site`. */
export function sitePackSource(site: SiteFs, dir: string, opts: SitePackOptions = {}): PackSource {
  const readAhead = opts.readAhead ?? 4;
  const opened = new Map<string, Promise<Readable>>();
  const fail = (e: unknown, rel: string) => (vanished(e) ? vanishedRefusal(rel) : siteFailure(e, site));
  const at = (rel: string) => sitePathJoin(dir, rel);
  const openNow = (rel: string) => site.read(at(rel));

  async function* walk(tops: readonly string[], prune: (rel: string) => boolean): AsyncIterable<PackItem> {
    const home = await site.stat(dir).catch((e: unknown) => Promise.reject(siteFailure(e, site)));
    if (home?.type !== 'dir') throw missingSiteFolder(site, dir);
    for (const top of tops) {
      if (prune(top)) continue;
      const entry = await site.stat(at(top)).catch((e: unknown) => Promise.reject(fail(e, top)));
      if (!entry) throw vanishedRefusal(top);
      const item = (rel: string, e: typeof entry): PackItem => ({ rel, type: e.type, size: e.size, mode: e.mode ?? DEFAULT_MODE[e.type], mtime: new Date(e.mtimeMs) });
      yield item(top, entry);
      if (entry.type !== 'dir') continue;
      try {
        for await (const { path, entry: e } of walkSiteTree(site, at(top), { prune: (rel) => prune(`${top}/${rel}`) })) yield item(`${top}/${path}`, e);
      } catch (e) {
        throw fail(e, top);
      }
    }
  }

  return {
    async *items(tops, prune) {
      const it = walk(tops, prune)[Symbol.asyncIterator]();
      const queue: PackItem[] = [];
      let ended = false;
      try {
        for (;;) {
          // Refill: keep up to `readAhead` files opening while the consumer archives the head of the queue.
          while (!ended && (queue.length === 0 || (opened.size < readAhead && queue.length < MAX_QUEUED))) {
            const r = await it.next();
            if (r.done) {
              ended = true;
              break;
            }
            if (r.value.type === 'file' && r.value.size > 0 && readAhead > 0) {
              const p = openNow(r.value.rel);
              // Both reported when the file's turn comes, by open(): a failed open, and an error of a stream opened
              // ahead while it waits (a dropped data connection) — without a listener, that error would be thrown
              // as uncaught and end the process; the consumer's iteration still sees it (the stream is errored).
              p.then((stream) => void stream.on('error', () => undefined), () => undefined);
              opened.set(r.value.rel, p);
            }
            queue.push(r.value);
          }
          const next = queue.shift();
          if (!next) return;
          yield next;
        }
      } finally {
        // Stopped early (a refusal, an abort): close what was opened ahead and never read.
        for (const p of opened.values()) void p.then((s) => s.destroy(), () => undefined);
        opened.clear();
        await it.return?.();
      }
    },
    readlink: (item) => site.readlink(at(item.rel)).catch((e: unknown) => Promise.reject(fail(e, item.rel))),
    async *open(item) {
      const ahead = opened.get(item.rel);
      opened.delete(item.rel);
      const stream = await (ahead ?? openNow(item.rel));
      try {
        for await (const chunk of stream as AsyncIterable<Buffer>) yield chunk;
      } finally {
        stream.destroy();
      }
    },
    failed: fail,
  };
}
