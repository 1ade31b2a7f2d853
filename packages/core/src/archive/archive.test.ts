import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { gunzipSync, gzipSync } from 'node:zlib';
import { makeBackupRecord } from '../testing/fixtures';
import { packArchive, type PackArchiveCommon } from './pack-archive';
import { unpackArchive } from './unpack-archive';
import { verifyArchive } from './verify-archive';
import { hostileArchive, tarOf, type RawEntry } from '../testing/hostile-archive';

let tmp: string;
beforeEach(() => {
  tmp = mkdtempSync(join(tmpdir(), 'ig-archive-'));
});
afterEach(() => rmSync(tmp, { recursive: true, force: true }));

const record = makeBackupRecord({ title: 'My blog 😀' });
const DUMP = "INSERT INTO t VALUES ('😀🎉', 0x00270a);\n";

function makeTree(dir: string) {
  mkdirSync(join(dir, 'wp-content/uploads'), { recursive: true });
  writeFileSync(join(dir, 'index.php'), '<?php echo 1;');
  writeFileSync(join(dir, 'wp-config.php'), '<?php // config', { mode: 0o640 });
  writeFileSync(join(dir, 'wp-content/uploads/photo.bin'), randomBytes(300_000));
  writeFileSync(join(dir, 'wp-content/uploads/empty.txt'), '');
  writeFileSync(join(dir, 'wp-content/cache.tmp'), 'excluded');
  mkdirSync(join(dir, 'wp-content/' + 'd'.repeat(120) + '/' + 'e'.repeat(120)), { recursive: true }); // needs PAX
  symlinkSync('uploads/photo.bin', join(dir, 'wp-content/link-inside'));
  chmodSync(join(dir, 'index.php'), 0o755);
}

async function pack(dir: string, file: string, extra: Partial<PackArchiveCommon> = {}) {
  return packArchive({
    dir,
    files: ['index.php', 'wp-config.php', 'wp-content'],
    exclude: ['wp-content/cache.tmp'],
    dumpSql: () => Readable.from([Buffer.from(DUMP)]),
    meta: { record, createdBy: 'installgate/test' },
    out: createWriteStream(file),
    ...extra,
  });
}

/** Captures the dump handed to onDump. */
function dumpCatcher() {
  let text = '';
  return {
    onDump: async (sql: Readable) => {
      for await (const c of sql) text += (c as Buffer).toString('utf8');
    },
    text: () => text,
  };
}

// ---- hand-made hostile archives ---------------------------------------------------------------------------

const hostile = (files: RawEntry[]) => hostileArchive(record, files);

async function expectRefused(archive: Buffer, reason: string) {
  const dest = join(tmp, 'dest');
  mkdirSync(dest, { recursive: true });
  await expect(unpackArchive(Readable.from([archive]), dest)).rejects.toMatchObject({ errcode: 'failed_backup_format', details: expect.objectContaining({ reason }) });
  expect(readdirSync(dest).filter((n) => n !== 'link-to-outside')).toEqual([]); // nothing written
  expect(existsSync(join(tmp, 'outside', 'pwned'))).toBe(false);
}

