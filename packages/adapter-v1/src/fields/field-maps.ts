import { EngineError, isEngineError, type DataResource } from '@installgate/contracts';
import { APPLICATION_MAP } from './application';
import { BACKUP_MAP } from './backup';
import type { FieldMap } from './field-map';
import { INSTALL_MAP } from './install';
import { LOCATION_MAP } from './location';
import { LOG_MAP } from './log';
import { PLUGIN_MAP } from './plugin';
import { SCHEDULE_MAP } from './schedule';
import { TASK_MAP } from './task';
import { TEMPLATE_MAP } from './template';
import { THEME_MAP } from './theme';
import { USER_MAP } from './user';

/** The field map of every data resource (contracts `DATA_RESOURCE`); the compiler checks none is missing. */
export const FIELD_MAPS: Readonly<Record<DataResource, FieldMap>> = {
  install: INSTALL_MAP,
  backup: BACKUP_MAP,
  template: TEMPLATE_MAP,
  application: APPLICATION_MAP,
  task: TASK_MAP,
  user: USER_MAP,
  log: LOG_MAP,
  location: LOCATION_MAP,
  schedule: SCHEDULE_MAP,
  plugin: PLUGIN_MAP,
  theme: THEME_MAP,
};

/**
 * Canonical (v2) data → v1 data, for a response in data version 1.0. Arrays map element-wise; `null`, strings and
 * other non-records pass through. A value outside a codec's table means the canonical data broke its own schema,
 * which is the server's fault, not the caller's: it throws `internal_error` (cause and field attached), never a 400.
 */
export function toV1Data(resource: DataResource, data: unknown): unknown {
  try {
    return FIELD_MAPS[resource].toV1(data);
  } catch (e) {
    if (!isEngineError(e)) throw e;
    throw new EngineError('internal_error', { cause: e, details: { resource, field: e.errfield } });
  }
}

/**
 * v1 data → canonical (v2) data. The inverse of `toV1Data` except for the rules listed in `LOSSY_FIELDS`. Used on
 * data a v1 client sends, so an untranslatable value throws `invalid_argument_<field>` (errfield = the v1 member).
 */
export function toV2Data(resource: DataResource, data: unknown): unknown {
  return FIELD_MAPS[resource].toV2(data);
}
