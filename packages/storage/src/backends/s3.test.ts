import { Readable } from 'node:stream';
import type { S3Location } from '../location-config';
import { openBackend } from '../open-backend';
import { runStorageConformance } from '../test/conformance';
import { expectStorageError, itRefusesBadOpens } from '../test/open-failures';
import { closedPort } from '../test/servers/free-port';
import { startS3Server, type S3TestServer } from '../test/servers/s3-server';
import { makeTempDir, removeTempDir } from '../test/temp-dir';
import { generatedStream } from '../test/test-streams';
import { partSizeFor } from './s3';

const MiB = 1024 * 1024;
// The SDK warns once per process that its 2027 releases will need Node 22 (known; noted in the package report).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const configFor = (server: S3TestServer, overrides: Partial<S3Location> = {}): S3Location => ({
  scheme: 's3',
  form: 'v2',
  accessKeyId: server.accessKeyId,
  secretAccessKey: server.secretAccessKey,
  endpoint: server.endpoint,
  endpointScheme: 'http',
  region: 'us-east-1',
  bucket: server.bucket,
  prefix: 'site backups',
  tlsVerify: true,
  ...overrides,
});

// 5 MiB parts so that the 20 MiB object and the aborted 16 MiB upload both go multipart.
runStorageConformance('s3 (s3rver, multipart)', async () => {
  const dir = await makeTempDir('s3');
  const server = await startS3Server(dir);
  const uri = `s3://${server.accessKeyId}:${server.secretAccessKey}@${server.endpoint}/us-east-1/${server.bucket}/site%20backups?endpoint_scheme=http`;
  return {
    backend: await openBackend(uri, { timeoutMs: 10_000, s3PartSizeBytes: 5 * MiB }),
    rawNames: () => server.rawNames(),
    cleanup: async () => {
      await server?.stop();
      await removeTempDir(dir);
    },
  };
});

describe('s3 backend specifics', () => {
  let dir: string;
  let server: S3TestServer;
  beforeAll(async () => {
    dir = await makeTempDir('s3-x');
    server = await startS3Server(dir);
  });
  afterAll(async () => {
    await server?.stop();
    await removeTempDir(dir);
  });

  itRefusesBadOpens({
    what: 'secret key',
    secret: 'wrong-secret-123',
    openWrong: () => openBackend(configFor(server, { secretAccessKey: 'wrong-secret-123' })),
    openClosedPort: async () => openBackend(configFor(server, { endpoint: `127.0.0.1:${await closedPort()}` })),
  });

  it('unknown access key → AUTH', async () => {
    expect((await expectStorageError(openBackend(configFor(server, { accessKeyId: 'NOBODY' })))).code).toBe('AUTH');
  });

  it('missing bucket → NOT_FOUND at open', async () => {
    expect((await expectStorageError(openBackend(configFor(server, { bucket: 'no-such-bucket' })))).code).toBe('NOT_FOUND');
  });

  it('an aborted multipart upload is aborted on the server', async () => {
    const b = await openBackend(configFor(server, { prefix: '' }), { s3PartSizeBytes: 5 * MiB });
    const controller = new AbortController();
    const body = generatedStream(20 * MiB, 4, { at: 12 * MiB, slow: true, onReached: () => controller.abort() });
    expect((await expectStorageError(b.put('big.bin', body, { signal: controller.signal }))).code).toBe('ABORTED');
    expect((await server.rawNames()).filter((n) => n.includes('.partial-'))).toEqual([]);
    expect(await b.stat('big.bin')).toBeNull();
    await b.close();
  });

  it('chooses part sizes S3 accepts', () => {
    expect(partSizeFor(undefined, 16 * MiB)).toBe(16 * MiB);
    expect(partSizeFor(1000, 1)).toBe(5 * MiB);
    expect(partSizeFor(200 * 1024 * MiB, 16 * MiB)).toBeGreaterThanOrEqual(Math.ceil((200 * 1024 * MiB) / 9999));
  });

  it('put of a small object is a single PUT and works with a folder-less location', async () => {
    const b = await openBackend(configFor(server, { prefix: '' }));
    await b.put('top.txt', Readable.from([Buffer.from('top')]));
    expect((await b.stat('top.txt'))?.size).toBe(3);
    await b.close();
  });
});
