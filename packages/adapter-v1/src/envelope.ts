/**
 * The v1 response envelope (spec §1.5, §1.6, §4.6): `result`, `errcode`, `message`, `data` on success, and `task`
 * for backgrounded calls. No `status`, `errfield`, `total_count` or `has_more`: those belong to data version 2.0.
 * v1 answers HTTP 200 for every handled request, so the body alone tells success from failure.
 */
export interface V1Envelope {
  result: boolean;
  errcode: string | null;
  message: string;
  data?: unknown;
  task?: unknown;
}

export function v1Envelope(e: { result: boolean; errcode: string | null; message: string; data?: unknown; task?: unknown }): V1Envelope {
  const out: V1Envelope = { result: e.result, errcode: e.errcode, message: e.message };
  // CASE: data is the payload of a success; a failure carries only the error members.
  if (e.result && e.data !== undefined) out.data = e.data;
  if (e.task !== undefined && e.task !== null) out.task = e.task;
  return out;
}
