import { promises as fs, type Stats } from 'node:fs';
import * as path from 'node:path';
import { utils, type Attributes, type SFTPWrapper } from 'ssh2';

const { STATUS_CODE } = utils.sftp;

/** Behaviour switches of {@link serveSftp}. */
export interface SftpSubsystemOptions {
  /** RENAME onto an existing file fails, as OpenSSH's SFTP v3 RENAME does. Default true. */
  strictRename?: boolean;
}

type Handle = { kind: 'file'; fh: fs.FileHandle } | { kind: 'dir'; entries: string[]; dirPath: string; sent: boolean };

const toAttrs = (st: Stats): Attributes => ({
  mode: st.mode,
  uid: st.uid,
  gid: st.gid,
  size: st.size,
  atime: Math.floor(st.atimeMs / 1000),
  mtime: Math.floor(st.mtimeMs / 1000),
});

function statusFor(err: unknown): number {
  switch ((err as { code?: string }).code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return STATUS_CODE.NO_SUCH_FILE;
    case 'EACCES':
    case 'EPERM':
      return STATUS_CODE.PERMISSION_DENIED;
    default:
      return STATUS_CODE.FAILURE;
  }
}

/** `ls -l` style line; clients only display it. */
const longname = (name: string, st: Stats): string =>
  `${st.isDirectory() ? 'd' : '-'}rw-r--r-- 1 user group ${st.size} Jan 1 00:00 ${name}`;

/**
 * Serves SFTP v3 over a folder of this machine, whose top is the client's '/' (and its home). Enough of the
 * protocol for real clients: OPEN READ WRITE CLOSE FSTAT FSETSTAT STAT LSTAT SETSTAT OPENDIR READDIR REMOVE RENAME
 * MKDIR RMDIR REALPATH SYMLINK READLINK (FSETSTAT/SETSTAT apply the mode only). Paths are normalised under the root, so '..' cannot climb out.
 */
