import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { releaseSha256 } from './release-checksum';

// The module object itself (the namespace import above has getters only), so that a spy on it is what the code calls.
const nodeFs = require('node:fs') as typeof fs;
const sha = (s: string) => createHash('sha256').update(s).digest('hex');
/** A clock far enough ahead that a file written just now counts as settled (remembered). */
const later = () => Date.now() + 60_000;

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(join(tmpdir(), 'ig-sum-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
afterEach(() => jest.restoreAllMocks());

describe('releaseSha256', () => {
  it('is the SHA-256 of the file, and a settled file is read once', async () => {
    const file = join(tmp, 'a.tar.gz');
    fs.writeFileSync(file, 'release one');
    const reads = jest.spyOn(nodeFs, 'createReadStream');
    expect(await releaseSha256(file, later)).toBe(sha('release one'));
    expect(await releaseSha256(file, later)).toBe(sha('release one'));
    expect(reads).toHaveBeenCalledTimes(1);
  });

  it('a file changed just before it was hashed is read again every time', async () => {
    const file = join(tmp, 'fresh.tar.gz');
    fs.writeFileSync(file, 'fresh');
    const reads = jest.spyOn(nodeFs, 'createReadStream');
    expect(await releaseSha256(file)).toBe(sha('fresh'));
    expect(await releaseSha256(file)).toBe(sha('fresh'));
    expect(reads).toHaveBeenCalledTimes(2);
  });

  it('a rewrite in place with the same size and the old mtime is noticed', async () => {
    const file = join(tmp, 'b.tar.gz');
    fs.writeFileSync(file, 'original');
    const { atime, mtime } = fs.statSync(file);
    expect(await releaseSha256(file, later)).toBe(sha('original'));
    const hashedCtime = fs.statSync(file, { bigint: true }).ctimeNs;
    // Kernels with coarse timestamps keep ctime for writes within one tick (in real use the settle rule covers
    // that: a remembered file is older than 2 s); here, rewrite until the kernel gives it a new ctime.
    do {
      fs.writeFileSync(file, 'tampered');
      fs.utimesSync(file, atime, mtime);
    } while (fs.statSync(file, { bigint: true }).ctimeNs === hashedCtime);
    expect(await releaseSha256(file, later)).toBe(sha('tampered'));
  });

  it('a file replaced by another (rename over it) is noticed', async () => {
    const file = join(tmp, 'c.tar.gz');
    fs.writeFileSync(file, 'first');
    expect(await releaseSha256(file, later)).toBe(sha('first'));
    fs.writeFileSync(join(tmp, 'c.new'), 'other');
    fs.renameSync(join(tmp, 'c.new'), file);
    expect(await releaseSha256(file, later)).toBe(sha('other'));
  });

  it('a missing file rejects with the fs error', async () => {
    await expect(releaseSha256(join(tmp, 'none.tar.gz'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
