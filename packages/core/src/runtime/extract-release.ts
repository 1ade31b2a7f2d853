/**
 * Unpacks an application release (`.tar`, `.tar.gz`) into a folder, streaming, with node-tar's parser and our own
 * writer: node-tar's Unpack *skips* unsafe entries with a warning, and a release that tries to escape its folder
 * must fail the install instead.
 *
 * Refused (UnsafeArchiveEntry, nothing more is written): absolute paths, `..` components, symlinks whose target is
 * absolute or resolves outside the folder, hard links to anything but a regular file extracted before, device and
 * FIFO entries, unknown entry types, and any write whose path passes through (or ends on) an existing symlink.
 * The top-level names must not exist before (the workflow checks that the folder is free of them first).
 * Modes: group/other write and setuid/setgid/sticky bits are dropped; the owner can always read and write.
 */
import { createReadStream } from 'node:fs';
import { link, lstat, mkdir, open, realpath, symlink, unlink } from 'node:fs/promises';
import { constants } from 'node:fs';
import { posix, join } from 'node:path';
import { EngineError } from '@installgate/contracts';
import { Parser, type ReadEntry } from 'tar';

export type UnsafeReason =
  | 'absolute-path'
  | 'parent-path'
  | 'link-outside'
  | 'hardlink-outside'
  | 'device'
  | 'unsupported-type'
  | 'through-symlink'
  | 'exists'
  | 'top-folder';

/** An archive entry that would write outside the folder or somewhere it must not. errcode `internal_error`. */
export class UnsafeArchiveEntry extends EngineError {
  constructor(
    readonly reason: UnsafeReason,
    readonly entryPath: string,
    written: string[],
  ) {
    super('internal_error', {
      message: `Refused archive entry ${JSON.stringify(entryPath.slice(0, 200))}: ${reason}.`,
      details: { reason, entry: entryPath.slice(0, 200), written },
    });
    this.name = 'UnsafeArchiveEntry';
  }
}

export interface ExtractReleaseOptions {
  /** Drop the archive's single top-level folder (`wordpress/…` → `…`); other top-level entries are refused. */
  stripTopFolder?: boolean;
}

/** Maps file-system errors to the catalogue; `written` (top-level names created) lets the caller clean up. */
function fsError(e: unknown, written: string[]): EngineError {
  if (e instanceof EngineError) return e;
  const code = (e as NodeJS.ErrnoException).code ?? '';
  const details = { written, code };
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return new EngineError('failed_filesystem_permission', { details });
  if (code === 'ENOSPC' || code === 'EDQUOT') return new EngineError('failed_filesystem_quota', { details });
  const msg = (e as Error).message ?? String(e);
  return new EngineError('internal_error', { message: `Extracting the release failed: ${msg.slice(0, 300)}`, details });
}