export function serveSftp(sftp: SFTPWrapper, root: string, options: SftpSubsystemOptions = {}): void {
  const strictRename = options.strictRename ?? true;
  const handles = new Map<number, Handle>();
  let nextHandle = 1;

  const virtual = (p: string): string => path.posix.normalize('/' + p).replace(/\/+$/, '') || '/';
  const real = (p: string): string => path.join(root, virtual(p));
  const newHandle = (h: Handle): Buffer => {
    const id = nextHandle++;
    handles.set(id, h);
    const buf = Buffer.alloc(4);
    buf.writeUInt32BE(id, 0);
    return buf;
  };
  const handleOf = (buf: Buffer): { id: number; h: Handle | undefined } => {
    const id = buf.length === 4 ? buf.readUInt32BE(0) : -1;
    return { id, h: handles.get(id) };
  };
  /** Runs `fn`, answering its failure with a status; `fn` answers success itself. */
  const run = (reqId: number, fn: () => Promise<void>): void => {
    fn().catch((err: unknown) => sftp.status(reqId, statusFor(err), (err as Error).message));
  };
  const ok = (reqId: number): void => {
    sftp.status(reqId, STATUS_CODE.OK);
  };

  sftp.on('OPEN', (reqId, filename, flags, attrs) =>
    run(reqId, async () => {
      const mode = utils.sftp.flagsToString(flags);
      if (!mode) return sftp.status(reqId, STATUS_CODE.OP_UNSUPPORTED);
      const fh = await fs.open(real(filename), mode, attrs?.mode ?? 0o644);
      sftp.handle(reqId, newHandle({ kind: 'file', fh }));
    }),
  );
  sftp.on('READ', (reqId, handle, offset, length) =>
    run(reqId, async () => {
      const { h } = handleOf(handle);
      if (h?.kind !== 'file') return sftp.status(reqId, STATUS_CODE.FAILURE, 'bad handle');
      const buf = Buffer.alloc(length);
      const { bytesRead } = await h.fh.read(buf, 0, length, offset);
      if (bytesRead === 0) return sftp.status(reqId, STATUS_CODE.EOF);
      sftp.data(reqId, buf.subarray(0, bytesRead));
    }),
  );
  sftp.on('WRITE', (reqId, handle, offset, data) =>
    run(reqId, async () => {
      const { h } = handleOf(handle);
      if (h?.kind !== 'file') return sftp.status(reqId, STATUS_CODE.FAILURE, 'bad handle');
      await h.fh.write(data, 0, data.length, offset);
      ok(reqId);
    }),
  );
  sftp.on('CLOSE', (reqId, handle) =>
    run(reqId, async () => {
      const { id, h } = handleOf(handle);
      if (!h) return sftp.status(reqId, STATUS_CODE.FAILURE, 'bad handle');
      handles.delete(id);
      if (h.kind === 'file') await h.fh.close();
      ok(reqId);
    }),
  );
  sftp.on('FSTAT', (reqId, handle) =>
    run(reqId, async () => {
      const { h } = handleOf(handle);
      if (h?.kind !== 'file') return sftp.status(reqId, STATUS_CODE.FAILURE, 'bad handle');
      sftp.attrs(reqId, toAttrs(await h.fh.stat()));
    }),
  );
  sftp.on('FSETSTAT', (reqId, handle, attrs) =>
    run(reqId, async () => {
      const { h } = handleOf(handle);
      if (h?.kind !== 'file') return sftp.status(reqId, STATUS_CODE.FAILURE, 'bad handle');
      if (attrs.mode !== undefined) await h.fh.chmod(attrs.mode & 0o7777);
      ok(reqId);
    }),
  );
  sftp.on('SETSTAT', (reqId, p, attrs) =>
    run(reqId, async () => {
      if (attrs.mode !== undefined) await fs.chmod(real(p), attrs.mode & 0o7777);
      else await fs.stat(real(p));
      ok(reqId);
    }),
  );
  // Targets are stored as given, as OpenSSH does: a relative target resolves inside the served folder.
  sftp.on('SYMLINK', (reqId, linkPath, targetPath) => run(reqId, async () => (await fs.symlink(targetPath, real(linkPath)), ok(reqId))));
  sftp.on('READLINK', (reqId, p) =>
    run(reqId, async () => {
      const target = await fs.readlink(real(p));
      sftp.name(reqId, [{ filename: target, longname: target, attrs: {} as Attributes }]);
    }),
  );
  sftp.on('STAT', (reqId, p) => run(reqId, async () => sftp.attrs(reqId, toAttrs(await fs.stat(real(p))))));
  sftp.on('LSTAT', (reqId, p) => run(reqId, async () => sftp.attrs(reqId, toAttrs(await fs.lstat(real(p))))));
  sftp.on('OPENDIR', (reqId, p) =>
    run(reqId, async () => {
      const dirPath = real(p);
      const entries = await fs.readdir(dirPath);
      sftp.handle(reqId, newHandle({ kind: 'dir', entries, dirPath, sent: false }));
    }),
  );
  sftp.on('READDIR', (reqId, handle) =>
    run(reqId, async () => {
      const { h } = handleOf(handle);
      if (h?.kind !== 'dir') return sftp.status(reqId, STATUS_CODE.FAILURE, 'bad handle');
      if (h.sent) return sftp.status(reqId, STATUS_CODE.EOF);
      h.sent = true;
      const names = [];
      for (const name of ['.', '..', ...h.entries]) {
        const st = await fs.lstat(path.join(h.dirPath, name)).catch(() => null);
        if (st) names.push({ filename: name, longname: longname(name, st), attrs: toAttrs(st) });
      }
      sftp.name(reqId, names);
    }),
  );
  sftp.on('REMOVE', (reqId, p) => run(reqId, async () => (await fs.unlink(real(p)), ok(reqId))));
  sftp.on('RMDIR', (reqId, p) => run(reqId, async () => (await fs.rmdir(real(p)), ok(reqId))));
  sftp.on('MKDIR', (reqId, p, attrs) => run(reqId, async () => (await fs.mkdir(real(p), attrs?.mode ?? 0o755), ok(reqId))));
  sftp.on('RENAME', (reqId, from, to) =>
    run(reqId, async () => {
      if (strictRename && (await fs.lstat(real(to)).catch(() => null))) {
        return sftp.status(reqId, STATUS_CODE.FAILURE, 'target exists');
      }
      await fs.rename(real(from), real(to));
      ok(reqId);
    }),
  );
  sftp.on('REALPATH', (reqId, p) =>
    run(reqId, async () => {
      const v = virtual(p);
      const st = await fs.stat(real(p)).catch(() => null);
      sftp.name(reqId, [{ filename: v, longname: st ? longname(v, st) : v, attrs: st ? toAttrs(st) : ({} as Attributes) }]);
    }),
  );
  sftp.on('close', () => {
    for (const h of handles.values()) if (h.kind === 'file') void h.fh.close().catch(() => undefined);
    handles.clear();
  });
}
