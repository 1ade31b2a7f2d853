/**
 * @installgate/adapter-v1: the only code that knows v1 names, v1 integers and `cmd` verbs. Pure translation
 * (no HTTP framework, no I/O): version negotiation, v1 command → v2 call, v1↔v2 data field maps, the v1 envelope.
 */
export { negotiateVersion } from './negotiate-version';
export { v1Envelope, type V1Envelope } from './envelope';
export { implicitWebsites } from './implicit-websites';

export type { V2Call } from './commands/v2-call';
export { translateCommand } from './commands/translate-command';
export { fromV2Call } from './commands/from-v2-call';
export { COMMAND_TABLE, STRIPPED_PARAMS, type CommandRule } from './commands/command-table';
export { PARAM_MAP } from './commands/param-map';
export { describeCommands, describeParams } from './commands/describe-commands';

export { FIELD_MAPS, toV1Data, toV2Data } from './fields/field-maps';
export { LOSSY_FIELDS } from './fields/lossy-fields';
export { describeRules, describeFieldMap, type RuleRow } from './fields/describe-rules';
export { defineFieldMap, type FieldMap, type FieldRule, type Lossy, type UnknownKeys } from './fields/field-map';
export type { Codec } from './fields/codecs';
