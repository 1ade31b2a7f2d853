import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createWriteStream } from 'node:fs';
import { copySiteTree, downloadSiteTree, uploadTree } from '../site-fs/copy-site-tree';
import { readSmallFile } from '../site-fs/read-small-file';
import { removeSiteTree } from '../site-fs/remove-site-tree';
import { walkSiteTree } from '../site-fs/walk-site-tree';
import type { SiteFs } from '../site-fs/site-fs';
import { StorageError } from '../storage-error';
import { expectSiteError, type SiteFsSuiteContext } from './site-fs-conformance';
import { filesUnder, makeTempDir, removeTempDir } from './temp-dir';
import { generatedStream } from './test-streams';

/** A small website-like tree: nested folders, an empty one, odd names, modes, one file over a MiB. */
async function makeLocalTree(root: string, withLinks: boolean): Promise<void> {
  const put = async (rel: string, body: string, mode = 0o644): Promise<void> => {
    await fs.mkdir(path.dirname(path.join(root, rel)), { recursive: true });
    await fs.writeFile(path.join(root, rel), body, { mode });
    await fs.chmod(path.join(root, rel), mode);
  };
  await put('index.php', '<?php require "wp-blog-header.php";\n');
  await put('wp-includes/js/a.js', 'console.log(1);\n');
  await put('wp-includes/version.php', '<?php $wp_version = "6.8";\n');
  await put('dir with space/ünï cödé.txt', 'utf-8 names\n');
  await put('private.txt', 'secret-ish\n', 0o600);
  await put('bin/run.sh', '#!/bin/sh\n', 0o755);
  await fs.mkdir(path.join(root, 'wp-content/uploads'), { recursive: true });
  await pipeline(generatedStream(1536 * 1024, 4), createWriteStream(path.join(root, 'wp-content/big.bin')));
  if (withLinks) {
    await fs.symlink('wp-includes', path.join(root, 'latest'));
    await fs.symlink('../keepme', path.join(root, 'out'));
  }
}

