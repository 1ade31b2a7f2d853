import type { z } from 'zod';
import { EngineError, invalidArgument, emptyArgument } from '@installgate/contracts';

/** Spec-defined errcodes for some fields; every other field gets `invalid_argument_<field>`. */
const FIELD_ERRCODES = {
  offset: 'invalid_argument_offset',
  limit: 'invalid_argument_limit',
  dryrun: 'invalid_argument_dryrun',
  background: 'invalid_argument_background',
  version: 'invalid_argument_version',
  bkloc: 'invalid_argument_bkloc',
  user: 'invalid_argument_user',
  id: 'invalid_argument_id',
} as const;

/**
 * Validates parameters with a zod object schema. The first problem becomes an EngineError whose errfield is the
 * offending parameter: `empty_argument_<field>` when a required one is missing, `invalid_argument_<field>` otherwise.
 * Unknown parameters are ignored (clients send extra members such as `api` or `key`).
 */
export function parseParams<S extends z.ZodTypeAny>(schema: S, params: Record<string, unknown>): z.infer<S> {
  const result = schema.safeParse(params);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = String(issue.path[0] ?? 'parameters');
  const missing = issue.code === 'invalid_type' && (issue as { received?: string }).received === 'undefined';
  if (missing) return throwErr(emptyArgument(field));
  const code = (FIELD_ERRCODES as Record<string, string>)[field];
  if (code) throw new EngineError(code as never, { errfield: field });
  throw invalidArgument(field);
}

function throwErr(e: EngineError): never {
  throw e;
}
