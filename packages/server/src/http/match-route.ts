import { EngineError, V2_ROUTES, type HttpMethod, type OperationName } from '@installgate/contracts';

interface CompiledRoute {
  op: OperationName;
  method: HttpMethod;
  regex: RegExp;
  names: string[];
}

const COMPILED: CompiledRoute[] = V2_ROUTES.map((r) => {
  const names: string[] = [];
  const pattern = r.path.split('/').map((seg) => {
    if (seg.startsWith(':')) {
      names.push(seg.slice(1));
      return '([^/]+)';
    }
    return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }).join('/');
  return { op: r.op, method: r.method, regex: new RegExp(`^${pattern}/?$`), names };
});

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new EngineError('invalid_argument_path', { errfield: 'path', message: 'The path has a malformed %-escape.' });
  }
}

/**
 * Finds the v2 operation for a method and path. The first route in `V2_ROUTES` order wins (so `/backups/import`
 * beats `/backups/:id`). A known path with another method is 405, an unknown path 404.
 */
export function matchRoute(method: string, path: string): { op: OperationName; params: Record<string, string> } {
  let pathKnown = false;
  for (const r of COMPILED) {
    const m = r.regex.exec(path);
    if (!m) continue;
    pathKnown = true;
    if (r.method !== method) continue;
    const params: Record<string, string> = {};
    r.names.forEach((n, i) => { params[n] = decode(m[i + 1]!); });
    return { op: r.op, params };
  }
  if (pathKnown) throw new EngineError('method_not_allowed', { message: `${method} is not accepted at ${path}.` });
  throw new EngineError('route_not_found', { message: `No API endpoint at ${method} ${path}. v1 requests go to / with cmd=…; v2 resources are /browser, /installs, /backups, /templates, /users, /logs, /tasks, /set/….` });
}

/** Allowed methods at a path (for the Allow header of a 405). */
export function allowedMethods(path: string): HttpMethod[] {
  return [...new Set(COMPILED.filter((r) => r.regex.test(path)).map((r) => r.method))];
}