/** uploadTree, walkSiteTree, downloadSiteTree and removeSiteTree (part of runSiteFsConformance). */
export function siteFsTreeTests(ctx: SiteFsSuiteContext): void {
  const { timeout } = ctx;
  let local = '';
  let back = '';
  beforeAll(async () => {
    local = await makeTempDir('sitefs-up');
    back = await makeTempDir('sitefs-down');
  });
  afterAll(async () => {
    await removeTempDir(local);
    await removeTempDir(back);
  });

  it('uploads a tree, walks it (folders first, links not followed), downloads it back identical, removes it', async () => {
    const s = ctx.site();
    const links = s.features.symlinks;
    await makeLocalTree(local, links);
    await s.mkdir(ctx.at('keepme'));
    await s.write(ctx.at('keepme/file'), 'must survive');

    const up = await uploadTree(local, s, ctx.at('tree'), { parallel: 4 });
    expect(up).toEqual({ files: 7, dirs: 6, symlinks: links ? 2 : 0, bytes: expect.any(Number) });

    const walked: string[] = [];
    for await (const { path: p, entry } of walkSiteTree(s, ctx.at('tree'))) walked.push(`${p}:${entry.type}`);
    const expected = ['bin:dir', 'bin/run.sh:file', 'dir with space:dir', 'dir with space/ünï cödé.txt:file', 'index.php:file'];
    expected.push(...(links ? ['latest:symlink', 'out:symlink'] : []));
    expected.push('private.txt:file', 'wp-content:dir', 'wp-content/big.bin:file', 'wp-content/uploads:dir');
    expected.push('wp-includes:dir', 'wp-includes/js:dir', 'wp-includes/js/a.js:file', 'wp-includes/version.php:file');
    expect(walked).toEqual(expected);

    const down = await downloadSiteTree(s, ctx.at('tree'), back);
    expect(down).toEqual({ files: 7, dirs: 6, symlinks: links ? 2 : 0, bytes: up.bytes });
    expect((await filesUnder(back)).sort()).toEqual((await filesUnder(local)).sort());
    await fs.access(path.join(back, 'wp-content/uploads')); // the empty folder too
    for (const rel of (await filesUnder(local)).filter((r) => !['latest', 'out'].includes(r))) {
      // Buffer.equals: jest's toEqual walks a MiB buffer byte by byte for seconds.
      expect({ rel, same: (await fs.readFile(path.join(back, rel))).equals(await fs.readFile(path.join(local, rel))) }).toEqual({ rel, same: true });
      if ((await s.stat(ctx.at(`tree/${rel}`)))?.mode !== null) {
        expect((await fs.stat(path.join(back, rel))).mode & 0o777).toBe((await fs.stat(path.join(local, rel))).mode & 0o777);
      }
    }
    if (links) expect(await fs.readlink(path.join(back, 'latest'))).toBe('wp-includes');

    if (links) {
      await removeSiteTree(s, ctx.at('tree/latest')); // the link alone, not what it points to
      expect((await s.stat(ctx.at('tree/wp-includes/version.php')))?.type).toBe('file');
    }
    await removeSiteTree(s, ctx.at('tree'));
    expect(await s.stat(ctx.at('tree'))).toBeNull();
    expect((await readSmallFile(s, ctx.at('keepme/file'))).toString()).toBe('must survive');
    await removeSiteTree(s, ctx.at('tree')); // missing: fine
  }, timeout * 2);

  it('uploadTree refuses symlinks on a site without them before uploading anything; honours an aborted signal', async () => {
    const s = ctx.site();
    const dir = await makeTempDir('sitefs-links');
    try {
      await fs.writeFile(path.join(dir, 'a.txt'), 'a');
      const aborted = new AbortController();
      aborted.abort();
      await expectSiteError(ctx, uploadTree(dir, s, ctx.at('aborted'), { signal: aborted.signal }), 'ABORTED');
      expect(await s.stat(ctx.at('aborted/a.txt'))).toBeNull();
      await fs.symlink('a.txt', path.join(dir, 'link'));
      if (s.features.symlinks) {
        await uploadTree(dir, s, ctx.at('links'));
        await uploadTree(dir, s, ctx.at('links')); // again: the link is replaced, not refused
        expect(await s.readlink(ctx.at('links/link'))).toBe('a.txt');
      } else {
        const err = await expectSiteError(ctx, uploadTree(dir, s, ctx.at('links')), 'PROTOCOL');
        expect(err.message).toMatch(/symlink/);
        expect(await s.stat(ctx.at('links'))).toBeNull();
      }
    } finally {
      await removeTempDir(dir);
    }
  }, timeout);

  it('walkSiteTree prunes without listing what it prunes; copySiteTree copies site to site; a failed copy ends before it rejects', async () => {
    const s = ctx.site();
    const src = await makeTempDir('sitefs-copy');
    try {
      await makeLocalTree(src, false);
      await uploadTree(src, s, ctx.at('copy-src'));
      const listed: string[] = [];
      // The real SiteFs, with its listings recorded: a pruned folder must cost no request.
      const watched: SiteFs = Object.assign(Object.create(s) as SiteFs, { list: (d: string) => (listed.push(d), s.list(d)) });
      const seen: string[] = [];
      for await (const { path: p } of walkSiteTree(watched, ctx.at('copy-src'), { prune: (p) => p === 'wp-includes' || p === 'index.php' })) seen.push(p);
      expect(seen).toEqual(['bin', 'bin/run.sh', 'dir with space', 'dir with space/ünï cödé.txt', 'private.txt', 'wp-content', 'wp-content/big.bin', 'wp-content/uploads']);
      expect(listed.filter((d) => d.includes('wp-includes'))).toEqual([]);

      const copied = await copySiteTree(s, ctx.at('copy-src'), s, ctx.at('copy-dest/deeper'), { parallel: 3 });
      expect(copied).toEqual({ files: 7, dirs: 6, symlinks: 0, bytes: expect.any(Number) });
      const names = async (dir: string): Promise<string[]> => {
        const out: string[] = [];
        for await (const { path: p, entry } of walkSiteTree(s, dir)) out.push(`${p}:${entry.type}:${entry.type === 'file' ? entry.size : ''}`);
        return out;
      };
      expect(await names(ctx.at('copy-dest/deeper'))).toEqual(await names(ctx.at('copy-src')));
      expect((await readSmallFile(s, ctx.at('copy-dest/deeper/index.php'))).toString()).toContain('wp-blog-header');

      // A file where a folder must go: the copy fails, and once it rejected nothing of it is still running, so
      // the partial copy can be removed at once and stays removed.
      await s.mkdir(ctx.at('copy-clash'));
      await s.write(ctx.at('copy-clash/wp-includes'), 'not a folder');
      await expect(copySiteTree(s, ctx.at('copy-src'), s, ctx.at('copy-clash'), { parallel: 4 })).rejects.toBeInstanceOf(StorageError);
      await removeSiteTree(s, ctx.at('copy-clash'));
      expect(await s.stat(ctx.at('copy-clash'))).toBeNull();
      expect((await s.list(ctx.base())).map((e) => e.name)).not.toContain('copy-clash');
      await removeSiteTree(s, ctx.at('copy-src'), 2);
      await removeSiteTree(s, ctx.at('copy-dest'), 2);
      expect(await s.stat(ctx.at('copy-dest'))).toBeNull();
    } finally {
      await removeTempDir(src);
    }
  }, timeout * 2);

  it('walkSiteTree of a missing folder rejects with NOT_FOUND', async () => {
    const walk = async (): Promise<void> => {
      for await (const _item of walkSiteTree(ctx.site(), ctx.at('no-such-tree'))) throw new Error('nothing to walk');
    };
    await expectSiteError(ctx, walk(), 'NOT_FOUND');
  }, timeout);
}
