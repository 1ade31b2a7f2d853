import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Knex } from 'knex';
import { openStore } from '../db/connect';
import { checkPage, pageArray, paginate } from './paginate';
import { containsPattern } from './search';

describe('checkPage', () => {
  it.each([
    [{ offset: -1, limit: 10 }, 'invalid_argument_offset'],
    [{ offset: 1.5, limit: 10 }, 'invalid_argument_offset'],
    [{ offset: 0, limit: 0 }, 'invalid_argument_limit'],
    [{ offset: 0, limit: 1001 }, 'invalid_argument_limit'],
    [{ offset: 0, limit: Number.NaN }, 'invalid_argument_limit'],
  ])('refuses %j with %s', (page, errcode) => {
    expect(() => checkPage(page)).toThrow(expect.objectContaining({ errcode }));
  });

  it('accepts the bounds', () => {
    expect(checkPage({ offset: 0, limit: 1 })).toEqual({ offset: 0, limit: 1 });
    expect(checkPage({ offset: 5, limit: 1000 })).toEqual({ offset: 5, limit: 1000 });
  });
});

describe('pageArray', () => {
  it('pages a list with total_count and has_more', () => {
    const all = [1, 2, 3, 4, 5];
    expect(pageArray(all, { offset: 0, limit: 2 })).toEqual({ items: [1, 2], total_count: 5, has_more: true });
    expect(pageArray(all, { offset: 4, limit: 2 })).toEqual({ items: [5], total_count: 5, has_more: false });
    expect(pageArray(all, { offset: 9, limit: 2 })).toEqual({ items: [], total_count: 5, has_more: false });
  });
});

describe('paginate (real sqlite)', () => {
  let dir: string;
  let db: Knex;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'installgate-page-'));
    db = openStore({ client: 'sqlite3', filename: join(dir, 'p.sqlite') });
    await db.schema.createTable('t', (t) => {
      t.string('id').primary();
      t.integer('k');
      t.string('name');
    });
    await db('t').insert(Array.from({ length: 7 }, (_, i) => ({ id: `id${i}`, k: i % 3, name: i === 4 ? '50%_off!' : `n${i}` })));
  });
  afterAll(async () => {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  const order = (qb: Knex.QueryBuilder) => qb.orderBy([{ column: 'k' }, { column: 'id' }]);

  it('walks every row exactly once across pages', async () => {
    const seen: string[] = [];
    for (let offset = 0; ; offset += 3) {
      const page = await paginate<{ id: string }, string>(db('t'), { offset, limit: 3 }, order, (r) => r.id);
      expect(page.total_count).toBe(7);
      seen.push(...page.items);
      if (!page.has_more) break;
    }
    expect(seen).toEqual(['id0', 'id3', 'id6', 'id1', 'id4', 'id2', 'id5']);
  });

  it('counts only the filtered rows', async () => {
    const page = await paginate<{ id: string }, string>(db('t').where('k', 1), { offset: 0, limit: 1 }, order, (r) => r.id);
    expect(page).toEqual({ items: ['id1'], total_count: 2, has_more: true });
  });

  it('containsPattern escapes LIKE wildcards so they match literally', async () => {
    const rows = await db('t').whereRaw("LOWER(??) LIKE ? ESCAPE '!'", ['name', containsPattern('%_OFF!')]).pluck('id');
    expect(rows).toEqual(['id4']);
    const none = await db('t').whereRaw("LOWER(??) LIKE ? ESCAPE '!'", ['name', containsPattern('_')]).pluck('id');
    expect(none).toEqual(['id4']);
  });
});
