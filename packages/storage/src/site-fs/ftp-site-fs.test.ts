import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { openSiteFs } from './open-site-fs';
import { runSiteFsConformance } from '../test/site-fs-conformance';
import { startFtpServer } from '../test/servers/ftp-server';
import { testCertificate } from '../test/servers/self-signed';
import { makeTempDir, removeTempDir } from '../test/temp-dir';

/** Every character URL-encoding and URI splitting care about. */
const PASSWORD = 'p@ss:w%rd/#?x';

async function served(tls: boolean) {
  const dir = await makeTempDir(tls ? 'sitefs-ftps' : 'sitefs-ftp');
  await fs.mkdir(path.join(dir, 'public_html'));
  const server = await startFtpServer({ root: dir, password: PASSWORD, tls: tls ? await testCertificate() : undefined });
  const cleanup = async (): Promise<void> => {
    await server.stop();
    await removeTempDir(dir);
  };
  return { dir, server, cleanup };
}

runSiteFsConformance('ftp (ftp-srv)', async () => {
  const { server, cleanup } = await served(false);
  return { home: `ftp://${server.username}:${encodeURIComponent(PASSWORD)}@127.0.0.1:${server.port}/public_html`, opts: { timeoutMs: 10_000 }, cleanup };
});

runSiteFsConformance('ftps (ftp-srv, explicit TLS)', async () => {
  const { server, cleanup } = await served(true);
  return {
    home: `ftps://${server.username}:${encodeURIComponent(PASSWORD)}@127.0.0.1:${server.port}/public_html?tls_verify=0`,
    opts: { timeoutMs: 10_000 },
    cleanup,
  };
});

describe('FtpSiteFs specifics', () => {
  it('ftps with certificate verification refuses a self-signed server → CONNECT, not retryable; no path = the login folder', async () => {
    const { dir, server, cleanup } = await served(true);
    try {
      const userinfo = `${server.username}:${encodeURIComponent(PASSWORD)}`;
      const err = await openSiteFs(`ftps://${userinfo}@127.0.0.1:${server.port}/public_html`).catch((e: unknown) => e as { code: string; retryable: boolean });
      expect(err).toMatchObject({ code: 'CONNECT', retryable: false });
      const site = await openSiteFs(`ftp://${userinfo}@127.0.0.1:${server.port}`);
      expect(site.label).toBe(`ftp://${server.username}@127.0.0.1:${server.port}/`);
      await site.write('top.txt', 'top');
      await site.close();
      expect(await fs.readFile(path.join(dir, 'top.txt'), 'utf8')).toBe('top');
    } finally {
      await cleanup();
    }
  });
});