describe('pack → verify → unpack', () => {
  test('round trip keeps bytes, modes, symlinks inside, excludes, dump; manifest lists everything', async () => {
    const src = join(tmp, 'src');
    makeTree(src);
    const file = join(tmp, 'a.tar.gz');
    const res = await pack(src, file);
    expect(res.bytes).toBe(lstatSync(file).size);
    expect(res.sha256).toBe(createHash('sha256').update(readFileSync(file)).digest('hex'));
    expect(res.manifest[0].path).toBe('APP-META.INI');
    // The dump comes right after the meta, before the files: a restore loads it while the files unpack.
    expect(res.manifest[1].path).toBe('database.sql');
    expect(res.manifest.map((e) => e.path)).not.toContain('files/wp-content/cache.tmp');

    const v = await verifyArchive(createReadStream(file));
    expect(v.ok).toBe(true);
    expect(v.meta.record.title).toBe('My blog 😀');
    expect(v.manifest).toEqual(res.manifest);

    const dest = join(tmp, 'dest');
    mkdirSync(dest);
    const dump = dumpCatcher();
    const out = await unpackArchive(createReadStream(file), dest, { onDump: dump.onDump });
    expect(out.entries).toEqual(['index.php', 'wp-config.php', 'wp-content']);
    expect(dump.text()).toBe(DUMP);
    expect(readFileSync(join(dest, 'wp-content/uploads/photo.bin')).equals(readFileSync(join(src, 'wp-content/uploads/photo.bin')))).toBe(true);
    expect(lstatSync(join(dest, 'index.php')).mode & 0o777).toBe(0o755);
    expect(lstatSync(join(dest, 'wp-config.php')).mode & 0o777).toBe(0o640);
    expect(readlinkSync(join(dest, 'wp-content/link-inside'))).toBe('uploads/photo.bin');
    expect(existsSync(join(dest, 'wp-content/cache.tmp'))).toBe(false);
    expect(existsSync(join(dest, 'wp-content', 'd'.repeat(120), 'e'.repeat(120)))).toBe(true);
    expect(readdirSync(dest).filter((n) => n.startsWith('.ig-unpack-'))).toEqual([]);
  });

  test('archives written with the dump after the files (before 2026-11-24) still unpack and hand over the dump', async () => {
    const dumpLast = hostile([{ path: 'files/index.php', body: Buffer.from('<?php echo 1;') }, { path: 'database.sql', body: Buffer.from(DUMP) }]);
    const dest = join(tmp, 'dest');
    mkdirSync(dest);
    const dump = dumpCatcher();
    const out = await unpackArchive(Readable.from([dumpLast]), dest, { onDump: dump.onDump });
    expect(out.entries).toEqual(['index.php']);
    expect(dump.text()).toBe(DUMP);
    expect(readFileSync(join(dest, 'index.php'), 'utf8')).toBe('<?php echo 1;');
  });

  test('pack refuses a symlink pointing outside the install', async () => {
    const src = join(tmp, 'src');
    makeTree(src);
    symlinkSync('../../etc/passwd', join(src, 'wp-content/escape'));
    await expect(pack(src, join(tmp, 'b.tar.gz'))).rejects.toMatchObject({ details: expect.objectContaining({ reason: 'link-outside' }) });
    rmSync(join(src, 'wp-content/escape'));
    symlinkSync('/etc/passwd', join(src, 'wp-content/abs'));
    await expect(pack(src, join(tmp, 'c.tar.gz'))).rejects.toMatchObject({ details: expect.objectContaining({ reason: 'link-outside' }) });
  });

  test('pack refuses absolute and .. entries in files/exclude', async () => {
    const src = join(tmp, 'src');
    makeTree(src);
    await expect(pack(src, join(tmp, 'd.tar.gz'), { files: ['/etc'] })).rejects.toMatchObject({ details: expect.objectContaining({ reason: 'absolute-path' }) });
    await expect(pack(src, join(tmp, 'e.tar.gz'), { files: ['../x'] })).rejects.toMatchObject({ details: expect.objectContaining({ reason: 'parent-path' }) });
  });

  test('a flipped byte in the middle → verify fails with failed_backup_format and unpack writes nothing', async () => {
    const src = join(tmp, 'src');
    makeTree(src);
    const file = join(tmp, 'a.tar.gz');
    await pack(src, file);
    const buf = readFileSync(file);
    buf[Math.floor(buf.length / 2)] ^= 0x01;
    await expect(verifyArchive(Readable.from([buf]))).rejects.toMatchObject({ errcode: 'failed_backup_format' });
    const dest = join(tmp, 'dest');
    mkdirSync(dest);
    await expect(unpackArchive(Readable.from([buf]), dest)).rejects.toMatchObject({ errcode: 'failed_backup_format' });
    expect(readdirSync(dest)).toEqual([]);
  });

  test('a truncated archive → failed_backup_format', async () => {
    const src = join(tmp, 'src');
    makeTree(src);
    const file = join(tmp, 'a.tar.gz');
    await pack(src, file);
    const buf = readFileSync(file);
    await expect(verifyArchive(Readable.from([buf.subarray(0, Math.floor(buf.length * 0.7))]))).rejects.toMatchObject({ errcode: 'failed_backup_format' });
  });

  test('a changed file inside a valid gzip → checksum reason', async () => {
    const good = hostile([{ path: 'files/a.txt', body: Buffer.from('hello') }]);
    await expect(verifyArchive(Readable.from([good]))).resolves.toMatchObject({ ok: true });
    // Same manifest, different body: rebuild the tar with a changed file but the old manifest.
    const raw = gunzipSync(good);
    const idx = raw.indexOf(Buffer.from('hello'));
    raw[idx] = 'j'.charCodeAt(0);
    await expect(verifyArchive(Readable.from([gzipSync(raw)]))).rejects.toMatchObject({ errcode: 'failed_backup_format', details: expect.objectContaining({ reason: 'checksum' }) });
  });

  test('an archive without APP-META.INI → failed_backup_format', async () => {
    await expect(verifyArchive(Readable.from([tarOf([{ path: 'files/x', body: Buffer.from('x') }])]))).rejects.toMatchObject({ errcode: 'failed_backup_format', details: { reason: 'no-meta' } });
    await expect(verifyArchive(Readable.from([Buffer.from('not a gzip at all')]))).rejects.toMatchObject({ errcode: 'failed_backup_format' });
  });
});

