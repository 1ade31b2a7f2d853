import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { downloadTree } from './download-tree';
import { openBackend } from './open-backend';
import { startFtpServer } from './test/servers/ftp-server';
import { startSftpServer } from './test/servers/sftp-server';
import { filesUnder, makeTempDir, removeTempDir } from './test/temp-dir';

/** A small site tree, with a nested folder, an empty file and a file larger than one transfer chunk. */
async function makeTree(root: string): Promise<Record<string, Buffer>> {
  const files: Record<string, Buffer> = {
    'index.php': Buffer.from('<?php echo 1;'),
    'wp-content/uploads/2026/11/photo.bin': Buffer.alloc(700 * 1024, 7),
    'wp-content/empty.txt': Buffer.alloc(0),
    'sub dir/ünïcode.txt': Buffer.from('naïve'),
  };
  for (const [k, v] of Object.entries(files)) {
    await fs.mkdir(path.dirname(path.join(root, 'site', k)), { recursive: true });
    await fs.writeFile(path.join(root, 'site', k), v);
  }
  return files;
}

describe.each([
  ['sftp', async (root: string) => { const s = await startSftpServer({ root }); return { uri: `sftp://${s.username}:${encodeURIComponent(s.password)}@${s.host}:${s.port}/site`, stop: () => s.stop() }; }],
  ['ftp', async (root: string) => { const s = await startFtpServer({ root }); return { uri: `ftp://${s.username}:${encodeURIComponent(s.password)}@${s.host}:${s.port}/site`, stop: () => s.stop() }; }],
])('downloadTree over %s', (_name, start) => {
  it('copies the whole folder tree byte for byte, skipping what it is told to', async () => {
    const dir = await makeTempDir('tree');
    await fs.mkdir(path.join(dir, 'remote'), { recursive: true });
    const server = await start(path.join(dir, 'remote'));
    try {
      const files = await makeTree(path.join(dir, 'remote'));
      await fs.writeFile(path.join(dir, 'remote', 'site', 'helper.php'), 'skip me');
      const backend = await openBackend(server.uri);
      const progress: number[] = [];
      const r = await downloadTree(backend, path.join(dir, 'local'), { skip: (k) => k === 'helper.php', onProgress: (d) => progress.push(d) });
      await backend.close();
      expect(r.keys.sort()).toEqual(Object.keys(files).sort());
      expect((await filesUnder(path.join(dir, 'local'))).sort()).toEqual(Object.keys(files).sort());
      for (const [k, v] of Object.entries(files)) expect((await fs.readFile(path.join(dir, 'local', k))).equals(v)).toBe(true);
      expect(r.bytes).toBe(Object.values(files).reduce((n, b) => n + b.length, 0));
      expect(progress[progress.length - 1]).toBe(r.bytes);
    } finally {
      await server.stop();
      await removeTempDir(dir);
    }
  });
});
