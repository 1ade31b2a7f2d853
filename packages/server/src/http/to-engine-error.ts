import { EngineError, isEngineError } from '@installgate/contracts';
import type { Logger } from '../logger';

/**
 * Normalises anything thrown below the edge into an EngineError. Unknown errors become `internal_error`: their
 * cause is logged with a reference the client sees, never the cause itself.
 */
export function toEngineError(e: unknown, logger: Logger, where: string): EngineError {
  if (isEngineError(e)) {
    if (e.errcode === 'internal_error' && e.cause !== undefined) logCause(e.cause, logger, where);
    return e;
  }
  const ref = logCause(e, logger, where);
  return new EngineError('internal_error', { message: `Internal error (reference ${ref}); the cause was logged on the server.` });
}

function logCause(cause: unknown, logger: Logger, where: string): string {
  const ref = Math.random().toString(36).slice(2, 10);
  const err = cause instanceof Error ? cause : new Error(String(cause));
  logger.error('internal error', { ref, where, error: err.name, detail: err.message, stack: err.stack });
  return ref;
}