describe('unpack refuses hostile archives (node-tar defences)', () => {
  test('refuses: entry path with .. (tar-slip)', async () => {
    await expectRefused(hostile([{ path: 'files/../../outside/pwned', body: Buffer.from('x') }]), 'parent-path');
  });

  test('refuses: absolute entry path', async () => {
    await expectRefused(hostile([{ path: '/tmp/outside/pwned', body: Buffer.from('x') }]), 'absolute-path');
  });

  test('refuses: symlink pointing outside the target', async () => {
    await expectRefused(hostile([{ path: 'files/evil', type: 'SymbolicLink', linkpath: '../../outside' }]), 'link-outside');
    await expectRefused(hostile([{ path: 'files/evil', type: 'SymbolicLink', linkpath: '/etc' }]), 'link-outside');
  });

  test('refuses: writing through a symlink created by the archive itself', async () => {
    // files/dir -> . is inside, but files/dir/x would then be written through the link.
    await expectRefused(hostile([{ path: 'files/sub/', type: 'Directory', mode: 0o755 }, { path: 'files/link', type: 'SymbolicLink', linkpath: 'sub' }, { path: 'files/link/pwned', body: Buffer.from('x') }]), 'through-symlink');
  });

  test('refuses: writing through a symlink already in the target', async () => {
    mkdirSync(join(tmp, 'outside'));
    const dest = join(tmp, 'dest');
    mkdirSync(dest);
    symlinkSync(join(tmp, 'outside'), join(dest, 'wp-content'));
    const archive = hostile([{ path: 'files/wp-content/', type: 'Directory', mode: 0o755 }, { path: 'files/wp-content/pwned', body: Buffer.from('x') }]);
    await expect(unpackArchive(Readable.from([archive]), dest)).rejects.toMatchObject({ errcode: 'failed_backup_format', details: expect.objectContaining({ reason: 'exists' }) });
    expect(readdirSync(join(tmp, 'outside'))).toEqual([]);
    expect(readdirSync(dest)).toEqual(['wp-content']);
  });

  test('refuses: hard link leaving the target', async () => {
    await expectRefused(hostile([{ path: 'files/pw', type: 'Link', linkpath: '/etc/passwd' }]), 'hardlink');
  });

  test('refuses: device and FIFO entries', async () => {
    await expectRefused(hostile([{ path: 'files/fifo', type: 'FIFO' }]), 'device');
    await expectRefused(hostile([{ path: 'files/null', type: 'CharacterDevice' }]), 'device');
  });

  test('refuses: entries outside files/ and entries after the manifest', async () => {
    await expectRefused(hostile([{ path: 'wp-config.php', body: Buffer.from('x') }]), 'unexpected-entry');
  });
});

test('pack streams to a slow consumer without buffering the tree', async () => {
  const src = join(tmp, 'src');
  makeTree(src);
  const out = new PassThrough({ highWaterMark: 1024 });
  let n = 0;
  const consume = (async () => {
    for await (const c of out) {
      n += (c as Buffer).length;
      await new Promise((r) => setImmediate(r));
    }
  })();
  const res = await packArchive({ dir: src, files: ['wp-content'], exclude: [], meta: { record, createdBy: 't' }, out });
  await consume;
  expect(n).toBe(res.bytes);
});
