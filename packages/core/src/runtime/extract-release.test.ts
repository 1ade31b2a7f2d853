import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { EngineError } from '@installgate/contracts';
import { ensureMirror } from '@installgate/testkit';
import { Header } from 'tar';
import { extractRelease, UnsafeArchiveEntry } from './extract-release';

jest.setTimeout(60_000);

interface FakeEntry {
  path: string;
  type?: 'File' | 'Directory' | 'SymbolicLink' | 'Link' | 'CharacterDevice' | 'BlockDevice' | 'FIFO';
  linkpath?: string;
  body?: string;
  mode?: number;
}

/** A tar archive written block by block, so that it can hold what no well-behaved tar tool would write. */
function tarOf(entries: FakeEntry[], gzip = true): Buffer {
  const blocks: Buffer[] = [];
  for (const e of entries) {
    const body = Buffer.from(e.body ?? '');
    const type = e.type ?? 'File';
    const h = new Header({
      path: e.path,
      type,
      linkpath: e.linkpath,
      size: type === 'File' ? body.length : 0,
      mode: e.mode ?? (type === 'Directory' ? 0o755 : 0o644),
      uid: 0,
      gid: 0,
      mtime: new Date(0),
      devmaj: 0,
      devmin: 0,
    });
    const block = Buffer.alloc(512);
    h.encode(block, 0);
    blocks.push(block);
    if (type === 'File' && body.length) blocks.push(body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  const tar = Buffer.concat(blocks);
  return gzip ? gzipSync(tar) : tar;
}

let tmp: string;
let n = 0;
/** A fresh case folder: `dest` (extract here), `outside` (must stay empty), and the archive. */
function scene(entries: FakeEntry[], gzip = true) {
  const base = join(tmp, `case-${++n}`);
  const dest = join(base, 'site', 'www');
  const outside = join(base, 'outside');
  mkdirSync(dest, { recursive: true });
  mkdirSync(outside);
  const archive = join(base, gzip ? 'release.tar.gz' : 'release.tar');
  writeFileSync(archive, tarOf(entries, gzip));
  return { base, dest, outside, archive };
}

async function refusal(p: Promise<unknown>): Promise<UnsafeArchiveEntry> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(UnsafeArchiveEntry);
  expect((e as EngineError).errcode).toBe('internal_error');
  return e as UnsafeArchiveEntry;
}

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'ig-extract-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('extractRelease', () => {
  it('extracts a mirrored WordPress release with its top folder stripped', async () => {
    const mirror = await ensureMirror();
    const dest = join(tmp, 'wp');
    mkdirSync(dest);
    const { entries } = await extractRelease(join(mirror, 'wordpress', 'wordpress-6.1.9.tar.gz'), dest, { stripTopFolder: true });
    expect(entries).toEqual(expect.arrayContaining(['wp-admin', 'wp-includes', 'wp-content', 'index.php', 'wp-login.php', 'wp-settings.php']));
    expect(entries.sort()).toEqual(readdirSync(dest).sort());
    expect(readFileSync(join(dest, 'wp-includes', 'version.php'), 'utf8')).toContain("$wp_version = '6.1.9'");
    expect(existsSync(join(dest, 'wordpress'))).toBe(false);
  });

  it('keeps the top folder without stripTopFolder, and reads plain .tar too', async () => {
    const s = scene([{ path: 'app/', type: 'Directory' }, { path: 'app/index.php', body: '<?php echo 1;' }, { path: 'README', body: 'x' }], false);
    expect((await extractRelease(s.archive, s.dest)).entries).toEqual(['app', 'README']);
    expect(readFileSync(join(s.dest, 'app', 'index.php'), 'utf8')).toBe('<?php echo 1;');
  });

  it('creates missing parent folders and accepts links that stay inside', async () => {
    const s = scene([
      { path: 'app/a/b/c.txt', body: 'deep' },
      { path: 'app/link-to-c', type: 'SymbolicLink', linkpath: 'a/b/c.txt' },
      { path: 'app/a/b/hard', type: 'Link', linkpath: 'app/a/b/c.txt' },
      { path: 'app/a/up', type: 'SymbolicLink', linkpath: '../link-to-c' },
    ]);
    expect((await extractRelease(s.archive, s.dest, { stripTopFolder: true })).entries).toEqual(['a', 'link-to-c']);
    expect(readlinkSync(join(s.dest, 'link-to-c'))).toBe('a/b/c.txt');
    expect(statSync(join(s.dest, 'a', 'b', 'hard')).ino).toBe(statSync(join(s.dest, 'a', 'b', 'c.txt')).ino);
  });

  it('drops group/other write and setuid bits, keeps owner read/write', async () => {
    const s = scene([{ path: 'app/x.php', body: 'x', mode: 0o4777 }, { path: 'app/ro.txt', body: 'y', mode: 0o444 }]);
    await extractRelease(s.archive, s.dest, { stripTopFolder: true });
    expect(statSync(join(s.dest, 'x.php')).mode & 0o7777).toBe(0o755);
    expect(statSync(join(s.dest, 'ro.txt')).mode & 0o7777).toBe(0o644);
  });

  it('writes a large file spread over many chunks byte for byte, and takes a folder entry after its contents', async () => {
    const big = randomBytes(3 * 1024 * 1024 + 7).toString('base64');
    const s = scene([{ path: 'app/a/big.txt', body: big }, { path: 'app/a/', type: 'Directory' }, { path: 'app/a/small.txt', body: 's' }]);
    expect((await extractRelease(s.archive, s.dest, { stripTopFolder: true })).entries).toEqual(['a']);
    expect(readFileSync(join(s.dest, 'a', 'big.txt'), 'utf8')).toBe(big);
    expect(readFileSync(join(s.dest, 'a', 'small.txt'), 'utf8')).toBe('s');
  });

  it('the same path twice in one archive: the later entry wins', async () => {
    const s = scene([{ path: 'app/x', body: 'first' }, { path: 'app/x', body: 'second' }]);
    await extractRelease(s.archive, s.dest, { stripTopFolder: true });
    expect(readFileSync(join(s.dest, 'x'), 'utf8')).toBe('second');
  });
});

