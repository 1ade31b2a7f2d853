import { Readable } from 'node:stream';
import type { WebdavLocation } from '../location-config';
import { openBackend } from '../open-backend';
import { runStorageConformance } from '../test/conformance';
import { expectStorageError, itRefusesBadOpens } from '../test/open-failures';
import { closedPort } from '../test/servers/free-port';
import { testCertificate } from '../test/servers/self-signed';
import { startWebdavServer, type WebdavTestServer } from '../test/servers/webdav-server';
import { filesUnder, makeTempDir, removeTempDir } from '../test/temp-dir';
import { readAll } from '../test/test-streams';
import { parseMultistatus } from './webdav-multistatus';

const configFor = (server: WebdavTestServer, overrides: Partial<WebdavLocation> = {}): WebdavLocation => ({
  scheme: 'webdav',
  tls: false,
  host: server.host,
  port: server.port,
  username: server.username,
  password: server.password,
  path: '/backups',
  tlsVerify: true,
  ...overrides,
});

runStorageConformance('webdav (webdav-server v2)', async () => {
  const dir = await makeTempDir('webdav');
  const server = await startWebdavServer({ root: dir });
  const uri = `webdav://${server.username}:${encodeURIComponent(server.password)}@127.0.0.1:${server.port}/backups`;
  return {
    backend: await openBackend(uri, { timeoutMs: 10_000 }),
    rawNames: () => filesUnder(dir),
    cleanup: async () => {
      await server?.stop();
      await removeTempDir(dir);
    },
  };
});

describe('webdav backend specifics', () => {
  let dir: string;
  let server: WebdavTestServer;
  let tlsServer: WebdavTestServer;
  beforeAll(async () => {
    dir = await makeTempDir('webdav-x');
    server = await startWebdavServer({ root: dir });
    tlsServer = await startWebdavServer({ root: dir, tls: await testCertificate() });
  });
  afterAll(async () => {
    await server?.stop();
    await tlsServer.stop();
    await removeTempDir(dir);
  });

  itRefusesBadOpens({
    what: 'password',
    secret: 'wrong-password-123',
    openWrong: () => openBackend(configFor(server, { password: 'wrong-password-123' })),
    openClosedPort: async () => openBackend(configFor(server, { port: await closedPort() })),
  });

  it('webdavs: round trip over https; an unverifiable certificate → CONNECT, not retryable', async () => {
    const uri = `webdavs://${tlsServer.username}:${encodeURIComponent(tlsServer.password)}@127.0.0.1:${tlsServer.port}/secure?tls_verify=0`;
    const b = await openBackend(uri);
    await b.put('s/x.txt', Readable.from([Buffer.from('over tls')]));
    expect((await readAll(await b.get('s/x.txt'))).toString()).toBe('over tls');
    await b.close();
    const err = await expectStorageError(openBackend(configFor(tlsServer, { tls: true, tlsVerify: true })));
    expect(err.code).toBe('CONNECT');
    expect(err.retryable).toBe(false);
  });

  it('parses multistatus bodies with any namespace prefix and absolute hrefs', () => {
    const xml = `<?xml version="1.0"?><multistatus xmlns="DAV:" xmlns:lp1="DAV:">
      <response><href>http://h:8080/b/a%20b/</href><propstat><prop><lp1:resourcetype><collection/></lp1:resourcetype></prop></propstat></response>
      <response><href>/b/a%20b/f&amp;1.txt</href><propstat><prop><resourcetype/><getcontentlength>12</getcontentlength>
      <getlastmodified>Tue, 01 Jul 2025 10:00:00 GMT</getlastmodified></prop><status>HTTP/1.1 200 OK</status></propstat>
      <propstat><prop><quota/></prop><status>HTTP/1.1 404 Not Found</status></propstat></response></multistatus>`;
    expect(parseMultistatus(xml)).toEqual([
      { path: '/b/a b', isCollection: true, size: 0, mtime: new Date(0) },
      { path: '/b/a b/f&1.txt', isCollection: false, size: 12, mtime: new Date('2025-07-01T10:00:00Z') },
    ]);
  });
});
