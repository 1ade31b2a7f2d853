/**
 * The one errcode catalogue: every errcode the API emits, with the HTTP status it belongs to (spec §1.11).
 * Codes marked `ours` are not in the Installatron documentation; we chose them following its naming pattern.
 * Only the HTTP edge turns an errcode into a status (see `statusOf`).
 */
export const ERRCODES = {
  // 200
  complete_dryrun: { status: 200, ours: false, message: 'The dry run is complete; nothing was changed.' },
  // 400
  invalid_argument_version: { status: 400, ours: false, message: 'The version is not valid.' },
  invalid_argument_version_noupdate: { status: 400, ours: false, message: 'The install cannot be updated to that version.' },
  invalid_argument_version_manualupdate: { status: 400, ours: false, message: 'Only a manual update to that version is possible.' },
  invalid_argument_version_unmetrequirements: { status: 400, ours: false, message: 'That version does not meet the requirements of this website (PHP, MySQL or disk space).' },
  failed_backup_format: { status: 400, ours: false, message: 'The archive is not an Installgate/Installatron backup (no top-level APP-META.INI).' },
  invalid_argument_bkloc: { status: 400, ours: false, message: 'The backup location is not valid.' },
  invalid_argument_bkloc_empty: { status: 400, ours: false, message: 'There are no backups at that backup location.' },
  invalid_backup_owner: { status: 400, ours: false, message: 'The owner of the backup is not valid.' },
  empty_argument_user: { status: 400, ours: false, message: 'No user was given.' },
  invalid_argument_uri: { status: 400, ours: false, message: 'The backup location URI is not valid.' },
  invalid_argument_api_version: { status: 400, ours: true, message: 'Unknown API version; use 1.0 or 2.0.' },
  invalid_argument_offset: { status: 400, ours: true, message: 'offset must be a whole number of 0 or more.' },
  invalid_argument_limit: { status: 400, ours: true, message: 'limit must be a whole number from 1 to 1000.' },
  invalid_argument_dryrun: { status: 400, ours: true, message: 'dryrun must be none, input or all (v1: 1 or 2).' },
  invalid_argument_background: { status: 400, ours: true, message: 'background must be a boolean or "quick".' },
  invalid_argument_cmd: { status: 400, ours: true, message: 'Unknown cmd.' },
  empty_argument_cmd: { status: 400, ours: true, message: 'No cmd was given.' },
  empty_argument_id: { status: 400, ours: true, message: 'No id was given.' },
  invalid_json: { status: 400, ours: true, message: 'The request body is not valid JSON.' },
  invalid_body: { status: 400, ours: true, message: 'The request body could not be read.' },
  invalid_argument_url: { status: 400, ours: true, message: 'The URL is not valid or is not served by one of the user\'s websites.' },
  empty_argument_url: { status: 400, ours: true, message: 'No URL was given.' },
  empty_argument_db_name: { status: 400, ours: true, message: 'No database was given and no database server is configured to create one.' },
  invalid_argument_method_override: { status: 405, ours: true, message: 'X-HTTP-Method-Override must be GET, POST or DELETE.' },
  // 403
  invalid_api_key: { status: 403, ours: false, message: 'The server\'s Installatron Server Key is invalid.' },
  invalid_argument_user: { status: 403, ours: false, message: 'The user specified is not authorized to access this data.' },
  invalid_argument_id: { status: 403, ours: false, message: 'The id is not valid or is not in the list.' },
  // 404
  application_not_found: { status: 404, ours: false, message: 'The application was not found.' },
  user_not_found: { status: 404, ours: false, message: 'The specified user could not be found.' },
  install_not_found: { status: 404, ours: false, message: 'The install was not found.' },
  backup_not_found: { status: 404, ours: false, message: 'The backup was not found.' },
  plugin_not_found: { status: 404, ours: false, message: 'The plugin was not found on this install.' },
  theme_not_found: { status: 404, ours: false, message: 'The theme was not found on this install.' },
  template_not_found: { status: 404, ours: true, message: 'The template was not found.' },
  schedule_not_found: { status: 404, ours: true, message: 'The backup schedule was not found.' },
  location_not_found: { status: 404, ours: true, message: 'The backup location was not found.' },
  task_not_found: { status: 404, ours: true, message: 'The task was not found.' },
  route_not_found: { status: 404, ours: true, message: 'No API endpoint at this path and method.' },
  // 405
  method_not_allowed: { status: 405, ours: true, message: 'This endpoint does not accept that HTTP method.' },
  // 409
  install_busy: { status: 409, ours: true, message: 'Another task is already changing this install; wait for it to finish.' },
  user_exists: { status: 409, ours: true, message: 'A user with that id already exists.' },
  // 413
  payload_too_large: { status: 413, ours: true, message: 'The request body is too large.' },
  // 415
  unsupported_media_type: { status: 415, ours: true, message: 'Send application/json or application/x-www-form-urlencoded.' },
  // 500
  failed_backup_download: { status: 500, ours: false, message: 'The backup archive could not be downloaded.' },
  failed_backup_owner: { status: 500, ours: false, message: 'The owner of the backup could not be resolved.' },
  failed_website_vhost: { status: 500, ours: false, message: 'The user\'s hosting account does not manage this domain.' },
  failed_filesystem_directory: { status: 500, ours: false, message: 'The install\'s folder no longer exists.' },
  failed_filesystem_host: { status: 500, ours: false, message: 'The remote host could not be reached.' },
  failed_filesystem_login: { status: 500, ours: false, message: 'The server rejected the login.' },
  failed_filesystem_ondemand: { status: 500, ours: false, message: 'The path returned by the on-demand path hook is not valid.' },
  failed_filesystem_permission: { status: 500, ours: false, message: 'Insufficient permissions on the path.' },
  failed_filesystem_quota: { status: 500, ours: false, message: 'Disk space or inode quota exceeded.' },
  internal_error: { status: 500, ours: true, message: 'Internal error; the cause was logged on the server.' },
  // 501
  not_implemented: { status: 501, ours: true, message: 'This operation is not available in this Installgate release yet.' },
  // 503
  service_unavailable: { status: 503, ours: true, message: 'A service this operation needs is not available.' },
} as const;

