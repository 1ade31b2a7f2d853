import type { Knex } from 'knex';
import type { ListPage, LogEntry, Severity } from '@installgate/contracts';
import { paginate, type PageRequest } from '../store/paginate';
import { whereContains } from '../store/search';

/** The text members of a log entry, stored one column each (with id, time and severity: the allowlist between rows and LogEntry). */
export const LOG_TEXT_COLUMNS = [
  'user', 'install', 'cmd', 'url', 'title', 'source_url', 'source_title', 'ext_name', 'theme_name',
  'plugin_name', 'backup_schedule', 'backup_location', 'message',
] as const satisfies readonly (keyof LogEntry)[];

/** The members `GET /logs?q=` searches (spec §2.7). */
export const LOG_SEARCH_COLUMNS = [
  'url', 'title', 'source_url', 'source_title', 'ext_name', 'theme_name', 'plugin_name', 'backup_schedule',
  'backup_location',
] as const;

/** A log entry ready to store: every member already redacted; `meta` is extra detail kept for operators. */
export type LogRow = Omit<LogEntry, 'id'> & { meta: Record<string, unknown> | null };

interface StoredLogRow {
  id: number | string;
  time: number | string;
  severity: string;
  meta: string | null;
  [column: string]: unknown;
}

/** Filters of a log query, already resolved (owners null = all). */
export interface LogFilter {
  owners: string[] | null;
  q?: string;
  install?: string;
  timeFrom: number;
  timeUntil: number;
  severities: Severity[];
}

function fromRow(row: StoredLogRow): LogEntry {
  const entry = { id: String(row.id), time: Number(row.time), severity: row.severity as Severity } as LogEntry;
  for (const col of LOG_TEXT_COLUMNS) entry[col] = String(row[col] ?? '');
  return entry;
}

/** Storage of log entries. Knows nothing about redaction: callers pass redacted rows. */
export function createLogRepository(db: Knex) {
  return {
    /** Stores one entry and returns it with its id. */
    async insert(row: LogRow): Promise<LogEntry> {
      const values: Record<string, unknown> = { time: row.time, severity: row.severity, meta: row.meta === null ? null : JSON.stringify(row.meta) };
      for (const col of LOG_TEXT_COLUMNS) values[col] = row[col];
      // PostgreSQL needs RETURNING to report the id; SQLite and MariaDB report the last insert id themselves.
      const isPg = ['pg', 'postgres', 'postgresql'].includes(String((db.client.config as { client?: unknown }).client));
      const res = (await (isPg ? db('logs').insert(values, ['id']) : db('logs').insert(values))) as Array<number | { id: number }>;
      const first = res[0];
      const id = typeof first === 'object' ? first.id : first;
      return fromRow({ ...values, id } as StoredLogRow);
    },

    /** One page of entries matching the filter, newest first. */
    async list(filter: LogFilter, page: PageRequest): Promise<ListPage<LogEntry>> {
      let qb = db('logs').where('time', '>=', filter.timeFrom).andWhere('time', '<=', filter.timeUntil);
      qb = qb.whereIn('severity', filter.severities.length > 0 ? filter.severities : ['']);
      if (filter.owners !== null) qb = qb.whereIn('user', filter.owners);
      if (filter.install) qb = qb.where('install', filter.install);
      qb = whereContains(qb, LOG_SEARCH_COLUMNS, filter.q);
      return paginate<StoredLogRow, LogEntry>(qb, page, (o) => o.orderBy([{ column: 'time', order: 'desc' }, { column: 'id', order: 'desc' }]), fromRow);
    },

  };
}

/** The log repository (type of createLogRepository). */
export type LogRepository = ReturnType<typeof createLogRepository>;
