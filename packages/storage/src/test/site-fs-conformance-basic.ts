import { readSmallFile } from '../site-fs/read-small-file';
import { StorageError } from '../storage-error';
import { expectSiteError, type SiteFsSuiteContext } from './site-fs-conformance';
import { digestStream, generatedDigest, generatedStream } from './test-streams';

const MiB = 1024 * 1024;

/** Every byte value, twice, plus CR/LF pairs an ASCII-mode transfer would mangle. */
const BINARY = Buffer.concat([Buffer.from(Array.from({ length: 256 }, (_, i) => i)), Buffer.from('\r\n\n\r\0'), Buffer.from(Array.from({ length: 256 }, (_, i) => 255 - i))]);

/** Path refusals, round trips, types and modes, rename and removal semantics (part of runSiteFsConformance). */
export function siteFsBasicTests(ctx: SiteFsSuiteContext): void {
  const { timeout } = ctx;

  it('refuses paths outside the home (.., absolute, empty or . segments, backslash, NUL) with PROTOCOL, before any request', async () => {
    const s = ctx.site();
    for (const bad of ['..', '../x', `${ctx.base()}/../../etc/passwd`, '/etc/passwd', 'a//b', 'a/', './a', 'a/./b', 'a\\b', 'a\0b']) {
      for (const call of [
        () => s.stat(bad),
        () => s.list(bad),
        () => s.read(bad),
        () => s.write(bad, 'x'),
        () => s.mkdir(bad, { recursive: true }),
        () => s.rename(bad, ctx.at('ok')),
        () => s.rename(ctx.at('ok'), bad),
        () => s.unlink(bad),
        () => s.rmdir(bad),
        () => s.chmod(bad, 0o644),
        () => s.symlink('x', bad),
        () => s.readlink(bad),
      ]) {
        // The refusal's own wording shows it came from the path check, not from the server.
        expect((await expectSiteError(ctx, call(), 'PROTOCOL')).message).toMatch(/refusing the website path/);
      }
    }
  }, timeout);

  it('round-trips binary data, text and an empty file byte for byte', async () => {
    const s = ctx.site();
    await s.write(ctx.at('rt.bin'), BINARY);
    await s.write(ctx.at('rt.txt'), 'héllo\nwörld\r\n');
    await s.write(ctx.at('empty'), Buffer.alloc(0));
    expect(await readSmallFile(s, ctx.at('rt.bin'))).toEqual(BINARY);
    expect((await readSmallFile(s, ctx.at('rt.txt'))).toString()).toBe('héllo\nwörld\r\n');
    expect((await readSmallFile(s, ctx.at('empty'))).length).toBe(0);
    expect(await s.stat(ctx.at('rt.bin'))).toMatchObject({ name: 'rt.bin', type: 'file', size: BINARY.length });
    await s.write(ctx.at('rt.txt'), 'short'); // overwrite truncates
    expect((await readSmallFile(s, ctx.at('rt.txt'))).toString()).toBe('short');
  }, timeout);

  it('streams a multi-MiB file both ways, resolving only once every byte is stored', async () => {
    const s = ctx.site();
    const size = ctx.largeSize;
    await s.write(ctx.at('large.bin'), generatedStream(size, 7));
    expect((await s.stat(ctx.at('large.bin')))?.size).toBe(size); // right after write resolved
    expect(await digestStream(await s.read(ctx.at('large.bin')))).toEqual({ sha256: generatedDigest(size, 7), bytes: size });
  }, timeout * 2);

  it('lists and stats with the right types, sizes, dates and modes', async () => {
    const s = ctx.site();
    const before = Date.now();
    await s.mkdir(ctx.at('ls/sub/deeper'), { recursive: true });
    await s.write(ctx.at('ls/f.txt'), '12345', { mode: 0o640 });
    const listed = (await s.list(ctx.at('ls'))).sort((a, b) => a.name.localeCompare(b.name));
    expect(listed.map((e) => [e.name, e.type])).toEqual([
      ['f.txt', 'file'],
      ['sub', 'dir'],
    ]);
    expect(listed[0].size).toBe(5);
    // Servers give seconds or minutes, in their own clock: a wide window.
    expect(Math.abs(listed[0].mtimeMs - before)).toBeLessThan(26 * 3600 * 1000);
    const file = await s.stat(ctx.at('ls/f.txt'));
    expect(file).toMatchObject({ name: 'f.txt', type: 'file', size: 5 });
    if (file?.mode !== null) expect(file?.mode).toBe(0o640);
    expect((await s.stat(ctx.at('ls/sub')))?.type).toBe('dir');
    expect((await s.stat(''))?.type).toBe('dir');
    expect(await s.stat(ctx.at('ls/missing'))).toBeNull();
    expect(await s.stat(ctx.at('no-such-folder/x'))).toBeNull();
    expect(await s.list(ctx.at('ls/sub/deeper'))).toEqual([]);
  }, timeout);

  it('chmod changes the mode where the protocol tells it', async () => {
    const s = ctx.site();
    await s.write(ctx.at('mode.txt'), 'x');
    await s.chmod(ctx.at('mode.txt'), 0o600);
    const mode = (await s.stat(ctx.at('mode.txt')))?.mode;
    if (mode !== null) expect(mode).toBe(0o600);
  }, timeout);

  it('mkdir: recursive accepts an existing folder; without recursive an existing one or a missing parent is refused', async () => {
    const s = ctx.site();
    await s.mkdir(ctx.at('mk/a/b'), { recursive: true });
    await s.mkdir(ctx.at('mk/a/b'), { recursive: true });
    await s.mkdir(ctx.at('mk/a'), { recursive: true });
    await expectSiteError(ctx, s.mkdir(ctx.at('mk/a')), 'PROTOCOL');
    await expect(s.mkdir(ctx.at('mk/none/c'))).rejects.toBeInstanceOf(StorageError);
    expect(await s.stat(ctx.at('mk/none'))).toBeNull();
    await s.write(ctx.at('mk/file'), 'x');
    await expect(s.mkdir(ctx.at('mk/file'), { recursive: true })).rejects.toBeInstanceOf(StorageError);
  }, timeout);

  it('renames files and folders', async () => {
    const s = ctx.site();
    await s.mkdir(ctx.at('rn/dir'), { recursive: true });
    await s.write(ctx.at('rn/dir/a.txt'), 'A');
    await s.rename(ctx.at('rn/dir/a.txt'), ctx.at('rn/dir/b.txt'));
    expect(await s.stat(ctx.at('rn/dir/a.txt'))).toBeNull();
    await s.rename(ctx.at('rn/dir'), ctx.at('rn/moved'));
    expect((await readSmallFile(s, ctx.at('rn/moved/b.txt'))).toString()).toBe('A');
    if (s.features.atomicReplace) {
      await s.write(ctx.at('rn/new.txt'), 'new');
      await s.write(ctx.at('rn/old.txt'), 'old');
      await s.rename(ctx.at('rn/new.txt'), ctx.at('rn/old.txt'));
      expect((await readSmallFile(s, ctx.at('rn/old.txt'))).toString()).toBe('new');
    }
    await expectSiteError(ctx, s.rename(ctx.at('rn/missing'), ctx.at('rn/x')), 'NOT_FOUND');
  }, timeout);

  it('unlink and rmdir: missing is fine, a folder is not a file, a full folder stays', async () => {
    const s = ctx.site();
    await s.mkdir(ctx.at('rm/full'), { recursive: true });
    await s.write(ctx.at('rm/full/f'), 'x');
    await s.unlink(ctx.at('rm/full/f'));
    expect(await s.stat(ctx.at('rm/full/f'))).toBeNull();
    await s.unlink(ctx.at('rm/full/f'));
    await s.unlink(ctx.at('rm/no-folder/f'));
    await s.write(ctx.at('rm/full/g'), 'x');
    // (A folder with something in it: ftp-srv's DELE removes an empty folder, as its RMD removes a file.)
    await expectSiteError(ctx, s.unlink(ctx.at('rm/full')), 'PROTOCOL');
    await expect(s.rmdir(ctx.at('rm/full'))).rejects.toBeInstanceOf(StorageError);
    expect((await s.stat(ctx.at('rm/full/g')))?.type).toBe('file');
    await s.unlink(ctx.at('rm/full/g'));
    await s.rmdir(ctx.at('rm/full'));
    expect(await s.stat(ctx.at('rm/full'))).toBeNull();
    await s.rmdir(ctx.at('rm/full'));
  }, timeout);

  it('runs operations concurrently', async () => {
    const s = ctx.site();
    await s.mkdir(ctx.at('cc'));
    const sizes = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => 100_000 + i);
    await Promise.all(sizes.map((n, i) => s.write(ctx.at(`cc/${i}.bin`), generatedStream(n, i + 30))));
    const digests = await Promise.all(sizes.map(async (_, i) => digestStream(await s.read(ctx.at(`cc/${i}.bin`)))));
    digests.forEach((d, i) => expect(d.sha256).toBe(generatedDigest(sizes[i], i + 30)));
    expect((await s.list(ctx.at('cc'))).length).toBe(sizes.length);
  }, timeout);

  it(`symlinks (where supported) are made, read, listed and removed as links, never followed`, async () => {
    const s = ctx.site();
    await s.mkdir(ctx.at('sl/real'), { recursive: true });
    await s.write(ctx.at('sl/real/keep.txt'), 'keep');
    if (!s.features.symlinks) {
      await expectSiteError(ctx, s.symlink('real', ctx.at('sl/link')), 'PROTOCOL');
      await expectSiteError(ctx, s.readlink(ctx.at('sl/real')), 'PROTOCOL');
      return;
    }
    await s.symlink('real', ctx.at('sl/link'));
    expect(await s.readlink(ctx.at('sl/link'))).toBe('real');
    expect((await s.stat(ctx.at('sl/link')))?.type).toBe('symlink');
    expect((await s.list(ctx.at('sl'))).find((e) => e.name === 'link')?.type).toBe('symlink');
    await s.unlink(ctx.at('sl/link'));
    expect(await s.stat(ctx.at('sl/link'))).toBeNull();
    expect((await readSmallFile(s, ctx.at('sl/real/keep.txt'))).toString()).toBe('keep');
  }, timeout);
}
