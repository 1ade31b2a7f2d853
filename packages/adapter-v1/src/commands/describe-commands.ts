import { describeFieldMap, type RuleRow } from '../fields/describe-rules';
import { COMMAND_TABLE } from './command-table';
import { PARAM_MAP } from './param-map';
import { routeOf } from './v2-call';

/** One row of the generated v1 command docs. */
export interface CommandRow {
  readonly v1: string;
  readonly v2: string;
  readonly op: string;
  readonly canonical: boolean;
  readonly note: string;
}

/** The command table as docs rows: `cmd=edit&id={id}&activate-plugin={slug}` → `POST /installs/{id}/plugins/{slug} activated=true`. */
export function describeCommands(): CommandRow[] {
  return COMMAND_TABLE.map((row) => {
    const parts = [`cmd=${row.cmd}`];
    for (const [pathName, v1Name] of Object.entries(row.moves ?? {})) parts.push(`${v1Name}={${pathName}}`);
    if (row.selector) parts.push(`${row.selector.param}=${row.selector.value === 'slug' ? '{slug}' : '1'}`);
    if (row.when) parts.push(`${row.when.param}=(${row.when.is})`);
    const route = routeOf(row.op);
    const fixed = Object.entries(row.fixed ?? {}).map(([k, v]) => `${k}=${String(v)}`);
    const path = route.path.replace(/:([a-z]+)/g, '{$1}');
    return { v1: parts.join('&'), v2: [`${route.method} ${path}`, ...fixed].join(' '), op: row.op, canonical: row.canonical, note: row.note };
  });
}

/** The request parameter rules as docs rows. */
export function describeParams(): RuleRow[] {
  return describeFieldMap(PARAM_MAP);
}
