import { describeCommands, describeParams, describeRules } from '@installgate/adapter-v1';

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** Renders docs/v1-v2-field-map.md from the adapter's rule tables (commands, parameters, data members). */
export function renderFieldMap(): string {
  const out: string[] = [
    '# v1 ↔ v2: commands, parameters and data members',
    '',
    '<!-- Generated from packages/adapter-v1 rule tables by `node compat-tests/dist/docs/write-docs.js`; a test fails when it is stale. -->',
    '',
    'Installgate keeps one canonical (v2) shape and translates v1 at the edge. Every rule below is data in',
    '`packages/adapter-v1`; round-trip property tests check each one both ways. Rules marked *lossy* cannot carry',
    'every v2 value into v1; the reason is given.',
    '',
    '## Commands',
    '',
    '| v1 request | v2 call | note |',
    '| --- | --- | --- |',
    ...describeCommands().map((r) => `| \`${cell(r.v1)}\`${r.canonical ? '' : ' (accepted alias)'} | \`${cell(r.v2)}\` | ${cell(r.note)} |`),
    '',
    '## Request parameters (v1 → v2)',
    '',
    '| v1 | v2 | note |',
    '| --- | --- | --- |',
    ...describeParams().map((r) => `| \`${cell(r.v1)}\` | \`${cell(r.v2)}\` | ${cell(r.note)} |`),
    '',
  ];
  for (const [resource, rows] of Object.entries(describeRules())) {
    out.push(`## Data: ${resource}`, '', '| v1 | v2 | kind | note |', '| --- | --- | --- | --- |');
    for (const r of rows) {
      const lossy = r.lossy ? ` **Lossy:** ${cell(r.lossyReason ?? '')}` : '';
      out.push(`| \`${cell(r.v1)}\` | \`${cell(r.v2)}\` | ${r.kind} | ${cell(r.note)}${lossy} |`);
    }
    out.push('');
  }
  return out.join('\n');
}
