import { StorageError } from '../storage-error';
import type { SiteFs } from './site-fs';

/** Reads a whole (small) file of a website: configs, markers. */
export async function readSmallFile(site: SiteFs, p: string, limit = 8 * 1024 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of await site.read(p)) {
    size += (c as Buffer).length;
    if (size > limit) throw new StorageError('PROTOCOL', `${site.label}: ${p} is larger than ${limit} bytes`);
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks);
}