async function lstatOrNull(path: string) {
  try {
    return await lstat(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

const FILE_TYPES = new Set(['File', 'OldFile', 'ContiguousFile']);
const DEVICE_TYPES = new Set(['CharacterDevice', 'BlockDevice', 'FIFO']);

/**
 * Extracts `archive` into `destDir` (which must exist). Resolves with the top-level names written, in archive
 * order. Rejects with UnsafeArchiveEntry, `failed_filesystem_directory` (destDir missing), `failed_filesystem_permission`,
 * `failed_filesystem_quota`, or `internal_error` (unreadable or damaged archive); `details.written` then lists the
 * top-level names created so far, which the caller removes.
 */
export async function extractRelease(archive: string, destDir: string, opts: ExtractReleaseOptions = {}): Promise<{ entries: string[] }> {
  let root: string;
  try {
    root = await realpath(destDir);
    if (!(await lstat(root)).isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new EngineError('failed_filesystem_directory', { message: `The folder ${destDir} does not exist.` });
    throw fsError(e, []);
  }

  const written: string[] = []; // top-level names, in order
  const ours = new Set<string>(); // relative paths of everything this run created
  let top: string | undefined;

  const refuse = (reason: UnsafeReason, path: string): never => {
    throw new UnsafeArchiveEntry(reason, path, [...written]);
  };

  /** Archive path → components below the folder (after stripping), or null for the stripped top folder itself. */
  const components = (raw: string, isDir: boolean): string[] | null => {
    if (raw.startsWith('/') || /^[A-Za-z]:[\\/]/.test(raw) || raw.startsWith('\\\\')) refuse('absolute-path', raw);
    const parts = raw.split('/').filter((p) => p !== '' && p !== '.');
    if (parts.includes('..')) refuse('parent-path', raw);
    if (!opts.stripTopFolder) return parts.length ? parts : null;
    if (parts.length === 0) return null;
    if (top === undefined) top = parts[0];
    if (parts[0] !== top || (parts.length === 1 && !isDir)) refuse('top-folder', raw);
    return parts.length > 1 ? parts.slice(1) : null;
  };

  /** Folders (relative) known to be real directories: created by this run, or checked with lstat. */
  const dirsOk = new Set<string>();

  /** Creates or checks the parent folders of `parts`; never follows a symlink; a top-level name must be new. */
  const prepare = async (parts: string[], raw: string): Promise<string> => {
    if (!ours.has(parts[0]) && (await lstatOrNull(join(root, parts[0])))) refuse('exists', raw);
    for (let i = 0; i < parts.length - 1; i++) {
      const rel = parts.slice(0, i + 1).join('/');
      if (dirsOk.has(rel)) continue;
      const st = await lstatOrNull(join(root, rel));
      if (st?.isSymbolicLink()) refuse('through-symlink', raw);
      if (st && !st.isDirectory()) refuse('exists', raw);
      if (!st) await mkdir(join(root, rel), { mode: 0o755 });
      markOurs(rel);
      dirsOk.add(rel);
    }
    return join(root, ...parts);
  };

  const markOurs = (rel: string) => {
    if (ours.has(rel)) return;
    ours.add(rel);
    if (!rel.includes('/')) written.push(rel);
  };

  const writeFile = async (entry: ReadEntry, target: string, rel: string, raw: string) => {
    const mode = ((entry.mode ?? 0o644) & 0o755) | 0o600;
    const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;
    let fh;
    try {
      fh = await open(target, flags, mode);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' && (e as NodeJS.ErrnoException).code !== 'ELOOP') throw e;
      const st = await lstat(target);
      if (st.isSymbolicLink()) refuse('through-symlink', raw);
      // The same path twice in one archive: the later entry wins, as with tar(1). Anything else is not ours.
      if (!ours.has(rel) || !st.isFile()) refuse('exists', raw);
      await unlink(target);
      fh = await open(target, flags, mode);
    }
    markOurs(rel);
    try {
      for await (const chunk of entry) await fh.write(chunk as Buffer);
    } finally {
      await fh.close();
    }
  };

  const handle = async (entry: ReadEntry) => {
    const raw = entry.path;
    const type = entry.type;
    if (DEVICE_TYPES.has(type)) refuse('device', raw);
    if (!FILE_TYPES.has(type) && !['Directory', 'SymbolicLink', 'Link'].includes(type)) refuse('unsupported-type', raw);
    const parts = components(raw, type === 'Directory');
    if (!parts) return void entry.resume();
    const rel = parts.join('/');
    const target = await prepare(parts, raw);
    if (type === 'Directory') {
      const st = await lstatOrNull(target);
      if (st?.isSymbolicLink()) refuse('through-symlink', raw);
      if (st && !st.isDirectory()) refuse('exists', raw);
      if (!st) await mkdir(target, { mode: ((entry.mode ?? 0o755) & 0o755) | 0o700 });
      markOurs(rel);
      dirsOk.add(rel);
      entry.resume();
    } else if (type === 'SymbolicLink') {
      const to = entry.linkpath ?? '';
      const resolved = posix.normalize(posix.join(posix.dirname(rel), to));
      if (!to || to.startsWith('/') || resolved === '..' || resolved.startsWith('../')) refuse('link-outside', raw);
      if (await lstatOrNull(target)) refuse('exists', raw);
      await symlink(to, target);
      markOurs(rel);
      entry.resume();
    } else if (type === 'Link') {
      const to = entry.linkpath ?? '';
      let toParts: string[] | null = null;
      try {
        toParts = components(to, false);
      } catch {
        refuse('hardlink-outside', raw);
      }
      const toRel = toParts?.join('/') ?? '';
      const st = toParts ? await lstatOrNull(join(root, ...toParts)) : null;
      if (!toParts || !ours.has(toRel) || !st?.isFile()) refuse('hardlink-outside', raw);
      if (await lstatOrNull(target)) refuse('exists', raw);
      await link(join(root, ...toParts!), target);
      markOurs(rel);
      entry.resume();
    } else {
      await writeFile(entry, target, rel, raw);
    }
  };

  return new Promise((resolvePromise, reject) => {
    const input = createReadStream(archive);
    const parser = new Parser({ strict: true });
    let chain: Promise<void> = Promise.resolve();
    let failed = false;
    const fail = (e: unknown) => {
      if (failed) return;
      failed = true;
      input.destroy();
      // Stop the parser without letting its own abort error replace ours.
      parser.removeAllListeners('entry');
      parser.on('error', () => undefined);
      parser.abort(new Error('aborted'));
      reject(e instanceof EngineError ? e : fsError(e, [...written]));
    };
    parser.on('entry', (entry: ReadEntry) => {
      chain = chain.then(() => (failed ? void entry.resume() : handle(entry))).catch(fail);
    });
    parser.on('error', (e: Error) =>
      fail(new EngineError('internal_error', { message: `The release archive is damaged: ${e.message.slice(0, 200)}`, details: { written: [...written] } })),
    );
    parser.on('end', () => {
      void chain.then(() => {
        if (!failed) resolvePromise({ entries: [...written] });
      });
    });
    input.on('error', (e) =>
      fail(new EngineError('internal_error', { message: `The release archive cannot be read (${(e as NodeJS.ErrnoException).code ?? e.message}).`, details: { written: [...written] } })),
    );
    input.on('data', (chunk) => {
      if (!parser.write(chunk as Buffer)) {
        input.pause();
        parser.once('drain', () => input.resume());
      }
    });
    input.on('end', () => parser.end());
  });
}
