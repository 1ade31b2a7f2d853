import type { Response } from 'express';
import { DATA_RESOURCE, statusOf, TASK_COMPLETE_MESSAGE, type DataVersion, type EngineError, type OperationName, type V2Envelope } from '@installgate/contracts';
import { toV1Data, v1Envelope } from '@installgate/adapter-v1';
import type { OpResult } from '../operation';

/**
 * How a response is shaped: the envelope (v1: HTTP 200 and `{result, errcode, message, data}`; v2: HTTP status and
 * the full member list) and the data version. cmd requests get the v1 envelope unless they asked for 2.0; REST
 * requests always get the v2 envelope, with v1 data when they asked for 1.0 (spec §4.6).
 */
export interface Presentation {
  envelope: 'v1' | 'v2';
  dataVersion: DataVersion;
}

export function presentationFor(style: 'cmd' | 'rest', dataVersion: DataVersion): Presentation {
  return { envelope: style === 'cmd' && dataVersion === '1.0' ? 'v1' : 'v2', dataVersion };
}

function shapeData(op: OperationName | undefined, data: unknown, version: DataVersion): unknown {
  if (version !== '1.0' || op === undefined) return data;
  const resource = DATA_RESOURCE[op];
  return resource === null ? data : toV1Data(resource, data);
}

function shapeTask(task: unknown, version: DataVersion): unknown {
  return version === '1.0' && task !== undefined ? toV1Data('task', task) : task;
}

/** Sends a success envelope, members in the documented order. */
export function sendSuccess(res: Response, p: Presentation, op: OperationName, r: OpResult): void {
  const errcode = r.dryrun ? 'complete_dryrun' : null;
  const message = r.message ?? (r.dryrun ? 'The dry run is complete; nothing was changed.\n' : TASK_COMPLETE_MESSAGE);
  const data = shapeData(op, r.data, p.dataVersion);
  const task = shapeTask(r.task, p.dataVersion);
  res.setHeader('X-API-Version', p.dataVersion);
  if (p.envelope === 'v1') {
    res.status(200).json(v1Envelope({ result: true, errcode, message, data, task }));
    return;
  }
  const body: V2Envelope = { result: true, status: 200, errcode, errfield: null, message };
  if (r.page) {
    body.total_count = r.page.total_count;
    body.has_more = r.page.has_more;
  }
  body.data = data;
  if (task !== undefined) body.task = task;
  if (r.session_id !== undefined) body.session_id = r.session_id;
  res.status(200).json(body);
}

/** Sends a failure envelope. v1 answers HTTP 200 with result false (spec §1.6). */
export function sendError(res: Response, p: Presentation, e: EngineError, extraHeaders: Record<string, string> = {}): void {
  res.setHeader('X-API-Version', p.dataVersion);
  for (const [k, v] of Object.entries(extraHeaders)) res.setHeader(k, v);
  if (p.envelope === 'v1') {
    res.status(200).json(v1Envelope({ result: false, errcode: e.errcode, message: e.message }));
    return;
  }
  const status = statusOf(e.errcode);
  const body: V2Envelope = { result: false, status, errcode: e.errcode, errfield: e.errfield, message: e.message };
  res.status(status).json(body);
}
