import type { DataResource } from '@installgate/contracts';

/**
 * The checked-in list of rules that cannot round-trip every v2 value through v1 (Kubernetes'
 * `nonRoundTrippableTypes`). A test compares it with the rules marked `lossy`, so a new lossy rule must be added here
 * on purpose, with its reason. `v2` names the rule by its v2 members.
 */
export const LOSSY_FIELDS: ReadonlyArray<{ readonly resource: DataResource; readonly v2: string; readonly reason: string }> = [
  ...(['install', 'backup', 'template'] as const).map((resource) => ({
    resource,
    v2: 'autobk + autobk_schedule',
    reason: 'v1 has one autobk member: a schedule id survives only with autobk=schedule; ids "", "none" and "custom" read back as none/custom.',
  })),
  { resource: 'application', v2: 'time', reason: 'v1 date keeps the day only; a time that is not midnight UTC reads back as that midnight.' },
  { resource: 'application', v2: 'update + update_type', reason: 'v1 upgrade is one string; a contradicting update flag, or a flag without update_type, does not survive.' },
  { resource: 'application', v2: 'links', reason: 'an empty links object has no v1 form.' },
];
