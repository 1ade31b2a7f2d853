/** Data versions of the API (spec §4.6). */
export const DATA_VERSIONS = ['1.0', '2.0'] as const;
export type DataVersion = (typeof DATA_VERSIONS)[number];
/** Request styles: v1 `?api=json&cmd=…` or v2 REST paths. */
export type RequestStyle = 'cmd' | 'rest';
export const API_VERSION_HEADER = 'x-api-version';
export const API_VERSION_PARAM = 'api_version';
/** The default data version of each request style. */
export const DEFAULT_DATA_VERSION = { cmd: '1.0', rest: '2.0' } as const satisfies Record<RequestStyle, DataVersion>;
