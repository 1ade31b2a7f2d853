import { EngineError } from '@installgate/contracts';
import { setOwn, type Rec } from '../fields/field-map';
import { COMMAND_TABLE, type CommandRule } from './command-table';
import { PARAM_MAP } from './param-map';
import type { V2Call } from './v2-call';

function matchesFixed(row: CommandRule, params: Rec): boolean {
  return Object.entries(row.fixed ?? {}).every(([name, value]) => params[name] === value);
}

/**
 * The canonical rows that express a call. One row per operation, except the plugin/theme edit selectors: every
 * selector whose implied parameters the call carries (`activated: true` → `activate-plugin`), or `install-…` when
 * none does.
 */
function canonicalRows(call: Pick<V2Call, 'op' | 'params'>): CommandRule[] {
  const rows = COMMAND_TABLE.filter((r) => r.op === call.op && r.canonical);
  if (rows.length <= 1) return rows;
  const implied = rows.filter((r) => Object.keys(r.fixed ?? {}).length > 0 && matchesFixed(r, call.params));
  return implied.length > 0 ? implied : rows.filter((r) => Object.keys(r.fixed ?? {}).length === 0);
}

/**
 * The canonical v1 request for a v2 call: the inverse of `translateCommand` (property P5), used by the compat suites
 * to send the same operation both ways. Path parameters move back into `id`/`user`/`application`/selectors, values
 * get their canonical v1 spelling, and `api=json` is added. Operations without a v1 command (plugins.get,
 * users.create, users.get, locations.list, schedules.list) throw `invalid_argument_cmd`.
 */
export function fromV2Call(call: Pick<V2Call, 'op' | 'pathParams' | 'params'>): Record<string, unknown> {
  const rows = canonicalRows(call);
  if (rows.length === 0) {
    throw new EngineError('invalid_argument_cmd', { errfield: 'cmd', message: `v1 has no command for ${call.op}.` });
  }
  const params: Rec = { ...call.params };
  for (const row of rows) for (const name of Object.keys(row.fixed ?? {})) delete params[name];

  const out: Rec = { api: 'json', cmd: rows[0].cmd };
  const v1Params = PARAM_MAP.toV1(params) as Rec;
  // `undefined` from a codec means the canonical v1 form leaves the parameter out (dryrun=none, background=false).
  for (const key of Object.keys(v1Params)) if (v1Params[key] !== undefined) setOwn(out, key, v1Params[key]);
  for (const row of rows) {
    for (const [pathName, v1Name] of Object.entries(row.moves ?? {})) out[v1Name] = call.pathParams[pathName];
    if (row.selector) out[row.selector.param] = row.selector.value === 'slug' ? call.pathParams.slug : '1';
  }
  return out;
}
