/** Hand-made backup archives for tests of the reader's refusals (entries our own packer would never write). */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { Header } from 'tar';
import type { Backup } from '@installgate/contracts';
import { writeAppMeta } from '../archive/app-meta-ini';
import { formatManifest, type ManifestEntry } from '../archive/manifest';

export interface RawEntry {
  path: string;
  type?: 'File' | 'Directory' | 'SymbolicLink' | 'Link' | 'FIFO' | 'CharacterDevice';
  body?: Buffer;
  linkpath?: string;
  mode?: number;
}

/** A gzipped tar of exactly `entries`, unchecked. */
export function tarOf(entries: RawEntry[]): Buffer {
  const blocks: Buffer[] = [];
  for (const e of entries) {
    const body = e.body ?? Buffer.alloc(0);
    const h = new Header({ path: e.path, type: e.type ?? 'File', mode: e.mode ?? 0o644, size: body.length, linkpath: e.linkpath, mtime: new Date(0), uid: 0, gid: 0 });
    h.encode();
    blocks.push(h.block!, body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(blocks));
}

/** A well-formed backup (valid meta and manifest) around `files` entries: only the safety checks can refuse it. */
export function hostileArchive(record: Backup, files: RawEntry[]): Buffer {
  const meta = Buffer.from(writeAppMeta(record, { format_version: 1, created_by: 'evil', manifest_sha256: '', dump_file: 'database.sql', files_root: 'files' }));
  const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
  const all: RawEntry[] = [{ path: 'APP-META.INI', body: meta }, { path: 'files/', type: 'Directory', mode: 0o755 }, ...files];
  const manifest: ManifestEntry[] = all.map((e) => {
    const p = e.path.replace(/\/$/, '');
    if (e.type === 'Directory') return { path: p, type: 'dir', mode: e.mode ?? 0o644 };
    if (e.type === 'SymbolicLink') return { path: p, type: 'symlink', mode: e.mode ?? 0o644, target: e.linkpath! };
    return { path: p, type: 'file', size: (e.body ?? Buffer.alloc(0)).length, mode: e.mode ?? 0o644, sha256: sha(e.body ?? Buffer.alloc(0)) };
  });
  return tarOf([...all, { path: 'MANIFEST.jsonl', body: Buffer.from(formatManifest(manifest)) }]);
}
