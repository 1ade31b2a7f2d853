import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { readSmallFile } from './read-small-file';
import { openSiteFs } from './open-site-fs';
import { runSiteFsConformance } from '../test/site-fs-conformance';
import { startSftpServer, type SftpTestServer } from '../test/servers/sftp-server';
import { makeTempDir, removeTempDir } from '../test/temp-dir';

/** Every character URL-encoding and URI splitting care about. */
const PASSWORD = 'p@ss:w%rd/#?x';

async function served(): Promise<{ dir: string; server: SftpTestServer; cleanup(): Promise<void> }> {
  const dir = await makeTempDir('sitefs-sftp');
  await fs.mkdir(path.join(dir, 'home', 'site'), { recursive: true });
  const server = await startSftpServer({ root: dir, password: PASSWORD });
  return {
    dir,
    server,
    cleanup: async () => {
      await server.stop();
      await removeTempDir(dir);
    },
  };
}

runSiteFsConformance('sftp (ssh2 Server, password)', async () => {
  const { server, cleanup } = await served();
  return { home: `sftp://${server.username}:${encodeURIComponent(PASSWORD)}@127.0.0.1:${server.port}/home/site`, cleanup };
});

runSiteFsConformance('ssh (ssh2 Server, public-key)', async () => {
  const { dir, server, cleanup } = await served();
  const keyFile = path.join(dir, 'id_ed25519');
  await fs.writeFile(keyFile, server.clientPrivateKey, { mode: 0o600 });
  return { home: `ssh://${server.username}:public-key@127.0.0.1:${server.port}/home/site`, opts: { sshPrivateKeyPath: keyFile }, cleanup };
});

describe('SftpSiteFs specifics', () => {
  let ctx: Awaited<ReturnType<typeof served>>;
  beforeAll(async () => {
    ctx = await served();
  });
  afterAll(() => ctx.cleanup());

  it('a URI without a path is the login folder; the label keeps the user and drops the password', async () => {
    const site = await openSiteFs(`sftp://${ctx.server.username}:${encodeURIComponent(PASSWORD)}@127.0.0.1:${ctx.server.port}`);
    try {
      expect(site.label).toBe(`sftp://${ctx.server.username}@127.0.0.1:${ctx.server.port}/`);
      await site.write('at-login.txt', 'here');
      expect(await fs.readFile(path.join(ctx.dir, 'at-login.txt'), 'utf8')).toBe('here');
      expect((await readSmallFile(site, 'at-login.txt')).toString()).toBe('here');
    } finally {
      await site.close();
    }
  });

  it('keeps working after the server dropped the connection (reconnects on the next call)', async () => {
    const first = await startSftpServer({ root: ctx.dir, password: PASSWORD });
    const site = await openSiteFs(`sftp://${first.username}:${encodeURIComponent(PASSWORD)}@127.0.0.1:${first.port}/home/site`);
    await site.write('r.txt', '1');
    await first.stop();
    const second = await startSftpServer({ root: ctx.dir, port: first.port, username: first.username, password: PASSWORD });
    try {
      // The first call may still meet the dead session (CONNECT); the next one reconnects.
      const stat = await site.stat('r.txt').catch(() => site.stat('r.txt'));
      expect(stat?.size).toBe(1);
    } finally {
      await site.close();
      await second.stop();
    }
  });
});