/** Every errcode the catalogue knows. */
export type CatalogueErrcode = keyof typeof ERRCODES;

/**
 * An errcode: one of the catalogue, or a field-specific `invalid_argument_<field>` / `empty_argument_<field>` (400),
 * which the spec asks for on any enum/format error of a field (§1.11 "ours").
 */
export type Errcode = CatalogueErrcode | `invalid_argument_${string}` | `empty_argument_${string}`;

const FIELD_ERRCODE = /^(invalid|empty)_argument_[a-z0-9_]+$/;

/** True when `code` may be emitted: in the catalogue or a field-specific argument error. */
export function isErrcode(code: string): code is Errcode {
  return Object.prototype.hasOwnProperty.call(ERRCODES, code) || FIELD_ERRCODE.test(code);
}

/** The HTTP status of an errcode. Field-specific argument errors are 400; anything unknown is a 500. */
export function statusOf(code: string): number {
  if (Object.prototype.hasOwnProperty.call(ERRCODES, code)) return ERRCODES[code as CatalogueErrcode].status;
  if (FIELD_ERRCODE.test(code)) return 400;
  return 500;
}

/** Default human message of an errcode (clients must not parse messages). */
export function defaultMessage(code: string, errfield?: string | null): string {
  if (Object.prototype.hasOwnProperty.call(ERRCODES, code)) return ERRCODES[code as CatalogueErrcode].message;
  const m = /^(invalid|empty)_argument_(.+)$/.exec(code);
  if (m) return m[1] === 'empty' ? `${errfield ?? m[2]} is required.` : `${errfield ?? m[2]} is not valid.`;
  return ERRCODES.internal_error.message;
}
