import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { LocalSiteFs } from '@installgate/storage';
import { packArchive, sitePackSource } from '../archive';
import { makeBackupRecord } from '../testing/fixtures';
import { hostileArchive } from '../testing/hostile-archive';
import { ScriptedSiteFs, type ScriptOptions } from '../testing/scripted-site-fs';
import { treeSnapshot } from '../testing/tree-snapshot';
import { restoreArchiveToSite } from './restore-archive-to-site';

let tmp: string;
let home: string;
let live: string;
let archive: string;
beforeEach(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'ig-site-restore-'));
  home = join(tmp, 'home');
  live = join(home, 'public_html', 'blog');
  makeSite(live);
  archive = join(tmp, 'backup.tar.gz');
  await packArchive({
    source: sitePackSource(new LocalSiteFs(home), 'public_html/blog'), files: FILES, exclude: [],
    meta: { record, createdBy: 'installgate/test' }, out: createWriteStream(archive),
  });
});
afterEach(() => rmSync(tmp, { recursive: true, force: true }));

const record = makeBackupRecord({ title: 'Remote blog' });
const FILES = ['index.php', 'wp-config.php', 'wp-content'];

function makeSite(dir: string) {
  mkdirSync(join(dir, 'wp-content/uploads/2026'), { recursive: true });
  mkdirSync(join(dir, 'wp-content/plugins/akismet'), { recursive: true });
  writeFileSync(join(dir, 'index.php'), '<?php require "wp-blog-header.php";');
  writeFileSync(join(dir, 'wp-config.php'), '<?php // config', { mode: 0o640 });
  writeFileSync(join(dir, 'wp-content/uploads/2026/photo.jpg'), randomBytes(400_000));
  for (let i = 0; i < 12; i++) writeFileSync(join(dir, `wp-content/plugins/akismet/f${i}.php`), `<?php // ${i}`);
  symlinkSync('uploads/2026/photo.jpg', join(dir, 'wp-content/latest.jpg'));
}

/** Deletes and adds files in the live install, and leaves a file that is not the install's. */
function damage() {
  unlinkSync(join(live, 'index.php'));
  rmSync(join(live, 'wp-content/plugins'), { recursive: true });
  writeFileSync(join(live, 'wp-content/uploads/2026/photo.jpg'), 'overwritten');
  writeFileSync(join(live, 'wp-content/backdoor.php'), '<?php eval($_GET["x"]);');
  writeFileSync(join(live, 'added-by-hand.txt'), 'other');
}

const site = (script: ScriptOptions = {}) => new ScriptedSiteFs(new LocalSiteFs(home), script);
const restore = (s: ScriptedSiteFs, input: Readable = createReadStream(archive), replace: string[] = FILES) =>
  restoreArchiveToSite(s, 'public_html/blog', input, { replace, scratch: tmp });
const leftovers = (dir: string) => readdirSync(dir).filter((n) => n.startsWith('.ig-'));

