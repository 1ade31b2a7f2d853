import { EngineError, INSTALL_FIELDS, invalidArgument, zInstall, type Install } from '@installgate/contracts';

/**
 * The install members a record edit may change (spec §2.2 `POST /installs/{id}`): settings Installgate keeps
 * for itself. Changing any other member (url, database, admin login…) touches the site and belongs to a task.
 */
export const RECORD_ONLY_MEMBERS = [
  'autoup', 'autoup_backup', 'autoup_plugins', 'autoup_themes', 'notification', 'autobk', 'autobk_schedule',
  'autobk_daily', 'autobk_weekly', 'autobk_monthly', 'bkloc', 'title', 'exclude_files',
] as const satisfies readonly (keyof Install)[];

/** The automatic-update settings; an edit of any of them resets `version_autouped_attempts` (auto-update.ts). */
export const AUTOUP_MEMBERS = ['autoup', 'autoup_backup', 'autoup_plugins', 'autoup_themes'] as const satisfies readonly RecordOnlyMember[];

/** One of RECORD_ONLY_MEMBERS. */
export type RecordOnlyMember = (typeof RECORD_ONLY_MEMBERS)[number];
/** A record edit: any subset of the record-only members; omitted members keep their values. */
export type InstallRecordPatch = Partial<Pick<Install, RecordOnlyMember>>;

/** Longest install title kept (the key column's size). */
const MAX_TITLE = 1024;

/**
 * Checks the shape of a record edit: every member must be record-only and of the right type. A member the
 * install has but a record edit cannot change → not_implemented (errfield = member); an unknown member →
 * invalid_argument_<member>. Returns the patch with lists de-duplicated.
 */
export function checkRecordPatch(patch: Record<string, unknown>): InstallRecordPatch {
  const out: Record<string, unknown> = {};
  for (const [member, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    if (!(RECORD_ONLY_MEMBERS as readonly string[]).includes(member)) {
      if ((INSTALL_FIELDS as readonly string[]).includes(member)) {
        throw new EngineError('not_implemented', { errfield: member, message: `${member} cannot be changed by a record edit in this release.` });
      }
      throw invalidArgument(member);
    }
    const parsed = zInstall.shape[member as RecordOnlyMember].safeParse(value);
    if (!parsed.success) throw invalidArgument(member);
    out[member] = Array.isArray(parsed.data) ? [...new Set(parsed.data as unknown[])] : parsed.data;
  }
  if (typeof out.title === 'string' && out.title.length > MAX_TITLE) throw invalidArgument('title');
  for (const entry of (out.exclude_files as string[] | undefined) ?? []) {
    // Paths inside the install only: later backups and clones resolve them under the install's directory.
    if (entry === '' || entry.startsWith('/') || entry.includes('\0') || entry.split(/[\\/]/).includes('..')) {
      throw invalidArgument('exclude_files', `exclude_files: "${entry}" must be a path inside the install.`);
    }
  }
  return out as InstallRecordPatch;
}

/** Rules that hold across members once the patch is merged into the record. */
export function checkMergedRecord(next: Install): void {
  if (next.autobk === 'schedule' && next.autobk_schedule === '') {
    throw new EngineError('empty_argument_autobk_schedule', { errfield: 'autobk_schedule', message: 'autobk=schedule needs autobk_schedule.' });
  }
}
