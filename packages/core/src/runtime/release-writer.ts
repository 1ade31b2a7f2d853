/**
 * The writing half of extractRelease: turns tar entries into files, folders and links below one folder, refusing
 * anything that would escape it or write where it must not (see extract-release.ts for the list).
 *
 * Synchronous on purpose. A release is thousands of small files; one promise and one thread-pool round trip per
 * open/write/close made extraction 2–4× slower than `tar xzf`. The caller feeds entries one decompressed chunk at a
 * time, so the event loop still turns between chunks, and decompression runs meanwhile on zlib's thread.
 * Syscalls are kept to what the checks need: a folder this run created or checked is never looked at again, a
 * file is created with O_EXCL|O_NOFOLLOW (which fails on anything in the way) and only then looked at.
 */
import { closeSync, constants, linkSync, lstatSync, mkdirSync, openSync, symlinkSync, unlinkSync, writeSync, type Stats } from 'node:fs';
import { posix } from 'node:path';
import { UnsafeArchiveEntry, type UnsafeReason } from './unsafe-archive-entry';

/** The header fields of a tar entry that the writer reads (node-tar's ReadEntry has them). */
export interface EntryHeader {
  path: string;
  type: string;
  mode?: number;
  linkpath?: string;
}

const FILE_TYPES = new Set(['File', 'OldFile', 'ContiguousFile']);
const DEVICE_TYPES = new Set(['CharacterDevice', 'BlockDevice', 'FIFO']);
const OTHER_TYPES = new Set(['Directory', 'SymbolicLink', 'Link']);
const CREATE_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