describe('restoreFilesToSite (through restoreArchiveToSite)', () => {
  test('round trip: a damaged site is identical to the backup again, other files stay, commit leaves nothing behind', async () => {
    const original = treeSnapshot(live);
    damage();
    const s = site();
    const { swap, names } = await restore(s);
    expect(names).toEqual(FILES);
    // Until commit: the live copy set aside, and the emptied staging folder (a rollback moves the new files back there).
    expect(leftovers(live).map((n) => n.replace(/-[0-9a-f]+$/, ''))).toEqual(['.ig-old', '.ig-restore']);
    await swap.commit();
    const { 'added-by-hand.txt': other, ...restored } = treeSnapshot(live);
    expect(restored).toEqual(original);
    expect(other).toMatch(/^file /); // not the install's: a restore leaves it, as a local one does
    expect(leftovers(live)).toEqual([]);
    expect(s.calls.filter((c) => c.op === 'read').length).toBeGreaterThan(0); // local website: checksums read back
  });

  test('rollback after the swap puts the damaged live files back exactly', async () => {
    damage();
    const before = treeSnapshot(live);
    const { swap } = await restore(site());
    expect(treeSnapshot(live)).not.toEqual(before);
    await swap.rollback();
    expect(treeSnapshot(live)).toEqual(before);
    expect(leftovers(live)).toEqual([]);
  });

  test.each<[string, ScriptOptions['failOn']]>([
    ['the 1st upload write', { op: 'write', nth: 1 }],
    ['the 5th upload write', { op: 'write', nth: 5 }],
    ['creating the staging folder', { op: 'mkdir', nth: 1 }],
    // The swap's renames: wp-config.php and wp-content aside (index.php was deleted), then the three new entries in.
    ['moving the first live entry aside', { op: 'rename', nth: 1 }],
    ['the middle of the swap (the first new entry moving in)', { op: 'rename', nth: 3 }],
    ['the last rename of the swap', { op: 'rename', nth: 5 }],
  ])('a failure at %s leaves the live folder byte-identical and no staging folder', async (_at, failOn) => {
    damage();
    const before = treeSnapshot(live);
    const s = site({ failOn });
    await expect(restore(s)).rejects.toMatchObject({ errcode: 'failed_filesystem_host', message: expect.stringContaining('scripted:') });
    expect(treeSnapshot(live)).toEqual(before);
    expect(leftovers(live)).toEqual([]);
  });

  test('an upload that does not match the manifest is caught before the swap (sizes; content by checksum)', async () => {
    const before = treeSnapshot(live);
    const truncate: ScriptOptions = { write: (p, body) => (p.endsWith('photo.jpg') ? Buffer.from('short') : body) };
    await expect(restore(site(truncate))).rejects.toMatchObject({ errcode: 'failed_backup_format', details: { reason: 'files', entry: 'files/wp-content/uploads/2026/photo.jpg' } });
    const sameSize: ScriptOptions = { write: (p, body) => (p.endsWith('f3.php') ? Buffer.from('<?php // X') : body) };
    await expect(restore(site(sameSize))).rejects.toMatchObject({ details: { reason: 'files', entry: 'files/wp-content/plugins/akismet/f3.php' } });
    expect(treeSnapshot(live)).toEqual(before);
    expect(leftovers(live)).toEqual([]);
  });

  test('a missing live folder is created; a failure removes it again', async () => {
    const original = treeSnapshot(live);
    rmSync(join(home, 'public_html'), { recursive: true });
    await expect(restore(site({ failOn: { op: 'write', nth: 3 } }))).rejects.toMatchObject({ errcode: 'failed_filesystem_host' });
    expect(existsSync(join(home, 'public_html'))).toBe(false);
    const { swap } = await restore(site(), createReadStream(archive), []);
    await swap.commit();
    expect(treeSnapshot(live)).toEqual(original);
    expect(leftovers(live)).toEqual([]);
  });

  test.each([
    ['"..": a path leaving the folder', 'parent-path', { path: 'files/../../evil.php', body: Buffer.from('x') }],
    ['an absolute path', 'absolute-path', { path: '/etc/cron.d/evil', body: Buffer.from('x') }],
    ['a symlink leaving the files', 'link-outside', { path: 'files/up', type: 'SymbolicLink' as const, linkpath: '../../..' }],
  ])('an archive with %s is refused before anything reaches the website', async (_what, reason, entry) => {
    const before = treeSnapshot(live);
    const s = site();
    const evil = hostileArchive(record, [{ path: 'files/index.php', body: Buffer.from('<?php') }, entry]);
    await expect(restore(s, Readable.from([evil]))).rejects.toMatchObject({ errcode: 'failed_backup_format', details: expect.objectContaining({ reason }) });
    expect(s.changes).toEqual([]);
    expect(treeSnapshot(live)).toEqual(before);
  });

  test('symlinks onto a website without them (FTP) are refused before any change; sizes-only check reads nothing back', async () => {
    const ftp = site({ kind: 'ftp', features: { symlinks: false } });
    await expect(restore(ftp)).rejects.toMatchObject({ errcode: 'not_implemented' });
    expect(ftp.changes).toEqual([]);

    const sftp = site({ kind: 'sftp' });
    const { swap } = await restore(sftp);
    await swap.commit();
    expect(sftp.calls.filter((c) => c.op === 'read')).toEqual([]);
    expect(sftp.calls.filter((c) => c.op === 'write')).toHaveLength(15);
  });
});