describe('extractRelease refuses entries that escape or misuse the folder', () => {
  it('absolute path', async () => {
    const s = scene([{ path: 'ok.txt', body: 'fine' }, { path: `${tmp}/abs-escape.txt`, body: 'evil' }]);
    const e = await refusal(extractRelease(s.archive, s.dest));
    expect(e.reason).toBe('absolute-path');
    expect(existsSync(join(tmp, 'abs-escape.txt'))).toBe(false);
    expect(e.details).toMatchObject({ written: ['ok.txt'] });
  });

  it('parent path (..) at the start', async () => {
    const s = scene([{ path: '../outside/evil.txt', body: 'evil' }]);
    expect((await refusal(extractRelease(s.archive, s.dest))).reason).toBe('parent-path');
    expect(readdirSync(s.outside)).toEqual([]);
  });

  it('parent path (..) in the middle, after the top folder is stripped', async () => {
    const s = scene([{ path: 'app/a/../../../outside/evil.txt', body: 'evil' }]);
    expect((await refusal(extractRelease(s.archive, s.dest, { stripTopFolder: true }))).reason).toBe('parent-path');
    expect(readdirSync(s.outside)).toEqual([]);
  });

  it('symlink pointing outside (relative)', async () => {
    const s = scene([{ path: 'app/evil', type: 'SymbolicLink', linkpath: '../../outside' }]);
    expect((await refusal(extractRelease(s.archive, s.dest, { stripTopFolder: true }))).reason).toBe('link-outside');
    expect(existsSync(join(s.dest, 'evil'))).toBe(false);
  });

  it('symlink pointing outside (absolute)', async () => {
    const s = scene([{ path: 'app/passwd', type: 'SymbolicLink', linkpath: '/etc/passwd' }]);
    expect((await refusal(extractRelease(s.archive, s.dest, { stripTopFolder: true }))).reason).toBe('link-outside');
  });

  it('symlink then a file written through it', async () => {
    // The link itself stays inside; writing through any symlink is refused all the same.
    const s = scene([{ path: 'app/real/', type: 'Directory' }, { path: 'app/alias', type: 'SymbolicLink', linkpath: 'real' }, { path: 'app/alias/x.php', body: 'x' }]);
    expect((await refusal(extractRelease(s.archive, s.dest, { stripTopFolder: true }))).reason).toBe('through-symlink');
    expect(existsSync(join(s.dest, 'real', 'x.php'))).toBe(false);
  });

  it('symlink then a file of the same name (writing onto the link)', async () => {
    const s = scene([{ path: 'app/target.txt', body: 't' }, { path: 'app/f', type: 'SymbolicLink', linkpath: 'target.txt' }, { path: 'app/f', body: 'overwrite' }]);
    expect((await refusal(extractRelease(s.archive, s.dest, { stripTopFolder: true }))).reason).toBe('through-symlink');
    expect(readFileSync(join(s.dest, 'target.txt'), 'utf8')).toBe('t');
  });

  it('an existing symlink in the folder is never written through', async () => {
    const s = scene([{ path: 'app/wp/index.php', body: 'evil' }]);
    symlinkSync(s.outside, join(s.dest, 'wp'));
    expect((await refusal(extractRelease(s.archive, s.dest, { stripTopFolder: true }))).reason).toBe('exists');
    expect(readdirSync(s.outside)).toEqual([]);
  });

  it('an existing top-level file is not overwritten', async () => {
    const s = scene([{ path: 'app/index.php', body: 'new' }]);
    writeFileSync(join(s.dest, 'index.php'), 'old');
    expect((await refusal(extractRelease(s.archive, s.dest, { stripTopFolder: true }))).reason).toBe('exists');
    expect(readFileSync(join(s.dest, 'index.php'), 'utf8')).toBe('old');
  });

  it('hard link pointing outside', async () => {
    const s = scene([{ path: 'app/passwd', type: 'Link', linkpath: '/etc/passwd' }]);
    expect((await refusal(extractRelease(s.archive, s.dest, { stripTopFolder: true }))).reason).toBe('hardlink-outside');
    expect(existsSync(join(s.dest, 'passwd'))).toBe(false);
  });

  it('hard link to a file not extracted by this archive', async () => {
    const s = scene([{ path: 'app/x', type: 'Link', linkpath: 'app/../../outside/secret' }]);
    writeFileSync(join(s.outside, 'secret'), 's');
    expect((await refusal(extractRelease(s.archive, s.dest, { stripTopFolder: true }))).reason).toBe('hardlink-outside');
  });

  it('character device', async () => {
    const s = scene([{ path: 'app/null', type: 'CharacterDevice' }]);
    expect((await refusal(extractRelease(s.archive, s.dest, { stripTopFolder: true }))).reason).toBe('device');
  });

  it('block device', async () => {
    const s = scene([{ path: 'app/sda', type: 'BlockDevice' }]);
    expect((await refusal(extractRelease(s.archive, s.dest, { stripTopFolder: true }))).reason).toBe('device');
  });

  it('FIFO', async () => {
    const s = scene([{ path: 'app/pipe', type: 'FIFO' }]);
    expect((await refusal(extractRelease(s.archive, s.dest, { stripTopFolder: true }))).reason).toBe('device');
  });

  it('a second top-level folder when stripping the top folder', async () => {
    const s = scene([{ path: 'app/a.txt', body: 'a' }, { path: 'other/b.txt', body: 'b' }]);
    const e = await refusal(extractRelease(s.archive, s.dest, { stripTopFolder: true }));
    expect(e.reason).toBe('top-folder');
    expect(e.details).toMatchObject({ written: ['a.txt'] });
  });
});

