import fc from 'fast-check';

/**
 * Test helper: a fast-check arbitrary from a contracts zod schema, so that the v2 records of the round-trip
 * properties follow the schema as it is today (a member added to a schema shows up in the properties at once).
 * Only the zod kinds the contracts use are supported; anything else throws so that it gets added here.
 * The adapter does not depend on zod, so schemas are read structurally through `_def`.
 */
export interface ZodLike {
  readonly _def: { readonly typeName: string } & Record<string, unknown>;
}

interface NumberCheck {
  kind: string;
  value?: number;
  inclusive?: boolean;
}

export function objectShape(schema: ZodLike): Record<string, ZodLike> {
  if (schema._def.typeName !== 'ZodObject') throw new Error(`not an object schema: ${schema._def.typeName}`);
  return (schema._def.shape as () => Record<string, ZodLike>)();
}

/** The element schema of an array schema (optional wrappers removed). */
export function elementOf(schema: ZodLike): ZodLike {
  const inner = unwrap(schema);
  if (inner._def.typeName !== 'ZodArray') throw new Error(`not an array schema: ${inner._def.typeName}`);
  return inner._def.type as ZodLike;
}

export function unwrap(schema: ZodLike): ZodLike {
  return schema._def.typeName === 'ZodOptional' ? unwrap(schema._def.innerType as ZodLike) : schema;
}

export function isOptional(schema: ZodLike): boolean {
  return schema._def.typeName === 'ZodOptional';
}

function numberArbitrary(checks: readonly NumberCheck[]): fc.Arbitrary<number> {
  let min = -(2 ** 31);
  let max = 2 ** 31 - 1;
  for (const c of checks) {
    if (c.kind === 'min' && c.value !== undefined) min = c.inclusive === false ? c.value + 1 : c.value;
    if (c.kind === 'max' && c.value !== undefined) max = c.inclusive === false ? c.value - 1 : c.value;
  }
  return fc.integer({ min, max });
}

/** `sparse`: every member of every object optional, to exercise partial records. */
export function arbitraryOf(schema: ZodLike, opts: { sparse?: boolean } = {}): fc.Arbitrary<unknown> {
  const def = schema._def;
  switch (def.typeName) {
    case 'ZodString':
      return fc.string({ maxLength: 12 });
    case 'ZodNumber':
      return numberArbitrary((def.checks as NumberCheck[]) ?? []);
    case 'ZodBoolean':
      return fc.boolean();
    case 'ZodEnum':
      return fc.constantFrom(...(def.values as string[]));
    case 'ZodArray':
      return fc.array(arbitraryOf(def.type as ZodLike, opts), { maxLength: 3 });
    case 'ZodOptional':
      return arbitraryOf(def.innerType as ZodLike, opts);
    case 'ZodNullable':
      return fc.option(arbitraryOf(def.innerType as ZodLike, opts), { nil: null });
    case 'ZodRecord':
      return fc.dictionary(fc.stringMatching(/^[a-z0-9.:/]{1,10}$/), arbitraryOf(def.valueType as ZodLike, opts), { maxKeys: 2, noNullPrototype: true });
    case 'ZodUnknown':
      return fc.jsonValue({ maxDepth: 2 });
    case 'ZodObject': {
      const shape = objectShape(schema);
      const model: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [key, member] of Object.entries(shape)) model[key] = arbitraryOf(member, opts);
      const requiredKeys = opts.sparse ? [] : Object.keys(shape).filter((k) => !isOptional(shape[k]));
      return fc.record(model, { requiredKeys, noNullPrototype: true });
    }
    default:
      throw new Error(`zod-arbitrary: no arbitrary for ${def.typeName}`);
  }
}
