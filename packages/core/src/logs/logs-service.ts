import { LOG_SEVERITIES, type ListPage, type LogEntry, type Severity } from '@installgate/contracts';
import type { EngineContext } from '../engine-context';
import type { Scope } from '../access/actor';
import type { Visibility } from '../access/visibility';
import { listOwners } from '../access/list-owners';
import { collectSecretValues, redactObject, redactText } from '../secrets/redact';
import type { PageRequest } from '../store/paginate';
import { createLogRepository, LOG_TEXT_COLUMNS } from './log-repository';

/** What a caller writes: the required members, any other LogEntry member, and optional structured detail. */
export type LogWrite = Partial<Omit<LogEntry, 'id'>> & {
  user: string;
  cmd: string;
  message: string;
  severity?: Severity;
  /** Extra detail for operators (stored redacted, not returned by `GET /logs`). */
  meta?: Record<string, unknown>;
};

/** `GET /logs` parameters (spec §2.7), booleans already parsed. */
export interface LogListQuery extends PageRequest {
  user?: string;
  q?: string;
  install?: string;
  time_from?: number;
  time_until?: number;
  filter_severity_notice?: boolean;
  filter_severity_info?: boolean;
  filter_severity_error?: boolean;
}

/** The documented default window of `GET /logs`: one week back (spec §2.7). */
export const LOG_DEFAULT_WINDOW_SECONDS = 7 * 24 * 3600;

/** Which query flag turns each severity on or off (all on by default). */
const SEVERITY_FLAG = {
  notice: 'filter_severity_notice',
  info: 'filter_severity_info',
  error: 'filter_severity_error',
} as const satisfies Record<Severity, keyof LogListQuery>;


/** The activity log: every mutating engine call writes here; `GET /logs` reads it. */
export interface LogsService {
  /**
   * Stores an entry after redacting it: every value in `secrets`, every `user:pass@` in a URI, and every member
   * of `meta` whose name looks like a secret (and that value wherever else it appears). Returns the stored entry.
   */
  write(entry: LogWrite, secrets?: readonly string[]): Promise<LogEntry>;
  /**
   * Entries visible to the scope, newest first. Defaults: the last 7 days up to now, every severity.
   * Throws user_not_found / invalid_argument_user for a bad `user`.
   */
  list(scope: Scope, q: LogListQuery): Promise<ListPage<LogEntry>>;
}

/** The logs service. */
export function createLogsService(ctx: EngineContext, vis: Visibility): LogsService {
  const repo = createLogRepository(ctx.db);
  return {
    async write(entry, secrets = []) {
      const all = [...secrets, ...collectSecretValues(entry.meta ?? {})];
      const row = {
        time: entry.time ?? ctx.clock(),
        severity: entry.severity ?? 'info',
        meta: entry.meta ? redactObject(entry.meta, all) : null,
      } as Parameters<typeof repo.insert>[0];
      for (const member of LOG_TEXT_COLUMNS) row[member] = redactText(String(entry[member] ?? ''), all);
      return repo.insert(row);
    },

    async list(scope, q) {
      const owners = await listOwners(vis, ctx.settings.admin, scope.actor, q.user, 'view');
      const now = ctx.clock();
      return repo.list(
        {
          owners,
          q: q.q,
          install: q.install,
          timeFrom: q.time_from ?? now - LOG_DEFAULT_WINDOW_SECONDS,
          timeUntil: q.time_until ?? now,
          severities: LOG_SEVERITIES.filter((s) => q[SEVERITY_FLAG[s]] !== false),
        },
        q,
      );
    },
  };
}
