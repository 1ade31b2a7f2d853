import type { DataResource } from '@installgate/contracts';
import type { FieldMap } from './field-map';
import { FIELD_MAPS } from './field-maps';

/** One row of the generated v1↔v2 mapping docs. */
export interface RuleRow {
  /** v1 member(s); `+` joins members one rule maps together, `|` lists extra spellings that are read. */
  readonly v1: string;
  readonly v2: string;
  readonly kind: string;
  readonly note: string;
  readonly lossy: boolean;
  readonly lossyReason?: string;
}

function spelled(names: readonly string[], aliases: readonly string[], prefix: string): string {
  const main = names.map((n) => prefix + n).join(' + ');
  return aliases.length ? `${main} | ${aliases.map((a) => prefix + a).join(' | ')}` : main;
}

/** The rows of one map, sub-maps flattened under `member[].` and the unknown-member rule last. */
export function describeFieldMap(map: FieldMap, v1Prefix = '', v2Prefix = ''): RuleRow[] {
  const rows: RuleRow[] = [];
  for (const rule of map.rules) {
    rows.push({
      v1: spelled(rule.v1, rule.v1Aliases, v1Prefix),
      v2: spelled(rule.v2, rule.v2Aliases, v2Prefix),
      kind: rule.kind,
      note: rule.outsideSchema ? `${rule.note} (Not in the contracts schema: ${rule.outsideSchema}.)` : rule.note,
      lossy: rule.lossy !== undefined,
      ...(rule.lossy ? { lossyReason: rule.lossy.reason } : {}),
    });
    if (rule.sub) rows.push(...describeFieldMap(rule.sub, `${v1Prefix}${rule.v1[0]}[].`, `${v2Prefix}${rule.v2[0]}[].`));
  }
  rows.push({
    v1: v1Prefix + map.unknownKeys.v1,
    v2: v2Prefix + map.unknownKeys.v2,
    kind: 'unknown',
    note: map.unknownKeys.note,
    lossy: false,
  });
  return rows;
}

/** Per data resource, the rows docs are generated from (`docs/` is written by the docs generator, not here). */
export function describeRules(): Record<DataResource, RuleRow[]> {
  const out = {} as Record<DataResource, RuleRow[]>;
  for (const [resource, map] of Object.entries(FIELD_MAPS) as [DataResource, FieldMap][]) out[resource] = describeFieldMap(map);
  return out;
}
