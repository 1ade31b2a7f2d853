import { createReadStream, createWriteStream } from 'node:fs';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { StorageBackend } from '@installgate/storage';
import { storageFailure } from './storage-failure';

/** An archive that can be read more than once: first to verify it, then to unpack it. */
export interface ArchiveSource {
  open(): Promise<Readable>;
}

/**
 * Makes the archive at `key` readable twice. A local location is read in place; a remote one is downloaded once
 * into `scratchDir` (streaming, memory stays flat) so that what is verified is exactly what is unpacked.
 * Storage errors become errcodes naming `label`; a missing archive is backup_not_found.
 */
export async function fetchArchive(backend: StorageBackend, key: string, scratchDir: string, label: string): Promise<ArchiveSource> {
  const get = () => backend.get(key).catch((e: unknown) => { throw storageFailure(e, label); });
  if (backend.scheme === 'local') {
    // Fail now (not at the first read) when the archive is gone.
    (await get()).destroy();
    return { open: get };
  }
  const file = path.join(scratchDir, 'archive.tar.gz');
  try {
    await pipeline(await get(), createWriteStream(file, { mode: 0o600, flags: 'wx' }));
  } catch (e) {
    throw storageFailure(e, label);
  }
  return { open: async () => createReadStream(file, { highWaterMark: 1 << 20 }) };
}
