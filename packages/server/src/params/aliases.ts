/**
 * v1 spellings accepted on every request (spec §4.6: "accept both v1 and v2 names and encodings on every request").
 * The v1 adapter already renames the parameters of `cmd` requests; this covers REST clients sending v1 names.
 * A v1 presence flag such as `filter-ownedaccounts=` (present, empty) means true.
 */
export const PARAM_ALIASES = {
  'filter-version-available': { to: 'filter_version_available', presenceIsTrue: false },
  'filter-version-available-minor': { to: 'filter_version_available_minor', presenceIsTrue: false },
  'filter-ownedaccounts': { to: 'filter_ownedaccounts', presenceIsTrue: true },
  'delete-backups': { to: 'delete_backups', presenceIsTrue: false },
  'from-version': { to: 'from_version', presenceIsTrue: false },
  'versions-available-from': { to: 'versions_available_from', presenceIsTrue: false },
  'autoup-backup': { to: 'autoup_backup', presenceIsTrue: false },
  'autoup-plugins': { to: 'autoup_plugins', presenceIsTrue: false },
  'autoup-themes': { to: 'autoup_themes', presenceIsTrue: false },
  'autobk-daily': { to: 'autobk_daily', presenceIsTrue: false },
  'autobk-weekly': { to: 'autobk_weekly', presenceIsTrue: false },
  'autobk-monthly': { to: 'autobk_monthly', presenceIsTrue: false },
  source_ftu: { to: 'source_path', presenceIsTrue: false },
  reseller: { to: 'parent', presenceIsTrue: false },
  note: { to: 'backup_note', presenceIsTrue: false },
} as const;

/** Returns params with v1 names moved to their v2 names; a v2 name already present wins. */
export function applyAliases(params: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...params };
  for (const [from, rule] of Object.entries(PARAM_ALIASES)) {
    if (from === rule.to || !(from in out)) continue;
    const value = out[from];
    delete out[from];
    if (rule.to in out) continue;
    out[rule.to] = rule.presenceIsTrue && value === '' ? true : value;
  }
  return out;
}
