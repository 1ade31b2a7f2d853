import fc from 'fast-check';
import {
  NOTIFICATIONS, zAddon, zApplicationVersion, zBackup, zBackupLocation, zBackupSchedule, zInstall, zLogEntry, zTask,
  zTemplate, zUser, type DataResource,
} from '@installgate/contracts';
import { FIELD_MAPS } from '../fields/field-maps';
import type { FieldMap, Rec } from '../fields/field-map';
import { TASK_CMD } from '../fields/task';
import { arbitraryOf, elementOf, objectShape, type ZodLike } from './zod-arbitrary';

/**
 * Test-only arbitraries for the round-trip properties. v2 records come from the contracts zod schemas; v1 records are
 * built from the field map's rules (a renamed member has the type of its v2 member, an enum codec draws from its v1
 * values) plus explicit v1 domains below for the rules whose v1 shape is not derivable. A new composite rule without
 * a v1 domain here makes the property throw, on purpose.
 */

const asZod = (schema: unknown): ZodLike => schema as ZodLike;

export const SCHEMAS: Readonly<Record<DataResource, ZodLike>> = {
  install: asZod(zInstall),
  backup: asZod(zBackup),
  template: asZod(zTemplate),
  application: asZod(zApplicationVersion),
  task: asZod(zTask),
  user: asZod(zUser),
  log: asZod(zLogEntry),
  location: asZod(zBackupLocation),
  schedule: asZod(zBackupSchedule),
  plugin: asZod(zAddon),
  theme: asZod(zAddon),
};

export const RESOURCES = Object.keys(FIELD_MAPS) as DataResource[];
const INSTALL_FAMILY: readonly DataResource[] = ['install', 'backup', 'template'];

const TASK_V1_VERBS = (TASK_CMD.v1Values ?? []).map(String);
const TASK_V2_NAMES = TASK_V1_VERBS.map((verb) => String(TASK_CMD.toV2(verb, 'cmd')));
/** Task names without a v1 verb: `resource/action`, which passes through both ways (a v2 name always has a `/`). */
const UNMAPPED_TASK_NAME = fc.stringMatching(/^[a-z]{1,8}\/[a-z]{1,8}(\/[a-z]{1,8})?$/).filter((s) => !TASK_V2_NAMES.includes(s));

/** v1 schedule ids: anything except the values autobk gives a meaning of its own ("" = none, none, custom). */
const SCHEDULE_ID = fc.stringMatching(/^[a-z0-9]{1,32}$/).filter((s) => s !== 'none' && s !== 'custom');

/** v1 domains of the rules whose v1 shape is not derivable from the v2 schema, keyed by v1 member. */
const V1_DOMAINS: Partial<Record<DataResource, Record<string, fc.Arbitrary<unknown>>>> = {
  application: {
    date: fc.integer({ min: 0, max: 2_932_896 }).map((days) => new Date(days * 86_400_000).toISOString().slice(0, 10)),
    upgrade: fc.constantFrom('minor', 'major', 'none'),
  },
  task: { cmd: fc.oneof(fc.constantFrom(...TASK_V1_VERBS), UNMAPPED_TASK_NAME) },
};
const INSTALL_V1_DOMAINS: Record<string, fc.Arbitrary<unknown>> = {
  autobk: fc.oneof(fc.constant(''), fc.constant('custom'), SCHEDULE_ID),
  // The canonical v1 list spells every type; `all` is an input alias, never stored.
  'list-notification': fc.shuffledSubarray([...NOTIFICATIONS]).map((list) => list.join(',')),
};
for (const r of INSTALL_FAMILY) V1_DOMAINS[r] = INSTALL_V1_DOMAINS;

/** v2 domain constraints that are not losses: a task's v2 `cmd` is always a `resource/action` name (spec §6). */
const V2_DOMAINS: Partial<Record<DataResource, Record<string, fc.Arbitrary<unknown>>>> = {
  task: { cmd: fc.oneof(fc.constantFrom(...TASK_V2_NAMES), UNMAPPED_TASK_NAME) },
};

/** Installer custom fields: v2 `<field>` ↔ v1 `cf-<field>` (names chosen so they never clash with core members). */
const CUSTOM_FIELD_ID = fc.stringMatching(/^zz[a-z0-9_]{0,6}$/);

function withCustomFields(resource: DataResource, record: fc.Arbitrary<Rec>, prefix: string): fc.Arbitrary<Rec> {
  if (!INSTALL_FAMILY.includes(resource)) return record;
  const custom = fc.dictionary(CUSTOM_FIELD_ID.map((id) => prefix + id), fc.string({ maxLength: 8 }), { maxKeys: 3, noNullPrototype: true });
  return fc.tuple(record, custom).map(([r, c]) => ({ ...c, ...r }));
}

function v1Members(map: FieldMap, schema: ZodLike, domains: Record<string, fc.Arbitrary<unknown>>, sparse: boolean): fc.Arbitrary<Rec> {
  const shape = objectShape(schema);
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const rule of map.rules) {
    if (rule.outsideSchema) continue;
    for (const v1 of rule.v1) {
      const v2Schema = shape[rule.v2[0]];
      if (domains[v1]) model[v1] = domains[v1];
      else if (rule.kind === 'same' || rule.kind === 'rename') model[v1] = arbitraryOf(v2Schema);
      else if (rule.kind === 'codec' && rule.codec?.v1Values) model[v1] = fc.constantFrom(...rule.codec.v1Values);
      else if (rule.kind === 'each' && rule.sub) model[v1] = fc.array(v1Members(rule.sub, elementOf(v2Schema), {}, sparse), { maxLength: 3 });
      else if (rule.kind === 'nest') model[v1] = fc.string({ maxLength: 12 });
      else throw new Error(`record-arbitraries: no v1 domain for ${map.resource} member "${v1}" (${rule.kind}); add one to V1_DOMAINS`);
    }
  }
  return fc.record(model, { requiredKeys: sparse ? [] : Object.keys(model), noNullPrototype: true });
}

/** v1 records of a resource; `sparse`: any subset of members (partial records, as in edit answers). */
export function v1Record(resource: DataResource, sparse = false): fc.Arbitrary<Rec> {
  return withCustomFields(resource, v1Members(FIELD_MAPS[resource], SCHEMAS[resource], V1_DOMAINS[resource] ?? {}, sparse), 'cf-');
}

/** v2 records of a resource from its contracts schema; `sparse`: any subset of members. */
export function v2Record(resource: DataResource, sparse = false): fc.Arbitrary<Rec> {
  const shape = objectShape(SCHEMAS[resource]);
  const domains = V2_DOMAINS[resource] ?? {};
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [key, member] of Object.entries(shape)) model[key] = domains[key] ?? arbitraryOf(member, { sparse });
  const required = sparse ? [] : Object.keys(shape).filter((k) => shape[k]._def.typeName !== 'ZodOptional');
  return withCustomFields(resource, fc.record(model, { requiredKeys: required, noNullPrototype: true }), '');
}

/** What `toV2(toV1(record))` gives back: the record with every lossy rule's normalisation applied (copies, no mutation). */
export function normaliseLossy(map: FieldMap, record: Rec): Rec {
  const out: Rec = { ...record };
  for (const rule of map.rules) {
    rule.lossy?.normalise(out);
    const list = out[rule.v2[0]];
    if (rule.sub && Array.isArray(list)) out[rule.v2[0]] = list.map((item: Rec) => normaliseLossy(rule.sub as FieldMap, item));
  }
  return out;
}
