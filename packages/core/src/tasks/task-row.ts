import type { Task, TaskStatus } from '@installgate/contracts';

/*
 * The three shapes of a task: the stored row (snake_case columns), the engine's StoredTask, and the client's
 * Task (contracts). Both mappings are explicit allowlists.
 */

/** A task as the engine sees it (the row, camel-cased). `Task` (contracts) is what clients see. */
export interface StoredTask {
  id: string;
  /** v2 `resource/action` name, e.g. `installs/update`. */
  cmd: string;
  installId: string;
  user: string;
  wsLabel: string;
  url: string;
  title: string;
  /** Input of the task's workflow (may hold secrets: never shown to clients). */
  payload: unknown;
  status: TaskStatus;
  /** i18n key of the headline, e.g. `_tasks_backuping`. */
  label: string;
  /** i18n key of the current step, or a human message once the task failed. */
  message: string;
  percentMin: number;
  percentMax: number;
  rate: number;
  attempts: number;
  maxAttempts: number;
  lastError: string | null;
  errcode: string | null;
  lockedBy: string | null;
  lockedAt: number | null;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
}

/** A row of the `tasks` table as the drivers return it (PostgreSQL returns bigint columns as strings). */
export interface TaskRow {
  id: string;
  cmd: string;
  install_id: string;
  user: string;
  ws_label: string;
  url: string;
  title: string;
  payload: string;
  status: string;
  label: string;
  message: string;
  percent_min: number | string;
  percent_max: number | string;
  rate: number | string;
  attempts: number | string;
  max_attempts: number | string;
  last_error: string | null;
  errcode: string | null;
  locked_by: string | null;
  locked_at: number | string | null;
  created_at: number | string;
  started_at: number | string | null;
  finished_at: number | string | null;
}

const numOrNull = (v: number | string | null): number | null => (v === null ? null : Number(v));

/** Row → StoredTask. */
export function fromRow(r: TaskRow): StoredTask {
  return {
    id: String(r.id),
    cmd: r.cmd,
    installId: r.install_id,
    user: r.user,
    wsLabel: r.ws_label,
    url: r.url,
    title: r.title,
    payload: JSON.parse(r.payload) as unknown,
    status: r.status as TaskStatus,
    label: r.label,
    message: r.message,
    percentMin: Number(r.percent_min),
    percentMax: Number(r.percent_max),
    rate: Number(r.rate),
    attempts: Number(r.attempts),
    maxAttempts: Number(r.max_attempts),
    lastError: r.last_error,
    errcode: r.errcode,
    lockedBy: r.locked_by,
    lockedAt: numOrNull(r.locked_at),
    createdAt: Number(r.created_at),
    startedAt: numOrNull(r.started_at),
    finishedAt: numOrNull(r.finished_at),
  };
}

/** The client view of a task (spec §6): an explicit allowlist; payload, locks and errors stay inside. */
export function toTask(t: StoredTask): Task {
  return {
    id: t.id,
    user: t.user,
    ws_label: t.wsLabel,
    url: t.url,
    title: t.title,
    label: t.label,
    status: t.status,
    rate: t.rate,
    percentMin: t.percentMin,
    percentMax: t.percentMax,
    message: t.message,
    cmd: t.cmd,
    install: t.installId,
    time: t.startedAt ?? t.createdAt,
    errcode: t.errcode,
    time_finished: t.finishedAt ?? 0,
  };
}

