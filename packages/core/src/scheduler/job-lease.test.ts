import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Knex } from 'knex';
import { mariadbQuery, requireMariaDbBinaries, startMariaDb, type MariaDbServer } from '@installgate/testkit';
import { createSecretBox, generateSecretKey } from '../secrets/secret-box';
import { openStore } from '../db/connect';
import { migrateToLatest } from '../db/migrations';
import { createJobLeases } from './job-lease';

/**
 * Leases through two separate connections (as two server processes hold them), on both state stores the tests
 * can start: a SQLite file and a MariaDB database. One claim wins, a given-back job can be claimed again, a
 * failure holds it back, and a crashed holder's lease runs out.
 */
jest.setTimeout(120_000);

let tmp: string;
let maria: MariaDbServer;
beforeAll(async () => {
  requireMariaDbBinaries();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ig-lease-'));
  maria = await startMariaDb({ dir: path.join(tmp, 'db') });
  await mariadbQuery(maria, 'CREATE DATABASE installgate_state');
});
afterAll(async () => {
  await maria?.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const STORES: Record<string, () => Knex> = {
  sqlite: () => openStore({ client: 'sqlite3', filename: path.join(tmp, 'state.sqlite') }),
  mariadb: () => openStore({ client: 'mysql2', connection: `${maria.url}/installgate_state` }),
};

test.each(Object.keys(STORES))('%s: two connections racing for one job: one gets it, until it is given back or its lease runs out', async (store) => {
  const a = STORES[store]!();
  const b = STORES[store]!();
  try {
    await migrateToLatest(a, { secrets: createSecretBox(generateSecretKey()) });
    const la = createJobLeases(a);
    const lb = createJobLeases(b);
    const key = { kind: 'autobk', target: 'inst1' };
    const now = 1_000_000;
    const won = await Promise.all([la.claim(key, 'A', now, 600), lb.claim(key, 'B', now, 600)]);
    expect(won.filter(Boolean)).toEqual([{ failures: 0 }]);
    const [winner, loser, wName] = won[0] ? [la, lb, 'A'] : [lb, la, 'B'];
    expect(await loser.claim(key, 'other', now + 599, 600)).toBeNull();
    // Only the holder gives it back.
    await loser.release(key, 'other', now, { retryAfter: 0, failures: 0 });
    expect(await loser.claim(key, 'other', now, 600)).toBeNull();
    await winner.release(key, wName, now, { retryAfter: 0, failures: 0 });
    expect(await loser.claim(key, 'other', now, 600)).toEqual({ failures: 0 });
    // The holder "crashes" (never releases): the lease runs out at now + 600.
    expect(await winner.claim(key, wName, now + 599, 600)).toBeNull();
    expect(await winner.claim(key, wName, now + 600, 600)).toEqual({ failures: 0 });
    // A failure holds the job back until retry_after, for everybody; the next claim learns the failure count.
    await winner.release(key, wName, now + 600, { retryAfter: now + 750, failures: 1 });
    expect(await loser.claim(key, 'other', now + 749, 600)).toBeNull();
    expect(await loser.claim(key, 'other', now + 750, 600)).toEqual({ failures: 1 });
    // Other jobs are independent.
    expect(await winner.claim({ kind: 'autobk', target: 'inst2' }, wName, now, 600)).toEqual({ failures: 0 });
    expect(await winner.claim({ kind: 'autoup', target: 'inst1' }, wName, now, 600)).toEqual({ failures: 0 });
    // The autobk side table works on this store too (booleans and big integers come back as JS values).
    await a('auto_backups').insert({ backup_id: 'b1', install_id: 'inst1', backup_time: now, daily: true, weekly: false, monthly: true });
    const row = (await b('auto_backups').where({ backup_id: 'b1' }).first()) as Record<string, unknown>;
    expect([Number(row.backup_time), Boolean(row.daily), Boolean(row.weekly), Boolean(row.monthly)]).toEqual([now, true, false, true]);
  } finally {
    await a.destroy();
    await b.destroy();
  }
});
