/** A page of a list result (spec §1.7). */
export interface ListPage<T> {
  items: T[];
  total_count: number;
  has_more: boolean;
}

/** The response envelope in its v2 form (spec §1.5), members in the documented order. */
export interface V2Envelope {
  result: boolean;
  status: number;
  errcode: string | null;
  errfield: string | null;
  message: string;
  total_count?: number;
  has_more?: boolean;
  data?: unknown;
  task?: unknown;
  session_id?: string;
}

/** The message the documentation's success examples carry (note the trailing newline). */
export const TASK_COMPLETE_MESSAGE = 'The task is complete.\n';
