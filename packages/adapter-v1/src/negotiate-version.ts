import {
  API_VERSION_PARAM, DEFAULT_DATA_VERSION, EngineError, type DataVersion, type RequestStyle,
} from '@installgate/contracts';

/**
 * The spellings of a data version we accept. The documentation only shows `1.0` and `2.0` (spec §4.6); `1`, `2`,
 * `v1`, `v2` (any case) are accepted too because they are unambiguous and clients write them.
 */
const SPELLINGS: Readonly<Record<string, DataVersion>> = {
  '1.0': '1.0', '1': '1.0', v1: '1.0', 'v1.0': '1.0',
  '2.0': '2.0', '2': '2.0', v2: '2.0', 'v2.0': '2.0',
};

function badVersion(): EngineError {
  return new EngineError('invalid_argument_api_version', { errfield: API_VERSION_PARAM });
}

/**
 * The version marker values a header or parameter carries. Repeated headers arrive as an array or joined with
 * commas; repeated query parameters as an array. An empty marker counts as absent.
 */
function markers(raw: unknown): string[] {
  const list = Array.isArray(raw) ? raw : [raw];
  return list
    .filter((v) => typeof v === 'string' || typeof v === 'number')
    .flatMap((v) => String(v).split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

/** One data version from the markers, `undefined` when there are none; unknown or conflicting values throw. */
function versionOf(raw: unknown): DataVersion | undefined {
  if (raw !== undefined && raw !== null && typeof raw === 'object' && !Array.isArray(raw)) throw badVersion();
  const found = markers(raw).map((m) => SPELLINGS[m.toLowerCase()]);
  if (found.length === 0) return undefined;
  if (found.some((v) => v === undefined || v !== found[0])) throw badVersion();
  return found[0];
}

/**
 * The data version of a request (spec §4.6): header `X-API-Version` wins over the `api_version` parameter; without
 * either, cmd requests get `1.0` and REST requests `2.0`. `query` may be the whole query object (its `api_version`
 * member is read) or the parameter's value itself. Anything but a known version throws
 * `invalid_argument_api_version` (errfield `api_version`).
 */
export function negotiateVersion(input: { style: RequestStyle; header?: string | string[]; query?: unknown }): DataVersion {
  const fromHeader = versionOf(input.header);
  if (fromHeader) return fromHeader;
  const { query } = input;
  const queryValue = query !== null && typeof query === 'object' && !Array.isArray(query)
    ? (query as Record<string, unknown>)[API_VERSION_PARAM]
    : query;
  return versionOf(queryValue) ?? DEFAULT_DATA_VERSION[input.style];
}
