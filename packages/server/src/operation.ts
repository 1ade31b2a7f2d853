import type { OperationName } from '@installgate/contracts';
import type { Engine, Actor } from '@installgate/core';
import type { Settings } from './config/settings';
import type { Logger } from './logger';

/** What an operation handler receives: v2-named parameters, the resolved caller scope, and the engine. */
export interface OpContext {
  engine: Engine;
  settings: Settings;
  logger: Logger;
  /** Path parameters (`id`, `slug`). */
  path: Record<string, string>;
  /** Query + body merged (body wins), v2 names; for v1 requests already translated by the adapter. */
  params: Record<string, unknown>;
  /** The scope the call runs in: the `user` parameter's account, or the main admin. */
  scope: { actor: Actor };
}

/** What an operation handler returns; the HTTP edge turns it into an envelope. */
export interface OpResult {
  data: unknown;
  message?: string;
  /** Present on list results. */
  page?: { total_count: number; has_more: boolean };
  /** Present when the call was backgrounded or when it ran as a task. */
  task?: unknown;
  /** `POST /users/{id}/login` returns the session id next to the URL. */
  session_id?: string;
  /** A dry run that passed: errcode `complete_dryrun` with result true. */
  dryrun?: boolean;
}

export type OpHandler = (ctx: OpContext) => Promise<OpResult>;
export type OpTable = Partial<Record<OperationName, OpHandler>>;
