import type { OperationName } from '@installgate/contracts';

/**
 * Which v1 `cmd` (plus discriminating parameters) is which v2 operation: spec §3, §4.2 and the API v2 notes' table.
 * This file is data; `translate-command.ts` and `from-v2-call.ts` read it in both directions.
 */
export interface CommandRule {
  /** The v1 verb, lower case. */
  readonly cmd: string;
  readonly op: OperationName;
  /**
   * The form `fromV2Call` writes for this operation. Exactly one row per operation is canonical, except the
   * plugin/theme edit selectors, where the canonical rows are told apart by their `fixed` parameters.
   */
  readonly canonical: boolean;
  /** A condition on one parameter; rows of one cmd are tried in table order, the first that holds wins. */
  readonly when?: { readonly param: string; readonly is: 'present' | 'absent' | 'one' };
  /**
   * `cmd=edit` selectors (spec §4.2): the row applies when this parameter is present. `slug`: its value is the
   * plugin/theme slug and moves into the path; `flag`: it only selects (`list-plugins=1`).
   */
  readonly selector?: { readonly param: string; readonly value: 'slug' | 'flag' };
  /** Path parameters taken out of v1 parameters (path name → v1 name); a missing one is `empty_argument_<name>`. */
  readonly moves?: Readonly<Record<string, string>>;
  /** v2 parameters the row implies (`activate-plugin` → `activated: true`). */
  readonly fixed?: Readonly<Record<string, unknown>>;
  /** Normally-stripped request members this command keeps as its own parameters. */
  readonly keeps?: readonly string[];
  readonly note: string;
}

const NOTES = 'API v2 notes command table.';
const ID = { id: 'id' } as const;

/** The seven `cmd=edit` selectors of spec §4.2, written once for plugins and once for themes. */
const ADDON_SELECTORS = [
  { param: 'list-KINDs', value: 'flag', action: 'list', fixed: {}, canonical: true, note: 'list the install\'s KINDs' },
  { param: 'install-KIND', value: 'slug', action: 'edit', fixed: {}, canonical: true, note: 'install the KIND (or leave it as it is)' },
  { param: 'activate-KIND', value: 'slug', action: 'edit', fixed: { activated: true }, canonical: true, note: 'activated=true' },
  { param: 'deactivate-KIND', value: 'slug', action: 'edit', fixed: { activated: false }, canonical: true, note: 'activated=false' },
  {
    param: 'auotup-KIND', value: 'slug', action: 'edit', fixed: { autoup: 'all' }, canonical: true,
    note: 'autoup=all; `auotup` is the documented spelling (sic, spec §9 #39), so it is the one written back',
  },
  {
    param: 'autoup-KIND', value: 'slug', action: 'edit', fixed: { autoup: 'all' }, canonical: false,
    note: 'autoup=all; the corrected spelling, accepted as well (spec §4.2 [R])',
  },
  { param: 'noautoup-KIND', value: 'slug', action: 'edit', fixed: { autoup: 'none' }, canonical: true, note: 'autoup=none' },
  { param: 'uninstall-KIND', value: 'slug', action: 'uninstall', fixed: {}, canonical: true, note: 'uninstall the KIND (deletes its files)' },
] as const;

function addonRows(kind: 'plugin' | 'theme'): CommandRule[] {
  return ADDON_SELECTORS.map((s) => ({
    cmd: 'edit',
    op: `${kind}s.${s.action}` as OperationName,
    canonical: s.canonical,
    selector: { param: s.param.replace('KIND', kind), value: s.value },
    moves: ID,
    fixed: s.fixed,
    note: `cmd=edit selector (spec §4.2): ${s.note.replace('KIND', kind)}.`,
  }));
}

