import { emptyArgument, invalidArgument } from '@installgate/contracts';
import { hasOwn, setOwn, type Rec } from '../fields/field-map';
import { COMMAND_TABLE, STRIPPED_PARAMS, type CommandRule } from './command-table';
import { PARAM_MAP } from './param-map';
import { fillPath, routeOf, type V2Call } from './v2-call';

/** A parameter counts as given when it is neither missing nor empty (`url=` does not turn a restore into restoreto). */
function given(params: Rec, name: string): boolean {
  const value = params[name];
  return hasOwn(params, name) && value !== undefined && value !== null && value !== '';
}

/** Exactly one id: a string without a comma, or an array of one (spec §2.1: `application` may be an array). */
function isOne(value: unknown): boolean {
  if (Array.isArray(value)) return value.length === 1 && isOne(value[0]);
  return (typeof value === 'string' && value !== '' && !value.includes(',')) || typeof value === 'number';
}

function holds(rule: CommandRule, params: Rec): boolean {
  if (!rule.when) return true;
  const { param, is } = rule.when;
  if (is === 'present') return given(params, param);
  if (is === 'absent') return !given(params, param);
  return isOne(params[param]);
}

/** `cmd`, trimmed and lower-cased. Missing → `empty_argument_cmd`; not a string → `invalid_argument_cmd`. */
export function readCmd(params: Rec): string {
  let value = params.cmd;
  if (Array.isArray(value) && value.length === 1) value = value[0];
  if (value === undefined || value === null || value === '') throw emptyArgument('cmd');
  if (typeof value !== 'string') throw invalidArgument('cmd');
  return value.trim().toLowerCase();
}

/** A value that moves into the path: a non-empty string (or number, or array of one). */
function pathValue(params: Rec, name: string): string {
  let value = params[name];
  if (Array.isArray(value) && value.length === 1) value = value[0];
  if (value === undefined || value === null || value === '') throw emptyArgument(name);
  if (typeof value === 'number') return String(value);
  if (typeof value !== 'string') throw invalidArgument(name);
  return value;
}

/**
 * The rows a request selects. Edit selectors may combine when they agree (`activate-plugin=S&auotup-plugin=S` is one
 * edit of S); otherwise the first row whose condition holds wins.
 */
function pickRows(rows: readonly CommandRule[], params: Rec): CommandRule[] {
  const selected = rows.filter((r) => r.selector && given(params, r.selector.param));
  if (selected.length > 0) {
    const other = selected.find((r) => r.op !== selected[0].op);
    // CASE: two selectors that mean different operations (list-plugins + uninstall-plugin, a plugin and a theme).
    if (other?.selector) throw invalidArgument(other.selector.param);
    return selected;
  }
  const row = rows.find((r) => !r.selector && holds(r, params));
  if (!row) throw invalidArgument('cmd');
  return [row];
}

/**
 * Rewrites a v1 request (query and body merged, spec §1.4) as the v2 call that does the same thing (spec §4.1).
 * Throws `EngineError`: `empty_argument_cmd`, `invalid_argument_cmd` (unknown cmd), `empty_argument_<param>` for a
 * parameter that belongs in the path (`id`, `user`, `application`), `invalid_argument_<param>` for a value no codec
 * can translate or for selectors that contradict each other.
 */
export function translateCommand(params: Record<string, unknown>): V2Call {
  const cmd = readCmd(params);
  const rows = COMMAND_TABLE.filter((r) => r.cmd === cmd);
  if (rows.length === 0) throw invalidArgument('cmd');
  const picked = pickRows(rows, params);
  const { op } = picked[0];

  const consumed = new Set(STRIPPED_PARAMS.filter((name) => !picked[0].keeps?.includes(name)));
  const pathParams: Record<string, string> = {};
  const fixed: Rec = {};
  for (const row of picked) {
    for (const [pathName, v1Name] of Object.entries(row.moves ?? {})) {
      pathParams[pathName] = pathValue(params, v1Name);
      consumed.add(v1Name);
    }
    if (row.selector) {
      consumed.add(row.selector.param);
      if (row.selector.value === 'slug') {
        const slug = pathValue(params, row.selector.param);
        // CASE: two selectors naming different slugs cannot be one call.
        if (pathParams.slug !== undefined && pathParams.slug !== slug) throw invalidArgument(row.selector.param);
        pathParams.slug = slug;
      }
    }
    for (const [name, value] of Object.entries(row.fixed ?? {})) {
      // CASE: activate-plugin together with deactivate-plugin.
      if (hasOwn(fixed, name) && fixed[name] !== value) throw invalidArgument(row.selector?.param ?? name);
      fixed[name] = value;
    }
  }

  const rest: Rec = {};
  for (const key of Object.keys(params)) {
    if (!consumed.has(key) && params[key] !== undefined) setOwn(rest, key, params[key]);
  }
  const v2Params = PARAM_MAP.toV2(rest) as Rec;
  for (const [name, value] of Object.entries(fixed)) {
    // CASE: the selector implies a value and the request also sent a different one: ambiguous, so refuse.
    if (hasOwn(v2Params, name) && v2Params[name] !== value) throw invalidArgument(name);
    v2Params[name] = value;
  }

  const route = routeOf(op);
  return { op, method: route.method, path: fillPath(route.path, pathParams), pathParams, params: v2Params };
}
