import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { formatLocationUri } from '../format-location-uri';
import type { SftpLocation } from '../location-config';
import { openBackend } from '../open-backend';
import { withRetry } from '../with-retry';
import { runStorageConformance } from '../test/conformance';
import { expectStorageError, itRefusesBadOpens } from '../test/open-failures';
import { closedPort } from '../test/servers/free-port';
import { startSftpServer, type SftpTestServer } from '../test/servers/sftp-server';
import { filesUnder, makeTempDir, removeTempDir } from '../test/temp-dir';
import { readAll } from '../test/test-streams';

const configFor = (server: SftpTestServer, overrides: Partial<SftpLocation> = {}): SftpLocation => ({
  scheme: 'sftp',
  uriScheme: 'sftp',
  host: server.host,
  port: server.port,
  username: server.username,
  password: server.password,
  keyAuth: false,
  path: '/backups',
  ...overrides,
});

runStorageConformance('sftp (ssh2 Server, password)', async () => {
  const dir = await makeTempDir('sftp');
  const server = await startSftpServer({ root: dir });
  const uri = formatLocationUri(configFor(server), { withSecrets: true });
  return {
    backend: await openBackend(uri),
    rawNames: () => filesUnder(dir),
    cleanup: async () => {
      await server?.stop();
      await removeTempDir(dir);
    },
  };
});

describe('sftp backend specifics', () => {
  let dir: string;
  let server: SftpTestServer;
  beforeAll(async () => {
    dir = await makeTempDir('sftp-x');
    server = await startSftpServer({ root: dir });
  });
  afterAll(async () => {
    await server?.stop();
    await removeTempDir(dir);
  });

  itRefusesBadOpens({
    what: 'password',
    secret: 'wrong-password-123',
    openWrong: () => openBackend(configFor(server, { password: 'wrong-password-123' })),
    openClosedPort: async () => openBackend(configFor(server, { port: await closedPort() })),
  });

  it('key auth: ssh://user:public-key@host with a key file', async () => {
    const keyFile = path.join(dir, 'id_ed25519');
    await fs.writeFile(keyFile, server.clientPrivateKey, { mode: 0o600 });
    const b = await openBackend(`ssh://${server.username}:public-key@127.0.0.1:${server.port}/keyed`, { sshPrivateKeyPath: keyFile });
    await b.put('k.txt', Readable.from([Buffer.from('by key')]));
    expect((await readAll(await b.get('k.txt'))).toString()).toBe('by key');
    await b.close();
    const noKey = await expectStorageError(openBackend(`ssh://${server.username}:public-key@127.0.0.1:${server.port}/keyed`));
    expect(noKey.code).toBe('AUTH');
  });

  it('checks the host key when a fingerprint is configured', async () => {
    const good = await openBackend(configFor(server, { hostKeySha256: server.hostKeySha256 }));
    await good.close();
    const err = await expectStorageError(openBackend(configFor(server, { hostKeySha256: 'SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' })));
    expect(err.code).toBe('CONNECT');
    expect(err.retryable).toBe(false);
  });

  it('reconnects after the server dropped the connection', async () => {
    const first = await startSftpServer({ root: dir });
    const b = await openBackend(configFor(first, { path: '/reconnect' }));
    await b.put('a.txt', Readable.from([Buffer.from('1')]));
    await first.stop(); // ends every connection
    const second = await startSftpServer({ root: dir, port: first.port, username: first.username, password: first.password });
    try {
      // The first call may still meet the dead session (CONNECT, retryable); withRetry then reconnects.
      const info = await withRetry(b, { baseDelayMs: 10 }).stat('a.txt');
      expect(info?.size).toBe(1);
    } finally {
      await b.close();
      await second.stop();
    }
  });
});
