import { defaultMessage, type Errcode } from './errcodes';

/**
 * The one error type of Installgate. Everything below the HTTP edge throws this with an errcode from the catalogue;
 * the edge alone maps it to a status. It lives in `contracts` (not `core`) so that the v1 adapter, which must not
 * import the core, throws the same type.
 */
export class EngineError extends Error {
  readonly errcode: Errcode;
  readonly errfield: string | null;
  /** Extra machine-readable detail (never secrets). */
  readonly details?: Record<string, unknown>;

  constructor(errcode: Errcode, opts: { message?: string; errfield?: string | null; details?: Record<string, unknown>; cause?: unknown } = {}) {
    super(opts.message ?? defaultMessage(errcode, opts.errfield), opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'EngineError';
    this.errcode = errcode;
    this.errfield = opts.errfield ?? null;
    this.details = opts.details;
  }
}

/** `invalid_argument_<field>` with errfield set: the usual shape of a validation failure. */
export function invalidArgument(field: string, message?: string): EngineError {
  return new EngineError(`invalid_argument_${field.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}`, { errfield: field, message });
}

/** `empty_argument_<field>` with errfield set: a required field is missing. */
export function emptyArgument(field: string, message?: string): EngineError {
  return new EngineError(`empty_argument_${field.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}`, { errfield: field, message });
}

export function isEngineError(e: unknown): e is EngineError {
  return e instanceof EngineError;
}
