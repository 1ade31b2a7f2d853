import { Readable } from 'node:stream';
import type { FtpLocation } from '../location-config';
import { openBackend } from '../open-backend';
import { runStorageConformance } from '../test/conformance';
import { expectStorageError, itRefusesBadOpens } from '../test/open-failures';
import { closedPort } from '../test/servers/free-port';
import { startFtpServer, type FtpTestServer } from '../test/servers/ftp-server';
import { testCertificate } from '../test/servers/self-signed';
import { filesUnder, makeTempDir, removeTempDir } from '../test/temp-dir';
import { readAll } from '../test/test-streams';
import { parseListDate } from './ftp';

const configFor = (server: FtpTestServer, overrides: Partial<FtpLocation> = {}): FtpLocation => ({
  scheme: 'ftp',
  tls: false,
  host: server.host,
  port: server.port,
  username: server.username,
  password: server.password,
  path: '/backups',
  tlsVerify: true,
  ...overrides,
});

runStorageConformance('ftp (ftp-srv)', async () => {
  const dir = await makeTempDir('ftp');
  const server = await startFtpServer({ root: dir });
  const uri = `ftp://${server.username}:${encodeURIComponent(server.password)}@127.0.0.1:${server.port}/backups`;
  return {
    backend: await openBackend(uri, { timeoutMs: 10_000 }),
    rawNames: () => filesUnder(dir),
    cleanup: async () => {
      await server?.stop();
      await removeTempDir(dir);
    },
  };
});

runStorageConformance('ftps (ftp-srv, explicit TLS)', async () => {
  const dir = await makeTempDir('ftps');
  const server = await startFtpServer({ root: dir, tls: await testCertificate() });
  const uri = `ftps://${server.username}:${encodeURIComponent(server.password)}@127.0.0.1:${server.port}/backups?tls_verify=0`;
  return {
    backend: await openBackend(uri, { timeoutMs: 10_000 }),
    rawNames: () => filesUnder(dir),
    cleanup: async () => {
      await server?.stop();
      await removeTempDir(dir);
    },
  };
});

describe('ftp backend specifics', () => {
  let dir: string;
  let server: FtpTestServer;
  beforeAll(async () => {
    dir = await makeTempDir('ftp-x');
    server = await startFtpServer({ root: dir, tls: await testCertificate() });
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

  it('ftps refuses a certificate it cannot verify → CONNECT, not retryable', async () => {
    const err = await expectStorageError(openBackend(configFor(server, { tls: true, tlsVerify: true })));
    expect(err.code).toBe('CONNECT');
    expect(err.retryable).toBe(false);
  });

  it('plain ftp works against a server that also offers TLS', async () => {
    const b = await openBackend(configFor(server));
    await b.put('plain.txt', Readable.from([Buffer.from('plain')]));
    expect((await readAll(await b.get('plain.txt'))).toString()).toBe('plain');
    await b.close();
  });

  it('reads LIST dates of both ls forms', () => {
    const now = new Date(Date.UTC(2025, 0, 10));
    const info = (raw: string) => ({ rawModifiedAt: raw }) as Parameters<typeof parseListDate>[0];
    expect(parseListDate(info('Jan 05 12:34'), now).toISOString()).toBe('2025-01-05T12:34:00.000Z');
    expect(parseListDate(info('Dec 24 08:00'), now).toISOString()).toBe('2024-12-24T08:00:00.000Z');
    expect(parseListDate(info('Mar 01  2020'), now).toISOString()).toBe('2020-03-01T00:00:00.000Z');
    expect(parseListDate(info('garbage'), now).getTime()).toBe(0);
  });
});
