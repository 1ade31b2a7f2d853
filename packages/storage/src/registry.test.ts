import { Readable } from 'node:stream';
import { localBackendFactory } from './backends/local';
import { createDefaultRegistry, openBackend } from './open-backend';
import { BackendRegistry } from './registry';
import { makeTempDir, removeTempDir } from './test/temp-dir';

describe('BackendRegistry', () => {
  it('registers the five built-in backends', () => {
    expect(createDefaultRegistry().schemes().sort()).toEqual(['ftp', 'local', 's3', 'sftp', 'webdav']);
  });

  it('refuses a duplicate registration', () => {
    const registry = new BackendRegistry([localBackendFactory]);
    expect(() => registry.register(localBackendFactory)).toThrow(/already registered/);
  });

  it('rejects a scheme nobody registered', async () => {
    await expect(new BackendRegistry().open({ scheme: 'ftp' } as never)).rejects.toThrow(/no storage backend/);
  });

  it('openBackend takes a custom registry, a URI or a config', async () => {
    const dir = await makeTempDir('registry');
    try {
      const registry = new BackendRegistry([localBackendFactory]);
      const b = await openBackend({ scheme: 'local', path: dir }, { registry });
      await b.put('x', Readable.from([Buffer.from('x')]));
      expect((await b.stat('x'))?.size).toBe(1);
      await b.close();
      await expect(openBackend('ftp://u:p@127.0.0.1:1/d', { registry })).rejects.toThrow(/no storage backend/);
      await expect(openBackend('gdrive://google:tok@drive.google.com')).rejects.toMatchObject({ reason: 'oauth_required' });
    } finally {
      await removeTempDir(dir);
    }
  });
});
