import type { Readable } from 'node:stream';
import type { AppMeta } from './app-meta-ini';
import type { ManifestEntry } from './manifest';
import { readArchive } from './read-archive';

/**
 * Reads a whole backup archive without writing anything and checks gzip integrity, the layout, path safety and
 * every entry's size, mode and sha256 against MANIFEST.jsonl. Throws BackupFormatError (errcode
 * `failed_backup_format`, `details.reason`: `gzip`, `tar`, `no-meta`, `meta`, `manifest`, `truncated`, `checksum`,
 * or an unsafe-entry reason).
 */
export async function verifyArchive(input: Readable): Promise<{ meta: AppMeta; manifest: ManifestEntry[]; ok: true }> {
  const { meta, manifest } = await readArchive(input);
  return { meta, manifest, ok: true };
}
