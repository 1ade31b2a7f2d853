import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { LocalSiteFs } from './local-site-fs';
import { openSiteFs } from './open-site-fs';
import { SiteBackend } from './site-backend';
import { runStorageConformance } from '../test/conformance';
import { startFtpServer } from '../test/servers/ftp-server';
import { startSftpServer } from '../test/servers/sftp-server';
import { filesUnder, makeTempDir, removeTempDir } from '../test/temp-dir';
import { readAll } from '../test/test-streams';

/** A website's `path_backups` as a backup location: the one suite every backend passes, over each kind of website. */
runStorageConformance('website folder (LocalSiteFs)', async () => {
  const dir = await makeTempDir('site-backend-local');
  return {
    backend: new SiteBackend(new LocalSiteFs(dir), 'application_backups'),
    rawNames: () => filesUnder(dir),
    cleanup: () => removeTempDir(dir),
  };
});

/** A website on a test file server (its home = the server's root folder `home`), its path_backups as the location. */
async function onServer(label: string, start: (dir: string) => Promise<{ username: string; password: string; port: number; stop(): Promise<void> }>, scheme: 'sftp' | 'ftp', home: string) {
  const dir = await makeTempDir(label);
  await fs.mkdir(path.join(dir, 'home'), { recursive: true });
  const server = await start(dir);
  const site = await openSiteFs(`${scheme}://${server.username}:${encodeURIComponent(server.password)}@127.0.0.1:${server.port}${home}`);
  return {
    backend: new SiteBackend(site, 'application_backups'),
    rawNames: () => filesUnder(dir),
    cleanup: async () => {
      await server.stop();
      await removeTempDir(dir);
    },
  };
}

runStorageConformance('website folder (SFTP)', () => onServer('site-backend-sftp', (root) => startSftpServer({ root }), 'sftp', '/home'), { largeSize: 4 * 1024 * 1024 });
runStorageConformance('website folder (FTP)', () => onServer('site-backend-ftp', (root) => startFtpServer({ root }), 'ftp', '/home'), { largeSize: 4 * 1024 * 1024 });

describe('SiteBackend specifics', () => {
  it('keeps the website open when told so, never follows a symlinked folder, makes its root on the first put', async () => {
    const dir = await makeTempDir('site-backend-x');
    try {
      const site = new LocalSiteFs(dir);
      const b = new SiteBackend(site, 'deep/backups', { closeSite: false });
      await b.put('a.tar.gz', Readable.from([Buffer.from('archive')]));
      expect(await fs.readFile(path.join(dir, 'deep/backups/a.tar.gz'), 'utf8')).toBe('archive');
      await fs.mkdir(path.join(dir, 'elsewhere'));
      await fs.writeFile(path.join(dir, 'elsewhere', 'x.tar.gz'), 'secret');
      await fs.symlink(path.join(dir, 'elsewhere'), path.join(dir, 'deep/backups/link'));
      expect(await b.stat('link/x.tar.gz')).toBeNull();
      await expect(b.get('link/x.tar.gz')).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(b.put('link/y.tar.gz', Readable.from([Buffer.from('y')]))).rejects.toMatchObject({ code: 'PERMISSION' });
      expect(await fs.readdir(path.join(dir, 'elsewhere'))).toEqual(['x.tar.gz']);
      await b.close();
      expect((await readAll(await new SiteBackend(site, 'deep/backups').get('a.tar.gz'))).toString()).toBe('archive');
    } finally {
      await removeTempDir(dir);
    }
  });
});
