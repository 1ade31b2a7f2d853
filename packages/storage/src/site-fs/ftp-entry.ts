import * as posix from 'node:path/posix';
import { FileType, parseList, type Client, type FileInfo } from 'basic-ftp';
import { parseListDate } from '../backends/ftp';
import type { SiteEntry } from './site-fs';

/**
 * Reading FTP listings as SiteEntries. FTP has no lstat: an entry's type, size, date and mode come from a
 * listing (LIST or MLSD, whichever the server speaks) or from MLST, the one-entry listing of RFC 3659.
 */

const TYPES: Readonly<Record<number, SiteEntry['type']>> = {
  [FileType.File]: 'file',
  [FileType.Directory]: 'dir',
  [FileType.SymbolicLink]: 'symlink',
};

/** A listing line's entry; mode from the `rwx` columns or MLSD's unix.mode, null when the server tells neither. */
export function siteEntryOf(info: FileInfo, name = info.name): SiteEntry {
  const p = info.permissions;
  return {
    name,
    type: TYPES[info.type] ?? 'other',
    size: info.size,
    mtimeMs: parseListDate(info).getTime(),
    mode: p ? (p.user << 6) | (p.group << 3) | p.world : null,
  };
}

/** True when the server announced MLST (FEAT), which gives one entry without a data connection. */
export async function hasMlst(client: Client): Promise<boolean> {
  const features = await client.features().catch(() => new Map<string, string>());
  return features.has('MLST');
}

/**
 * The entry of `path` by MLST, or null when the server says it does not exist (550). The reply carries the facts
 * line between its first and last line: `250-…`, ` type=file;size=5;modify=…; /path`, `250 End`.
 */
export async function mlstEntry(client: Client, path: string): Promise<SiteEntry | null> {
  const reply = await client.send(`MLST ${path}`).catch((err: unknown) => {
    if ((err as { code?: unknown }).code === 550) return null;
    throw err;
  });
  if (!reply) return null;
  const facts = reply.message
    .split(/\r?\n/)
    .slice(1, -1)
    .map((l) => l.trim())
    .filter(Boolean);
  const info = facts.length ? parseList(facts[0])[0] : undefined;
  return info ? siteEntryOf(info, posix.basename(path)) : null;
}

/** The entries of the folder `path` (changing into it first: a missing folder is a 550, not an empty listing). */
export async function listFolder(client: Client, path: string): Promise<SiteEntry[]> {
  await client.cd(path);
  const infos = await client.list();
  return infos.filter((i) => i.name !== '.' && i.name !== '..').map((i) => siteEntryOf(i));
}