export const COMMAND_TABLE: readonly CommandRule[] = [
  // Applications
  {
    cmd: 'browser', op: 'browser.get', canonical: true, when: { param: 'application', is: 'one' }, moves: { id: 'application' },
    note: 'One application id: its versions (spec §2.1).',
  },
  {
    cmd: 'browser', op: 'browser.list', canonical: true,
    note: 'No application, or several (array or comma list, kept as the `application` array filter).',
  },
  { cmd: 'install', op: 'browser.install', canonical: true, moves: { id: 'application' }, note: `${NOTES} application → path.` },
  {
    cmd: 'import', op: 'browser.import', canonical: true, when: { param: 'source_url', is: 'absent' }, moves: { id: 'application' },
    note: 'Import without source_url takes over a local install (spec §9 #30).',
  },
  {
    cmd: 'import', op: 'browser.migrate', canonical: false, when: { param: 'source_url', is: 'present' }, moves: { id: 'application' },
    note: 'Import with source_url is a migration (old form, spec §9 #30); written back as cmd=migrate.',
  },
  { cmd: 'migrate', op: 'browser.migrate', canonical: true, moves: { id: 'application' }, note: `${NOTES} application → path.` },
  // Installs
  { cmd: 'installs', op: 'installs.list', canonical: true, note: `${NOTES} \`id\` stays a filter parameter (v1: show one install).` },
  { cmd: 'view', op: 'installs.get', canonical: true, moves: ID, note: 'v1 view (re-read and show one install); `addons` kept.' },
  ...addonRows('plugin'),
  ...addonRows('theme'),
  { cmd: 'edit', op: 'installs.edit', canonical: true, moves: ID, note: `${NOTES} Without a plugin/theme selector.` },
  { cmd: 'update', op: 'installs.update', canonical: true, moves: ID, note: NOTES },
  { cmd: 'upgrade', op: 'installs.update', canonical: false, moves: ID, note: 'The v1 page\'s name for update; still accepted (spec §2.2).' },
  { cmd: 'backup', op: 'installs.backup', canonical: true, moves: ID, note: NOTES },
  { cmd: 'template', op: 'installs.template', canonical: true, moves: ID, note: NOTES },
  { cmd: 'clone', op: 'installs.clone', canonical: true, moves: ID, note: NOTES },
  { cmd: 'sync', op: 'installs.sync', canonical: true, moves: ID, note: NOTES },
  { cmd: 'createadminsso', op: 'installs.login', canonical: true, moves: ID, note: NOTES },
  { cmd: 'detach', op: 'installs.detach', canonical: true, moves: ID, note: NOTES },
  { cmd: 'uninstall', op: 'installs.uninstall', canonical: true, moves: ID, note: NOTES },
  // Backups
  {
    cmd: 'backups', op: 'backups.get', canonical: true, when: { param: 'id', is: 'present' }, moves: ID,
    note: 'v1 backups with id shows one backup (spec §3 [R]).',
  },
  { cmd: 'backups', op: 'backups.list', canonical: true, note: NOTES },
  { cmd: 'editbackup', op: 'backups.edit', canonical: true, moves: ID, note: NOTES },
  {
    cmd: 'restore', op: 'backups.restore', canonical: true, when: { param: 'url', is: 'absent' }, moves: ID,
    note: 'Restore in place.',
  },
  {
    cmd: 'restore', op: 'backups.restoreto', canonical: false, when: { param: 'url', is: 'present' }, moves: ID,
    note: 'Old v1 form: restore with url restores elsewhere (spec §2.4); written back as cmd=restoreto.',
  },
  { cmd: 'restoreto', op: 'backups.restoreto', canonical: true, moves: ID, note: NOTES },
  { cmd: 'delete', op: 'backups.delete', canonical: true, moves: ID, note: NOTES },
  { cmd: 'importbackup', op: 'backups.import', canonical: true, note: 'v1 imports one archive: `path` (and `user`) kept (spec §2.4).' },
  // Templates
  { cmd: 'templates', op: 'templates.list', canonical: true, note: NOTES },
  { cmd: 'edittemplate', op: 'templates.edit', canonical: true, moves: ID, note: NOTES },
  { cmd: 'deletetemplate', op: 'templates.delete', canonical: true, moves: ID, note: NOTES },
  // Users: v1 user commands name their target in `user`, not `id` (API v2 notes).
  { cmd: 'users', op: 'users.list', canonical: true, note: `${NOTES} \`user\` stays the scope parameter.` },
  {
    cmd: 'edituser', op: 'users.edit', canonical: true, moves: { id: 'user' }, keeps: ['websites'],
    note: `${NOTES} user → path; \`websites\` is this command's own payload, so it is kept (not an implicit upsert).`,
  },
  { cmd: 'guixfer', op: 'users.login', canonical: true, moves: { id: 'user' }, note: `${NOTES} user → path.` },
  { cmd: 'deleteuser', op: 'users.delete', canonical: true, moves: { id: 'user' }, note: `${NOTES} user → path.` },
  // Logs and tasks
  { cmd: 'logs', op: 'logs.list', canonical: true, note: NOTES },
  { cmd: 'tasks', op: 'tasks.list', canonical: true, note: 'v1 tasks (spec §3).' },
];

/** Request members that are never parameters of the v2 call (spec §1.3, §4.6, §4.7). */
export const STRIPPED_PARAMS: readonly string[] = ['api', 'key', 'api_version', 'cmd', 'websites'];
