import { EngineError } from '@installgate/contracts';
import { ADMIN_SCOPE, accountScope, type Scope } from '../access/actor';
import type { Engine } from '../create-engine';

/**
 * A small account tree used by this package's tests:
 *
 *   admin (settings.admin, no stored row)
 *   ├── r1 (reseller)
 *   │   ├── u1 (user)
 *   │   └── r2 (reseller)
 *   │       └── u2 (user)
 *   └── u3 (user)
 */
export async function seedAccounts(engine: Engine): Promise<Record<'r1' | 'r2' | 'u1' | 'u2' | 'u3', Scope>> {
  await engine.users.create(ADMIN_SCOPE, { id: 'r1', type: 'reseller', websites: [{ vhosts: { 'r1.example': 'public_html' } }] });
  await engine.users.create(ADMIN_SCOPE, { id: 'u1', parent: 'r1', websites: [{ vhosts: { 'u1.example': 'public_html' } }] });
  await engine.users.create(ADMIN_SCOPE, { id: 'r2', type: 'reseller', parent: 'r1' });
  await engine.users.create(ADMIN_SCOPE, { id: 'u2', parent: 'r2', websites: [{ vhosts: { 'https://u2.example': 'httpdocs' } }] });
  await engine.users.create(ADMIN_SCOPE, { id: 'u3', websites: [{ vhosts: { 'u3.example': 'public_html' } }] });
  return {
    r1: accountScope('r1', 'reseller'),
    r2: accountScope('r2', 'reseller'),
    u1: accountScope('u1', 'user'),
    u2: accountScope('u2', 'user'),
    u3: accountScope('u3', 'user'),
  };
}

/** Awaits `p` and returns the errcode it rejected with (fails the test if it resolved). */
export async function errcodeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return (e as { errcode?: string }).errcode ?? `not an EngineError: ${String(e)}`;
  }
  throw new Error('expected a rejection, but the call succeeded');
}

/** The EngineError `fn` throws synchronously (fails the test if it returns or throws anything else). */
export function engineErrorOf(fn: () => unknown): EngineError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(EngineError);
    return e as EngineError;
  }
  throw new Error('expected an EngineError, but the call returned');
}
