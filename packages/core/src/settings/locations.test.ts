import { ADMIN_SCOPE } from '../access/actor';
import { readTable } from '../testing/read-table';
import { createTempEngine, type TempEngine } from '../testing/temp-engine';
import { errcodeOf, seedAccounts } from '../testing/test-accounts';

describe('backup locations', () => {
  let t: TempEngine;
  let s: Awaited<ReturnType<typeof seedAccounts>>;
  beforeEach(async () => {
    t = await createTempEngine();
    s = await seedAccounts(t.engine);
  });
  afterEach(() => t.close());

  it('lists the built-in local location as the default when nothing else is stored', async () => {
    expect(await t.engine.locations.list(ADMIN_SCOPE)).toEqual([
      { id: 'local', name: "Local (the user's account)", desc: '', uri: 'local', scope: 'user', enabled: true, default: true, user: '' },
    ]);
  });

  it('shows stored locations by scope, masks credentials, and moves the default', async () => {
    const { locations } = t.engine;
    const shared = await locations.insert({ id: 'shared1', name: 'Shared SFTP', uri: 'sftp://bk:Pw%40123@backup.example:22/store', scope: 'user' });
    await locations.insert({ id: 'r1only', name: 'R1 S3', uri: 's3://AKIA:Secret/Key@s3.example/eu/bucket/p', user: 'r1', default: true });
    expect(shared.uri).toBe('sftp://bk:*****@backup.example:22/store');

    const list = async (scope = ADMIN_SCOPE, user?: string) => (await locations.list(scope, { user })).map((l) => `${l.id}:${l.default}`);
    expect(await list()).toEqual(['local:false', 'r1only:true', 'shared1:false']);
    expect(await list(s.r1)).toEqual(['local:false', 'r1only:true', 'shared1:false']);
    expect(await list(s.u1)).toEqual(['local:true', 'shared1:false']);
    expect(await list(ADMIN_SCOPE, 'u1')).toEqual(['local:true', 'shared1:false']);
    expect(await errcodeOf(locations.list(s.u1, { user: 'u2' }))).toBe('invalid_argument_user');
    const all = JSON.stringify(await locations.list(ADMIN_SCOPE));
    expect(all).not.toMatch(/Pw%40123|Secret\/Key/);

    // Stored encrypted, the whole URI; only `withSecrets` reveals it.
    const stored = (await readTable(t, 'backup_locations')).map((r) => String(r.uri));
    expect(stored.every((uri) => uri.startsWith('igenc:v1:'))).toBe(true);
    expect(stored.join('\n')).not.toMatch(/Pw%40123|Secret\/Key|backup\.example|AKIA/);
    expect((await locations.get('shared1')).uri).toBe('sftp://bk:*****@backup.example:22/store');
    expect((await locations.get('shared1', { withSecrets: true })).uri).toBe('sftp://bk:Pw%40123@backup.example:22/store');
    expect((await locations.get('local')).id).toBe('local');
    expect(await errcodeOf(locations.get('nope'))).toBe('location_not_found');
  });

  it('validates inserts', async () => {
    const { locations } = t.engine;
    expect(await errcodeOf(locations.insert({ id: 'local', name: 'x', uri: 'ftp://h/' }))).toBe('invalid_argument_id');
    expect(await errcodeOf(locations.insert({ name: '', uri: 'ftp://h/' }))).toBe('invalid_argument_name');
    expect(await errcodeOf(locations.insert({ name: 'x', uri: 'not a uri' }))).toBe('invalid_argument_uri');
    expect((await locations.insert({ name: 'x', uri: 'ftp://h/' })).id).toMatch(/^[a-z0-9]{25}$/);
  });
});
