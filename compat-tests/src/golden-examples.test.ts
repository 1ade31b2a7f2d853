import * as fs from 'node:fs';
import * as path from 'node:path';
import { toV1Data } from '@installgate/adapter-v1';
import { makeBackupRecord, makeInstallRecord } from '@installgate/core';
import type { Backup, Install } from '@installgate/contracts';
import { startHarness, type Harness } from './harness';

/**
 * The complete example responses of the seed pages (compat-tests/golden, parsed from shared/seeds with the
 * documented missing comma restored) are reproduced: same members, same value types, same values — in data 2.0
 * and, translated, in data 1.0.
 */
function golden(name: string): { [k: string]: unknown; data: Record<string, unknown> | Record<string, unknown>[] } {
  return JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'golden', `${name}.json`), 'utf8'));
}

function typeOf(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
}

/**
 * The seed record with the documented rulings applied (spec §9): `backup_time` is an integer (#10, the example
 * prints a string) and themes inside a v2 record say `activated` (#7, the example prints `active`).
 */
function applyRulings(seed: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...seed };
  if (typeof out.backup_time === 'string') out.backup_time = Number(out.backup_time);
  if (Array.isArray(out.themes)) {
    out.themes = (out.themes as Record<string, unknown>[]).map(({ active, ...t }) => ('activated' in t ? t : { ...t, activated: active }));
  }
  return out;
}

/** Every member of the seed is present with the same value type and value. */
function expectReproduces(actual: Record<string, unknown>, seed: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(seed)) {
    expect([k, typeOf(actual[k])]).toEqual([k, typeOf(v)]);
    expect([k, actual[k]]).toEqual([k, v]);
  }
}

let h: Harness;
beforeAll(async () => { h = await startHarness(); });
afterAll(async () => { await h.close(); });

describe('seed examples', () => {
  test('GET /backups/{id} (backups-view): envelope, members, types, values — v2 and v1', async () => {
    const seed = golden('backups-view');
    const rec = applyRulings(seed.data as Record<string, unknown>);
    const stored: Backup = { ...makeBackupRecord(), ...(rec as Partial<Backup>) };
    await h.engine.users.create({ actor: { kind: 'admin' } }, { id: 'useraccountname' });
    await h.engine.backups.insert(stored);
    // Exactly the seed's curl: POST with X-HTTP-Method-Override: GET.
    const r = await h.v2('post', `/backups/${stored.id}`).set('X-HTTP-Method-Override', 'GET').set('Accept', 'application/json');
    expect(r.status).toBe(200);
    expect(Object.keys(r.body)).toEqual(Object.keys(seed));
    expect({ ...r.body, data: undefined }).toEqual({ ...seed, data: undefined });
    expectReproduces(r.body.data, rec);

    const v1 = await h.v2('get', `/backups/${stored.id}`).set('X-API-Version', '1.0');
    const seedV1 = toV1Data('backup', rec) as Record<string, unknown>;
    // In v1 data, themes inside the record are `active` again, as the example prints them.
    expect(v1.body.data['list-themes']).toEqual((seed.data as { themes: unknown }).themes);
    expectReproduces(v1.body.data, seedV1);
    for (const k of ['list-files', 'list-tables', 'installer', 'cf-login', 'cf-sitetitle', 'time', 'time-updated', 'backup-filename']) expect(v1.body.data).toHaveProperty([k]);
    expect(v1.body.data.autoup).toBe(1);
    expect(v1.body.data['autoup-plugins']).toBe(0);
  });

  test('POST /installs/{id}/update example record: the same record through GET /installs/{id} and cmd=view', async () => {
    const seed = golden('installs-update');
    const rec = applyRulings(seed.data as Record<string, unknown>);
    const stored: Install = { ...makeInstallRecord(), ...(rec as Partial<Install>) };
    await h.engine.installs.insert(stored);
    const r = await h.v2('get', `/installs/${stored.id}`);
    expect(Object.keys(r.body)).toEqual(Object.keys(seed));
    expectReproduces(r.body.data, rec);
    const v1 = await h.v1({ cmd: 'view', id: stored.id });
    expectReproduces(v1.body.data, toV1Data('install', rec) as Record<string, unknown>);
  });

  test('POST /backups/import example record: list members and record types', async () => {
    const seed = golden('backups-import');
    const rec = applyRulings((seed.data as Record<string, unknown>[])[0]!);
    const r = await h.v2('get', `/backups?user=useraccountname`);
    // Envelope members of a list, in the example's order (plus `status`, which v2 always sends: spec §9 #14).
    expect(Object.keys(r.body)).toEqual(['result', 'status', ...Object.keys(seed).filter((k) => k !== 'result')]);
    expectReproduces(r.body.data[0], rec);
  });
});
