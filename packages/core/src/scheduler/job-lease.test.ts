import { openStore } from '../db/connect';
import { createTempEngine, type TempEngine } from '../testing/temp-engine';
import { createJobLeases } from './job-lease';

/**
 * Leases on one SQLite file through two separate connections (as two server processes hold them): one claim wins,
 * a given-back job can be claimed again, a failure holds it back, and a crashed holder's lease runs out.
 */
let t: TempEngine;
beforeAll(async () => { t = await createTempEngine(); });
afterAll(async () => { await t?.close(); });

test('two connections racing for one job: exactly one gets it, until it is given back or its lease runs out', async () => {
  const a = openStore({ client: 'sqlite3', filename: t.filename });
  const b = openStore({ client: 'sqlite3', filename: t.filename });
  try {
    const la = createJobLeases(a);
    const lb = createJobLeases(b);
    const key = { kind: 'autobk', target: 'inst1' };
    const now = 1_000_000;
    const won = await Promise.all([la.claim(key, 'A', now, 600), lb.claim(key, 'B', now, 600)]);
    expect(won.filter(Boolean)).toHaveLength(1);
    const [winner, loser, wName] = won[0] ? [la, lb, 'A'] : [lb, la, 'B'];
    expect(await loser.claim(key, 'other', now + 599, 600)).toBe(false);
    // Only the holder gives it back.
    await loser.release(key, 'other', now, 0);
    expect(await loser.claim(key, 'other', now, 600)).toBe(false);
    await winner.release(key, wName, now, 0);
    expect(await loser.claim(key, 'other', now, 600)).toBe(true);
    // The holder "crashes" (never releases): the lease runs out at now + 600.
    expect(await winner.claim(key, wName, now + 599, 600)).toBe(false);
    expect(await winner.claim(key, wName, now + 600, 600)).toBe(true);
    // A failure holds the job back until retry_after, for everybody.
    await winner.release(key, wName, now + 600, now + 750);
    expect(await loser.claim(key, 'other', now + 749, 600)).toBe(false);
    expect(await loser.claim(key, 'other', now + 750, 600)).toBe(true);
    // Other jobs are independent.
    expect(await winner.claim({ kind: 'autobk', target: 'inst2' }, wName, now, 600)).toBe(true);
    expect(await winner.claim({ kind: 'autoup', target: 'inst1' }, wName, now, 600)).toBe(true);
  } finally {
    await a.destroy();
    await b.destroy();
  }
});