function lstatOrNull(path: string): Stats | null {
  try {
    return lstatSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

const errCode = (e: unknown) => (e as NodeJS.ErrnoException).code;

export class ReleaseWriter {
  /** Top-level names created, in archive order (what the caller removes after a failure). */
  readonly written: string[] = [];
  /** Relative paths of everything this run created. */
  private readonly ours = new Set<string>();
  /** Folders (relative) known to be real directories with real directories above: created or checked. */
  private readonly dirsOk = new Set<string>();
  private top: string | undefined;
  /** The file whose body is being written, if any (one entry at a time). */
  private fd: number | null = null;

  /** `root`: the folder's real path (no symlink in it). */
  constructor(
    private readonly root: string,
    private readonly stripTopFolder: boolean,
  ) {}

  /**
   * Creates what `entry` names. Returns true when the entry is a file whose body must follow through write() and
   * end(); false when there is nothing more to write. Throws UnsafeArchiveEntry, or the fs error.
   */
  begin(entry: EntryHeader): boolean {
    const raw = entry.path;
    const type = entry.type;
    if (DEVICE_TYPES.has(type)) this.refuse('device', raw);
    const isFile = FILE_TYPES.has(type);
    if (!isFile && !OTHER_TYPES.has(type)) this.refuse('unsupported-type', raw);
    const parts = this.components(raw, type === 'Directory');
    if (!parts) return false;
    const rel = parts.join('/');
    const target = this.prepare(parts, rel, raw);
    if (isFile) {
      this.createFile(target, rel, raw, ((entry.mode ?? 0o644) & 0o755) | 0o600);
      return true;
    }
    if (type === 'Directory') this.directory(target, rel, raw, ((entry.mode ?? 0o755) & 0o755) | 0o700);
    else if (type === 'SymbolicLink') this.symlink(entry.linkpath ?? '', target, rel, raw);
    else this.hardlink(entry.linkpath ?? '', target, rel, raw);
    return false;
  }

  /** Appends body data to the file begun last. */
  write(chunk: Buffer): void {
    if (this.fd === null) return;
    for (let off = 0; off < chunk.length; ) off += writeSync(this.fd, chunk, off, chunk.length - off);
  }

  /** Closes the file begun last. */
  end(): void {
    const fd = this.fd;
    this.fd = null;
    if (fd !== null) closeSync(fd);
  }

  /** After a failure: closes a file left open (its error, if any, is not the one worth reporting). */
  abort(): void {
    try {
      this.end();
    } catch {
      // already failing
    }
  }

  private refuse(reason: UnsafeReason, path: string): never {
    throw new UnsafeArchiveEntry(reason, path, [...this.written]);
  }

  /** Archive path → components below the folder (after stripping), or null for the stripped top folder itself. */
  components(raw: string, isDir: boolean): string[] | null {
    if (raw.startsWith('/') || /^[A-Za-z]:[\\/]/.test(raw) || raw.startsWith('\\\\')) this.refuse('absolute-path', raw);
    const parts = raw.split('/').filter((p) => p !== '' && p !== '.');
    if (parts.includes('..')) this.refuse('parent-path', raw);
    if (!this.stripTopFolder) return parts.length ? parts : null;
    if (parts.length === 0) return null;
    if (this.top === undefined) this.top = parts[0];
    if (parts[0] !== this.top || (parts.length === 1 && !isDir)) this.refuse('top-folder', raw);
    return parts.length > 1 ? parts.slice(1) : null;
  }

  private markOurs(rel: string): void {
    if (this.ours.has(rel)) return;
    this.ours.add(rel);
    if (!rel.includes('/')) this.written.push(rel);
  }

  /** Creates or checks the parent folders of `parts`; never follows a symlink; a top-level name must be new. */
  private prepare(parts: string[], rel: string, raw: string): string {
    if (!this.ours.has(parts[0]!) && lstatOrNull(`${this.root}/${parts[0]}`)) this.refuse('exists', raw);
    // A checked parent was checked with all of its own parents: the common case costs one lookup.
    const slash = rel.lastIndexOf('/');
    if (slash > 0 && !this.dirsOk.has(rel.slice(0, slash))) {
      for (let i = 0; i < parts.length - 1; i++) {
        const dir = parts.slice(0, i + 1).join('/');
        if (!this.dirsOk.has(dir)) this.ensureDir(`${this.root}/${dir}`, dir, raw, 0o755);
      }
    }
    return `${this.root}/${rel}`;
  }

  /**
   * Makes `rel` a real directory: mkdir first (it never follows a symlink in the last component), and only when
   * something is there already, a look at what it is.
   */
  private ensureDir(target: string, rel: string, raw: string, mode: number): void {
    try {
      mkdirSync(target, { mode });
    } catch (e) {
      if (errCode(e) !== 'EEXIST') throw e;
      const st = lstatSync(target);
      if (st.isSymbolicLink()) this.refuse('through-symlink', raw);
      if (!st.isDirectory()) this.refuse('exists', raw);
    }
    this.markOurs(rel);
    this.dirsOk.add(rel);
  }

  private directory(target: string, rel: string, raw: string, mode: number): void {
    if (!this.dirsOk.has(rel)) this.ensureDir(target, rel, raw, mode);
  }

  private createFile(target: string, rel: string, raw: string, mode: number): void {
    let fd: number;
    try {
      fd = openSync(target, CREATE_FLAGS, mode);
    } catch (e) {
      if (errCode(e) !== 'EEXIST' && errCode(e) !== 'ELOOP') throw e;
      const st = lstatSync(target);
      if (st.isSymbolicLink()) this.refuse('through-symlink', raw);
      // The same path twice in one archive: the later entry wins, as with tar(1). Anything else is not ours.
      if (!this.ours.has(rel) || !st.isFile()) this.refuse('exists', raw);
      unlinkSync(target);
      fd = openSync(target, CREATE_FLAGS, mode);
    }
    this.fd = fd;
    this.markOurs(rel);
  }

  private symlink(to: string, target: string, rel: string, raw: string): void {
    const resolved = posix.normalize(posix.join(posix.dirname(rel), to));
    if (!to || to.startsWith('/') || resolved === '..' || resolved.startsWith('../')) this.refuse('link-outside', raw);
    if (lstatOrNull(target)) this.refuse('exists', raw);
    symlinkSync(to, target);
    this.markOurs(rel);
  }

  private hardlink(to: string, target: string, rel: string, raw: string): void {
    let toParts: string[] | null = null;
    try {
      toParts = this.components(to, false);
    } catch {
      this.refuse('hardlink-outside', raw);
    }
    const toRel = toParts?.join('/') ?? '';
    const st = toParts ? lstatOrNull(`${this.root}/${toRel}`) : null;
    if (!toParts || !this.ours.has(toRel) || !st?.isFile()) this.refuse('hardlink-outside', raw);
    if (lstatOrNull(target)) this.refuse('exists', raw);
    linkSync(`${this.root}/${toRel}`, target);
    this.markOurs(rel);
  }
}
