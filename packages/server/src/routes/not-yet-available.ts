import { EngineError, type OperationName } from '@installgate/contracts';
import type { OpContext, OpHandler, OpTable } from '../operation';

/**
 * Operations whose engine (catalog, installer, archives, updates…) is not in this release yet, with the object
 * their path names. They still authenticate, check that the object exists and is visible to the caller, and
 * then answer 501 `not_implemented` — never a pretended success.
 */
export const NOT_YET_AVAILABLE = {
  'users.login': 'user',
} as const satisfies Partial<Record<OperationName, 'install' | 'backup' | 'user' | null>>;

async function checkObject(kind: 'install' | 'backup' | 'user' | null, ctx: OpContext): Promise<void> {
  const id = ctx.path.id!;
  if (kind === 'install') await ctx.engine.installs.get(ctx.scope, id);
  else if (kind === 'backup') await ctx.engine.backups.get(ctx.scope, id);
  else if (kind === 'user') await ctx.engine.users.get(ctx.scope, id);
}

function unavailable(op: OperationName, kind: 'install' | 'backup' | 'user' | null): OpHandler {
  return async (ctx) => {
    await checkObject(kind, ctx);
    throw new EngineError('not_implemented', { message: `${op} is not available in this Installgate release yet; nothing was changed.` });
  };
}

export const notYetAvailableRoutes: OpTable = Object.fromEntries(
  Object.entries(NOT_YET_AVAILABLE).map(([op, kind]) => [op, unavailable(op as OperationName, kind)]),
);
