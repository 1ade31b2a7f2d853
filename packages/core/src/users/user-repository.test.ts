import { ADMIN_SCOPE } from '../access/actor';
import { readTable } from '../testing/read-table';
import { createTempEngine, type TempEngine } from '../testing/temp-engine';

/** A remote website home whose user (`a@b`) and password (`p:a/ss%word@`) are URL-encoded, as spec §8.2 asks. */
const REMOTE_HOME = 'sftp://a%40b:p%3Aa%2Fss%25word%40@files.example:2222/home/alice';
const DB_PASS = 'DbPa55-xyz';

describe('websites at rest', () => {
  let t: TempEngine;
  beforeEach(async () => {
    t = await createTempEngine();
    await t.engine.users.create(ADMIN_SCOPE, {
      id: 'alice',
      websites: [
        { label: 'remote', path: REMOTE_HOME, vhosts: { 'alice.example': 'public_html' }, databases: [{ type: 'mysql', host: 'localhost', user: 'alice', name: 'alice_db', pass: DB_PASS }] },
        { label: 'local', path: '/srv/homes/alice', vhosts: { 'local.alice.example': 'public_html' } },
      ],
    });
  });
  afterEach(() => t.close());

  it('stores a URI home and database passwords encrypted; the service returns them exactly as given', async () => {
    const raw = (await readTable(t, 'websites')).map((r) => String(r.record)).join('\n');
    expect(raw).not.toContain('files.example');
    expect(raw).not.toContain('p%3Aa%2Fss%25word%40');
    expect(raw).not.toContain(DB_PASS);
    const [remote, local] = (await t.engine.users.get(ADMIN_SCOPE, 'alice')).websites;
    expect(remote.path).toBe(REMOTE_HOME);
    expect(remote.databases[0].pass).toBe(DB_PASS);
    // The URL-encoded user and password round-trip byte for byte, so they decode to what the owner typed.
    const url = new URL(remote.path);
    expect([decodeURIComponent(url.username), decodeURIComponent(url.password)]).toEqual(['a@b', 'p:a/ss%word@']);
    expect(local.path).toBe('/srv/homes/alice');
  });

  it('keeps a plain local home readable in the database (documented: it holds no credential)', async () => {
    const rows = (await readTable(t, 'websites')).map((r) => JSON.parse(String(r.record)) as { label: string; path: string });
    expect(rows.find((w) => w.label === 'local')?.path).toBe('/srv/homes/alice');
    expect(rows.find((w) => w.label === 'remote')?.path).toMatch(/^igenc:v1:/);
  });

  it('finds the website serving a URL from the opened home (no lookups on the sealed column)', async () => {
    const resolved = await t.engine.users.resolveUrl(ADMIN_SCOPE, 'alice', 'http://alice.example/blog');
    expect(resolved.path).toBe(`${REMOTE_HOME}/public_html/blog`);
  });

  it('an unchanged resend of the websites (v1) writes nothing; a change re-seals under the same row', async () => {
    const before = await readTable(t, 'websites');
    const current = (await t.engine.users.get(ADMIN_SCOPE, 'alice')).websites;
    await t.engine.users.upsertImplicit(ADMIN_SCOPE, 'alice', current.map((w) => ({ ...w })));
    expect(await readTable(t, 'websites')).toEqual(before);
    await t.engine.users.edit(ADMIN_SCOPE, 'alice', { websites: [{ id: current[0].id, databases: [{ pass: 'n3w-pass' }] }] }, { createIfMissing: false });
    const [remote] = (await t.engine.users.get(ADMIN_SCOPE, 'alice')).websites;
    expect(remote).toMatchObject({ path: REMOTE_HOME, databases: [{ pass: 'n3w-pass' }] });
    expect(JSON.stringify(await readTable(t, 'websites'))).not.toContain('n3w-pass');
  });

  it('keeps the secrets out of the activity log', async () => {
    expect(JSON.stringify(await readTable(t, 'logs'))).not.toMatch(/p%3Aa%2Fss%25word%40|DbPa55-xyz/);
  });
});
