import { ERRCODES, V2_ROUTES } from '@installgate/contracts';

/** Renders docs/errcodes.md from the one errcode catalogue, so the page cannot drift from the code. */
export function renderErrcodes(): string {
  const rows = Object.entries(ERRCODES)
    .sort(([a, x], [b, y]) => x.status - y.status || a.localeCompare(b))
    .map(([code, e]) => `| \`${code}\` | ${e.status} | ${e.ours ? 'ours' : 'Installatron'} | ${e.message.replace(/\|/g, '\\|')} |`);
  return [
    '# Errcodes',
    '',
    '<!-- Generated from packages/contracts/src/errcodes.ts by `node compat-tests/dist/docs/write-docs.js`; a test fails when it is stale. -->',
    '',
    'Every errcode Installgate emits, with the HTTP status a v2 response (or a `cmd` request with `api_version=2.0`)',
    'carries. v1 responses carry the same errcode with HTTP 200. Besides these, a field that fails validation gives',
    '`invalid_argument_<field>` (or `empty_argument_<field>` when it is required and missing), HTTP 400, with',
    '`errfield` naming the field.',
    '',
    '| errcode | HTTP | from | meaning |',
    '| --- | --- | --- | --- |',
    ...rows,
    '',
    `The v2 endpoints (${V2_ROUTES.length}) are listed in [api-differences.md](api-differences.md) and the Installatron documentation.`,
    '',
  ].join('\n');
}
