import { createHash, timingSafeEqual } from 'node:crypto';
import { EngineError } from '@installgate/contracts';

/**
 * Compares a presented key with the configured keys in constant time. Both sides are hashed first so that the
 * comparison takes the same time whatever the lengths are.
 */
export function keyMatches(presented: unknown, keys: readonly string[]): boolean {
  if (typeof presented !== 'string' || presented === '') return false;
  const p = createHash('sha256').update(presented).digest();
  let ok = false;
  for (const k of keys) {
    if (!k) continue;
    const h = createHash('sha256').update(k).digest();
    // No early exit: every configured key is compared.
    ok = timingSafeEqual(p, h) || ok;
  }
  return ok;
}

/**
 * Spec §1.3: `X-API-KEY` must equal `key=` or `key2=`; a v1 request may send the key as a `key` parameter instead.
 * A missing key is treated as a wrong one (403 invalid_api_key).
 */
export function authenticate(header: string | string[] | undefined, params: Record<string, unknown>, allowParam: boolean, keys: readonly string[]): void {
  const fromHeader = Array.isArray(header) ? header[0] : header;
  const presented = fromHeader ?? (allowParam ? params.key : undefined);
  if (!keyMatches(presented, keys)) throw new EngineError('invalid_api_key');
}
