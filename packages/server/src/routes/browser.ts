import { z } from 'zod';
import { EngineError, isEngineError, type ApplicationVersion } from '@installgate/contracts';
import { pageArray } from '@installgate/core';
import type { OpTable } from '../operation';
import { parseParams } from '../params/parse-params';
import { zLimit, zList, zOffset } from '../params/coerce';

/**
 * The application catalog: GET /browser, GET /browser/{id} (v1 `cmd=browser`). The v1 adapter sends one
 * `application` to browser.get (path id) and several to browser.list (the `application` filter).
 *
 * Errors (spec §2.1, §1.11, §9 #15), pinned by compat-tests/src/browser.test.ts for v1 and v2:
 * - GET /browser/{id} with an {id} that is unknown, or known but without any release in the mirror: 403
 *   `invalid_argument_id`, errfield `id` — the code that page documents for "{id} not valid / not in list"
 *   (kept at 403 as documented). v1 `cmd=browser&application=X` is this operation, so it answers the same errcode.
 * - GET /browser?application=X,Y with an id that is not in the catalog: 404 `application_not_found`, errfield
 *   `application` — GET /browser documents this code ("app not in the Browser API"), and here the id is a filter
 *   value, not the path object. v1 `cmd=browser` with several applications is this operation.
 * - `version` that is malformed or not a release in the mirror: 400 `invalid_argument_version` (documented on
 *   GET /browser); malformed `from_version` / `versions_available_from` / `language`: 400
 *   `invalid_argument_<field>` (ours, by the naming pattern).
 */

/** Version parameters arrive as strings (query, form) or numbers (JSON `6.5`); the catalog checks the format. */
const zVersionParam = z.preprocess((v) => (typeof v === 'number' && Number.isFinite(v) ? String(v) : v), z.string().min(1).max(64));
const zLanguage = z.string().min(1).max(16);

const zBrowserList = z.object({
  user: z.string().optional(),
  /** v1 one id, an array, or a comma list (spec §2.1); the v2 filter the v1 adapter writes for several ids. */
  application: zList.pipe(z.array(z.string().min(1).max(128)).max(100)).optional(),
  language: zLanguage.optional(),
  offset: zOffset.default(0),
  limit: zLimit.default(50),
});

const zBrowserGet = z.object({
  user: z.string().optional(),
  version: zVersionParam.optional(),
  from_version: zVersionParam.optional(),
  versions_available_from: zVersionParam.optional(),
  language: zLanguage.optional(),
  offset: zOffset.default(0),
  limit: zLimit.default(50),
});

/** Runs a catalog call, turning application_not_found into the errcode the operation documents. */
function asOperationError<T>(f: () => T, onNotFound: () => EngineError): T {
  try {
    return f();
  } catch (e) {
    if (isEngineError(e) && e.errcode === 'application_not_found') throw onNotFound();
    throw e;
  }
}

export const browserRoutes: OpTable = {
  /**
   * Without `application`: the newest installable version of each application, sorted by id. With one or more
   * `application` ids (v1: "the ID of the application to list available versions of"): every version of those
   * applications, by id, each newest first.
   */
  'browser.list': async ({ engine, params }) => {
    const p = parseParams(zBrowserList, params);
    let all: ApplicationVersion[];
    if (p.application !== undefined && p.application.length > 0) {
      const ids = [...new Set(p.application)].sort();
      all = ids.flatMap((id) => asOperationError(
        () => engine.catalog.get(id, { language: p.language }),
        () => new EngineError('application_not_found', { errfield: 'application', message: `The application ${id} was not found.` }),
      ));
    } else {
      all = engine.catalog.list({ language: p.language });
    }
    const page = pageArray(all, p);
    return { data: page.items, page: { total_count: page.total_count, has_more: page.has_more } };
  },

  /**
   * The versions of one application, newest first; `version` = only that one; `from_version` = from it upward,
   * each with `upgrade_from`; `versions_available_from` = instead of versions, the object
   * `{ versions_available, versions_available_minor }` (v1 `versions-available`, `versions-available-minor`).
   */
  'browser.get': async ({ engine, path, params }) => {
    const p = parseParams(zBrowserGet, params);
    const id = path.id!;
    const notInList = () => new EngineError('invalid_argument_id', { errfield: 'id', message: `${id} is not an application of this server's catalog.` });
    if (p.versions_available_from !== undefined) {
      const vaf = p.versions_available_from;
      return { data: asOperationError(() => engine.catalog.versionsAvailableFrom(id, vaf), notInList) };
    }
    const all = asOperationError(() => engine.catalog.get(id, { version: p.version, from_version: p.from_version, language: p.language }), notInList);
    const page = pageArray(all, p);
    return { data: page.items, page: { total_count: page.total_count, has_more: page.has_more } };
  },
};
