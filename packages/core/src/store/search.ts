import type { Knex } from 'knex';

/** The LIKE escape character. '!' rather than '\' because MariaDB also treats '\' as a string escape. */
const ESCAPE = '!';

/** A LIKE pattern that matches `text` literally anywhere in a value (%, _ and ! are escaped). */
export function containsPattern(text: string): string {
  return `%${text.toLowerCase().replace(/[!%_]/g, (c) => ESCAPE + c)}%`;
}

/**
 * Adds "any of these columns contains q, ignoring case" to a query. LOWER() on both sides because PostgreSQL's
 * LIKE is case-sensitive while SQLite's and MariaDB's are not (for ASCII); this gives one behaviour everywhere.
 */
export function whereContains(qb: Knex.QueryBuilder, columns: readonly string[], q: string | undefined): Knex.QueryBuilder {
  if (q === undefined || q === '') return qb;
  const pattern = containsPattern(q);
  return qb.where((w) => {
    for (const col of columns) w.orWhereRaw(`LOWER(??) LIKE ? ESCAPE '${ESCAPE}'`, [col, pattern]);
  });
}
