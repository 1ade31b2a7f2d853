import { EngineError, type HttpMethod } from '@installgate/contracts';

const METHODS = { GET: 'GET', POST: 'POST', DELETE: 'DELETE' } as const satisfies Record<string, HttpMethod>;

/**
 * Spec §1.2: a client may send POST and name the real method in `X-HTTP-Method-Override`. Honoured on POST only
 * (ours), case-insensitive; any other value is refused.
 */
export function effectiveMethod(method: string, override: string | string[] | undefined): string {
  const value = Array.isArray(override) ? override[0] : override;
  if (method !== 'POST' || value === undefined || value.trim() === '') return method;
  const m = (METHODS as Record<string, HttpMethod>)[value.trim().toUpperCase()];
  if (!m) throw new EngineError('invalid_argument_method_override', { errfield: 'X-HTTP-Method-Override' });
  return m;
}
