import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { openBackend } from '../open-backend';
import { StorageError } from '../storage-error';
import { runStorageConformance } from '../test/conformance';
import { filesUnder, makeTempDir, removeTempDir } from '../test/temp-dir';
import { readAll } from '../test/test-streams';
import { LocalBackend, localBackendFactory } from './local';

runStorageConformance('local', async () => {
  const dir = await makeTempDir('local');
  return {
    backend: await openBackend(`file://localhost${dir}/backups`),
    cleanup: () => removeTempDir(dir),
    rawNames: () => filesUnder(dir),
  };
});

describe('local backend specifics', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await makeTempDir('local-x');
  });
  afterEach(() => removeTempDir(dir));

  const codeOf = (p: Promise<unknown>): Promise<string | undefined> =>
    p.then(
      () => undefined,
      (e: unknown) => (e instanceof StorageError ? e.code : `not a StorageError: ${String(e)}`),
    );

  it('opens the literal "local" at localRoot, and refuses it without one', async () => {
    const b = await openBackend('local', { localRoot: path.join(dir, 'acct') });
    await b.put('a.txt', Readable.from([Buffer.from('hi')]));
    expect(await fs.readFile(path.join(dir, 'acct', 'a.txt'), 'utf8')).toBe('hi');
    await b.close();
    expect(await codeOf(openBackend('local'))).toBe('PROTOCOL');
  });

  it('does not follow a symlinked folder out of the root', async () => {
    const outside = path.join(dir, 'outside');
    await fs.mkdir(outside);
    await fs.writeFile(path.join(outside, 'secret.txt'), 'secret');
    const b = new LocalBackend(path.join(dir, 'root'));
    await fs.mkdir(b.root);
    await fs.symlink(outside, path.join(b.root, 'link'));
    expect(await codeOf(b.get('link/secret.txt'))).toBe('PERMISSION');
    expect(await codeOf(b.put('link/new.txt', Readable.from([Buffer.from('x')])))).toBe('PERMISSION');
    expect(await fs.readdir(outside)).toEqual(['secret.txt']);
    const listed: string[] = [];
    for await (const info of b.list('')) listed.push(info.key);
    expect(listed).toEqual([]);
  });

  it('treats a symlinked file as missing', async () => {
    await fs.writeFile(path.join(dir, 'target.txt'), 'outside');
    const b = new LocalBackend(path.join(dir, 'root'));
    await fs.mkdir(b.root);
    await fs.symlink(path.join(dir, 'target.txt'), path.join(b.root, 'file.txt'));
    expect(await codeOf(b.get('file.txt'))).toBe('NOT_FOUND');
    expect(await b.stat('file.txt')).toBeNull();
    // Overwriting replaces the link itself, never the file it points to.
    await b.put('file.txt', Readable.from([Buffer.from('inside')]));
    expect(await fs.readFile(path.join(dir, 'target.txt'), 'utf8')).toBe('outside');
    expect((await readAll(await b.get('file.txt'))).toString()).toBe('inside');
  });

  it('refuses keys that climb out of the root', async () => {
    const b = await localBackendFactory.open({ scheme: 'local', path: path.join(dir, 'root') }, {});
    for (const key of ['../x.txt', 'a/../../x.txt', '/etc/passwd']) {
      expect(await codeOf(b.put(key, Readable.from([Buffer.from('x')])))).toBe('PROTOCOL');
    }
    expect(await fs.readdir(dir)).toEqual(['root']);
  });

  it('a location under a file (ENOTDIR) → PERMISSION', async () => {
    await fs.writeFile(path.join(dir, 'plain-file'), 'x');
    expect(await codeOf(openBackend(`file://localhost${dir}/plain-file/backups`))).toBe('PERMISSION');
    const b = await openBackend(`file://localhost${dir}/root`);
    await fs.writeFile(path.join(dir, 'root', 'taken'), 'x');
    expect(await codeOf(b.put('taken/a.txt', Readable.from([Buffer.from('x')])))).toBe('PERMISSION');
  });

  it('a folder the process may not write → PERMISSION', async () => {
    if (process.getuid?.() !== 0) {
      const ro = path.join(dir, 'ro');
      await fs.mkdir(ro, { mode: 0o555 });
      const b = await openBackend(`file://localhost${ro}`);
      expect(await codeOf(b.put('a.txt', Readable.from([Buffer.from('x')])))).toBe('PERMISSION');
      return;
    }
    // As root, chmod stops nothing. sysfs refuses to create files even for root (EACCES), so /sys serves as
    // the read-only folder. The put fails before any byte is written.
    const SYSFS_MAGIC = 0x62656572;
    const sysfs = await fs.statfs('/sys').then((s) => s.type === SYSFS_MAGIC, () => false);
    if (!sysfs) {
      console.warn('PERMISSION assertion not run: running as root and /sys is not sysfs, so no folder refuses writes');
      return;
    }
    const b = await openBackend('file://localhost/sys');
    expect(await codeOf(b.put('installgate-permission-probe.txt', Readable.from([Buffer.from('x')])))).toBe('PERMISSION');
  });

  it('leaves nothing behind when the target is a folder', async () => {
    const b = await openBackend(`file://localhost${dir}/root`);
    await fs.mkdir(path.join(dir, 'root', 'dir'));
    await fs.writeFile(path.join(dir, 'root', 'dir', 'inner'), 'x');
    const err = await b.put('dir', Readable.from([Buffer.from('x')])).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StorageError);
    expect(await filesUnder(path.join(dir, 'root'))).toEqual(['dir/inner']);
  });
});