describe('extractRelease errors', () => {
  it('a missing folder is failed_filesystem_directory', async () => {
    const s = scene([{ path: 'a', body: 'a' }]);
    await expect(extractRelease(s.archive, join(s.base, 'nope'))).rejects.toMatchObject({ errcode: 'failed_filesystem_directory' });
  });

  it('a damaged archive is internal_error', async () => {
    const s = scene([{ path: 'app/a.txt', body: 'a'.repeat(5000) }]);
    const gz = readFileSync(s.archive);
    writeFileSync(s.archive, gz.subarray(0, gz.length - 40));
    await expect(extractRelease(s.archive, s.dest, { stripTopFolder: true })).rejects.toMatchObject({ errcode: 'internal_error' });
  });

  it('a gzip bomb (inflating more than 1000 times its size) is internal_error', async () => {
    // 8 MiB of zeros gzip to ~8 KiB: a ratio of ~1026, just above the limit node-tar also applies.
    const s = scene([{ path: 'app/zeros', body: '\0'.repeat(8 * 1024 * 1024) }]);
    await expect(extractRelease(s.archive, s.dest, { stripTopFolder: true })).rejects.toMatchObject({
      errcode: 'internal_error',
      message: expect.stringContaining('decompression ratio'),
    });
  });

  it('a missing archive is internal_error', async () => {
    const s = scene([]);
    await expect(extractRelease(join(s.base, 'none.tar.gz'), s.dest)).rejects.toMatchObject({ errcode: 'internal_error' });
  });

  it('a read-only folder is failed_filesystem_permission', async () => {
    if (process.getuid?.() === 0) return expect(true).toBe(true); // root writes anywhere: nothing to check
    const s = scene([{ path: 'a', body: 'a' }]);
    const { chmodSync } = await import('node:fs');
    chmodSync(s.dest, 0o555);
    try {
      await expect(extractRelease(s.archive, s.dest)).rejects.toMatchObject({ errcode: 'failed_filesystem_permission' });
    } finally {
      chmodSync(s.dest, 0o755);
    }
  });

});
