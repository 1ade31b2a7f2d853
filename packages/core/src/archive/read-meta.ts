import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { Parser, type ReadEntry } from 'tar';
import { feedParser } from './feed-parser';
import { readAppMeta, type AppMeta } from './app-meta-ini';
import { META_FILE } from './archive-layout';
import { BackupFormatError } from './read-archive';

/** Largest APP-META.INI accepted (a record is a few KiB). */
const MAX_META = 1 << 20;

/**
 * Reads only the head of an archive: its first entry must be APP-META.INI (spec §5.1); the rest is never
 * downloaded (the input is destroyed as soon as the meta is read). Throws BackupFormatError (`failed_backup_format`)
 * when the archive does not start with a valid APP-META.INI, or rejects with the input's own error.
 */
export function readArchiveMeta(input: Readable): Promise<AppMeta> {
  return new Promise((resolve, reject) => {
    const gunzip = createGunzip();
    const parser = new Parser({ strict: true });
    let settled = false;
    const finish = (e: unknown, meta?: AppMeta) => {
      if (settled) return;
      settled = true;
      input.unpipe(gunzip);
      input.destroy();
      gunzip.destroy();
      parser.removeAllListeners('entry');
      parser.on('error', () => undefined);
      parser.abort(new Error('done'));
      if (meta) resolve(meta);
      else reject(e);
    };
    parser.on('entry', (entry: ReadEntry) => {
      if (settled) return void entry.resume();
      if (entry.path !== META_FILE || entry.type !== 'File') {
        return finish(new BackupFormatError('no-meta', `The archive does not start with ${META_FILE}: not an Installgate/Installatron backup.`, entry.path));
      }
      const chunks: Buffer[] = [];
      let n = 0;
      entry.on('data', (c: Buffer) => {
        n += c.length;
        if (n > MAX_META) return finish(new BackupFormatError('too-large', `${META_FILE} is too large.`, entry.path));
        chunks.push(c);
      });
      entry.on('end', () => {
        try {
          finish(null, readAppMeta(Buffer.concat(chunks).toString('utf8')));
        } catch (e) {
          finish(e);
        }
      });
    });
    parser.on('error', (e: Error) => finish(new BackupFormatError('tar', `The archive is damaged (tar: ${e.message.slice(0, 200)}).`)));
    parser.on('end', () => finish(new BackupFormatError('no-meta', `The archive has no ${META_FILE}.`)));
    gunzip.on('error', (e) => finish(new BackupFormatError('gzip', `The archive is not gzip data or is damaged (${e.message.slice(0, 200)}).`)));
    input.on('error', (e) => finish(e));
    feedParser(input, gunzip, parser);
  });
}
