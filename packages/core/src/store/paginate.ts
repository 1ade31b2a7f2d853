import type { Knex } from 'knex';
import { EngineError, type ListPage } from '@installgate/contracts';

/** The page a list call asks for (spec §1.7): `offset` records skipped, at most `limit` returned. */
export interface PageRequest {
  offset: number;
  limit: number;
}

/** Largest `limit` a caller may ask for; bigger pages are refused rather than silently cut. */
export const MAX_LIMIT = 1000;
/** The documented default page size (spec §1.7), for callers that build a PageRequest themselves. */
export const DEFAULT_LIMIT = 50;

/**
 * Guards a page request. The server validates first; this second check keeps a bad value from reaching SQL.
 * Throws invalid_argument_offset / invalid_argument_limit.
 */
export function checkPage(page: PageRequest): PageRequest {
  if (!Number.isInteger(page.offset) || page.offset < 0) {
    throw new EngineError('invalid_argument_offset', { errfield: 'offset' });
  }
  if (!Number.isInteger(page.limit) || page.limit < 1 || page.limit > MAX_LIMIT) {
    throw new EngineError('invalid_argument_limit', { errfield: 'limit' });
  }
  return page;
}

/** Builds a ListPage from one page of items and the total; `has_more` says whether records follow this page. */
export function toListPage<T>(items: T[], totalCount: number, page: PageRequest): ListPage<T> {
  return { items, total_count: totalCount, has_more: page.offset + items.length < totalCount };
}

/** Pages an in-memory list (small built-in + stored sets such as locations). */
export function pageArray<T>(all: readonly T[], page: PageRequest): ListPage<T> {
  checkPage(page);
  return toListPage(all.slice(page.offset, page.offset + page.limit), all.length, page);
}

/**
 * Runs a filtered query as one page: counts all matches, then fetches `limit` rows from `offset` in the given
 * order. `filtered` must hold only the FROM/WHERE part; `order` adds a total order (ties broken by a unique
 * column) so that pages never overlap or skip.
 */
export async function paginate<Row, T>(
  filtered: Knex.QueryBuilder,
  page: PageRequest,
  order: (qb: Knex.QueryBuilder) => Knex.QueryBuilder,
  map: (row: Row) => T,
): Promise<ListPage<T>> {
  checkPage(page);
  const counted = (await filtered.clone().count({ n: '*' })) as Array<{ n: number | string }>;
  // PostgreSQL returns count(*) as a string (bigint); the others as numbers.
  const total = Number(counted[0]?.n ?? 0);
  const rows = (await order(filtered.clone().select('*')).offset(page.offset).limit(page.limit)) as Row[];
  return toListPage(rows.map(map), total, page);
}
