import { V2_ROUTES, type OperationName, type V2Route } from '@installgate/contracts';

/**
 * A v1 command rewritten as the v2 call the server's v2 router handles (Ghost's legacy-path rewrite, in process).
 * `params` are all other parameters with v2 names and v2 encodings; for GET they are the query, otherwise the body.
 */
export interface V2Call {
  op: OperationName;
  method: 'GET' | 'POST' | 'DELETE';
  /** Concrete path with URI-encoded segments, e.g. `/installs/abc/plugins/akismet`. */
  path: string;
  /** The decoded path parameters (`id`, `slug`). */
  pathParams: Record<string, string>;
  params: Record<string, unknown>;
}

const ROUTE_BY_OP = new Map<OperationName, V2Route>(V2_ROUTES.map((route) => [route.op, route]));

export function routeOf(op: OperationName): V2Route {
  const route = ROUTE_BY_OP.get(op);
  if (!route) throw new Error(`no v2 route for operation ${op}`);
  return route;
}

/** Fills `/installs/:id/plugins/:slug` from the path parameters, URI-encoding each segment. */
export function fillPath(template: string, pathParams: Record<string, string>): string {
  return template.replace(/:([a-z]+)/g, (_, name: string) => {
    const value = pathParams[name];
    if (value === undefined) throw new Error(`path ${template} needs :${name}`);
    return encodeURIComponent(value);
  });
}
