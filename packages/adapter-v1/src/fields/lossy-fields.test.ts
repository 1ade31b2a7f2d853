import type { DataResource } from '@installgate/contracts';
import type { FieldMap } from './field-map';
import { FIELD_MAPS } from './field-maps';
import { LOSSY_FIELDS } from './lossy-fields';

/** P4: the rules marked lossy are exactly the checked-in list; a new lossy rule is a reviewed decision. */
function lossyRules(map: FieldMap): string[] {
  return map.rules.flatMap((rule) => [
    ...(rule.lossy ? [rule.v2.join(' + ')] : []),
    ...(rule.sub ? lossyRules(rule.sub).map((name) => `${rule.v2[0]}[].${name}`) : []),
  ]);
}

it('P4: the lossy rules equal LOSSY_FIELDS', () => {
  const marked = (Object.entries(FIELD_MAPS) as [DataResource, FieldMap][])
    .flatMap(([resource, map]) => lossyRules(map).map((v2) => `${resource}: ${v2}`))
    .sort();
  expect(marked).toEqual(LOSSY_FIELDS.map((f) => `${f.resource}: ${f.v2}`).sort());
});

it('P4: every LOSSY_FIELDS entry gives a reason', () => {
  expect(LOSSY_FIELDS.filter((f) => f.reason.trim().length < 10)).toEqual([]);
});
