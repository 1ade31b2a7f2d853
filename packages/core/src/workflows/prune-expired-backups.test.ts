import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ensureMirror } from '@installgate/testkit';
import { ADMIN_SCOPE } from '../access/actor';
import { createTempEngine, TEMP_ENGINE_START, type TempEngine } from '../testing/temp-engine';

/**
 * Expiry (v1 `backup` expiry: never / auto / N days) under a clock the test moves: a pass deletes exactly the
 * backups whose time has come, archive and record; `never` stays; files at the location the engine did not
 * record stay.
 */
jest.setTimeout(60_000);

const APPS = path.resolve(__dirname, '..', '..', '..', '..', 'apps');
const DAY = 86_400;
let t: TempEngine;
let homes: string;
let installId: string;
const scope = { actor: { kind: 'account' as const, id: 'gus', type: 'user' as const } };

beforeAll(async () => {
  homes = fs.mkdtempSync(path.join(os.tmpdir(), 'ig-prune-'));
  t = await createTempEngine({ settings: { homesRoot: homes, appsDir: APPS, mirrorDir: await ensureMirror() } });
  await t.engine.users.create(ADMIN_SCOPE, { id: 'gus', email: 'gus@example.test', websites: [{ vhosts: { 'http://gus.test': 'public_html' } }] });
  const r = await t.engine.apps.install(scope, { application: 'testapp-static', url: 'http://gus.test/site', sitetitle: 'Expiring' }, { background: false, dryrun: 'none' });
  installId = r.data!.id;
});
afterAll(async () => {
  await t?.close();
  fs.rmSync(homes, { recursive: true, force: true });
});

test('a pass deletes the backups whose expiry passed, and only those', async () => {
  const backup = async (expiry: 'never' | 'auto' | number, at: number) => {
    t.setNow(at);
    const r = await t.engine.apps.backup(scope, installId, { expiry }, { background: false, dryrun: 'none' });
    return r.data!;
  };
  const start = TEMP_ENGINE_START;
  const never = await backup('never', start);
  const in2 = await backup(2, start + 1);
  const auto = await backup('auto', start + 2); // 14 days
  const folder = path.join(homes, 'gus', 'application_backups');
  fs.writeFileSync(path.join(folder, 'app_customer-copy.tar.gz'), 'not ours');
  expect(fs.readdirSync(folder)).toHaveLength(4);

  t.setNow(start + 2 * DAY);
  expect(await t.engine.apps.pruneExpiredBackups()).toEqual([]);
  t.setNow(start + 2 * DAY + 1);
  expect(await t.engine.apps.pruneExpiredBackups()).toEqual([in2.id]);
  t.setNow(start + 30 * DAY);
  expect(await t.engine.apps.pruneExpiredBackups()).toEqual([auto.id]);
  t.setNow(start + 3650 * DAY);
  expect(await t.engine.apps.pruneExpiredBackups()).toEqual([]);

  expect((await t.engine.backups.list(scope, { offset: 0, limit: 50 })).items.map((b) => b.id)).toEqual([never.id]);
  expect(fs.readdirSync(folder).sort()).toEqual(['app_customer-copy.tar.gz', never.backup_filename].sort());
});
