import fc from 'fast-check';
import { NOTIFICATIONS } from '@installgate/contracts';
import { COMMAND_TABLE, STRIPPED_PARAMS, type CommandRule } from './command-table';
import { fromV2Call } from './from-v2-call';
import { translateCommand } from './translate-command';

/**
 * P5: every v1 command survives v1 → v2 call → v1. Requests are generated per command-table row in their canonical
 * v1 spelling; no parameter may be lost when it moves into the path or into a selector.
 */

const ID = fc.stringMatching(/^[A-Za-z0-9_-]{1,25}$/);
const SLUG = fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,15}$/);
const TEXT = fc.string({ maxLength: 10 });
const SLUG_LIST = fc.oneof(fc.constant('*'), fc.uniqueArray(SLUG, { minLength: 1, maxLength: 3 }).map((s) => s.join(',')));
const SCHEDULE_ID = fc.stringMatching(/^[a-z0-9]{1,32}$/).filter((s) => s !== 'none' && s !== 'custom');

/** Canonical v1 spellings of the parameters the translation touches, plus plain pass-through ones. */
const V1_PARAMS: Record<string, fc.Arbitrary<unknown>> = {
  autoup: fc.constantFrom('0', '1', '2'),
  autoup_plugins: fc.constantFrom('0', '1', '2'),
  autoup_themes: fc.constantFrom('0', '1', '2'),
  autoup_backup: fc.constantFrom('0', '1'),
  notification: fc.shuffledSubarray(NOTIFICATIONS.slice(0, 14)).map((list) => list.join(',')),
  revert: fc.constantFrom('yes', 'no'),
  dryrun: fc.constantFrom('1', '2'),
  background: fc.constantFrom('1', 'quick'),
  autobk: fc.oneof(fc.constant(''), fc.constant('custom'), SCHEDULE_ID),
  'filter-version-available': fc.constantFrom('yes', 'no'),
  'filter-version-available-minor': fc.constantFrom('yes', 'no'),
  'filter-ownedaccounts': fc.constantFrom('', 'no'),
  'delete-backups': fc.constantFrom('true', 'false'),
  delete: fc.constantFrom('true', 'false'),
  force: fc.constant('1'),
  plugin: SLUG_LIST,
  theme: SLUG_LIST,
  stage: fc.constantFrom('true', 'false'),
  addons: fc.constantFrom('1', '0'),
  suspended: fc.constantFrom('yes', 'no'),
  'from-version': TEXT,
  'versions-available-from': TEXT,
  source_ftu: TEXT,
  source_ftu_key: TEXT,
  source_url: TEXT,
  user: ID,
  id: ID,
  application: ID,
  url: TEXT,
  version: TEXT,
  language: TEXT,
  q: TEXT,
  expiry: TEXT,
  login: TEXT,
  passwd: TEXT,
};

/** Parameters that only some operations carry in canonical form. */
const BY_OP: Record<string, Record<string, fc.Arbitrary<unknown>>> = {
  'browser.list': { application: fc.uniqueArray(ID, { minLength: 2, maxLength: 3 }) },
  'users.edit': {
    websites: fc.array(fc.record({ label: TEXT, path: TEXT, suspended: fc.constantFrom('yes', 'no') }, { requiredKeys: ['label'], noNullPrototype: true }), { maxLength: 2 }),
  },
};

/** Names a generated parameter must not use for this row: they select or build the call. */
function reserved(row: CommandRule): Set<string> {
  const names = new Set<string>(STRIPPED_PARAMS);
  for (const other of COMMAND_TABLE.filter((r) => r.cmd === row.cmd)) {
    if (other.when) names.add(other.when.param);
    if (other.selector) names.add(other.selector.param);
    for (const v1 of Object.values(other.moves ?? {})) names.add(v1);
    if (other.op === row.op) for (const name of Object.keys(other.fixed ?? {})) names.add(name);
  }
  return names;
}

/** A canonical v1 request for a row. */
function requestFor(row: CommandRule): fc.Arbitrary<Record<string, unknown>> {
  const base: Record<string, fc.Arbitrary<unknown>> = { api: fc.constant('json'), cmd: fc.constant(row.cmd) };
  for (const v1 of Object.values(row.moves ?? {})) base[v1] = ID;
  if (row.selector) base[row.selector.param] = row.selector.value === 'slug' ? SLUG : fc.constant('1');
  if (row.when?.is === 'present' && !base[row.when.param]) base[row.when.param] = TEXT.filter((s) => s !== '');
  const skip = reserved(row);
  const optional: Record<string, fc.Arbitrary<unknown>> = { ...BY_OP[row.op] };
  for (const [name, arb] of Object.entries(V1_PARAMS)) if (!skip.has(name) && !optional[name]) optional[name] = arb;
  const extras = fc.dictionary(fc.stringMatching(/^x_[a-z0-9]{1,6}$/), TEXT, { maxKeys: 2, noNullPrototype: true });
  return fc
    .tuple(fc.record(base, { noNullPrototype: true }), fc.record(optional, { requiredKeys: [], noNullPrototype: true }), extras)
    .map(([b, o, x]) => ({ ...x, ...o, ...b }));
}

const label = (row: CommandRule) => `${row.cmd}${row.selector ? ` ${row.selector.param}` : ''}${row.when ? ` (${row.when.param} ${row.when.is})` : ''} → ${row.op}`;
const CANONICAL = COMMAND_TABLE.filter((r) => r.canonical).map((r) => [label(r), r] as const);
const ALL = COMMAND_TABLE.map((r) => [label(r), r] as const);

describe('P5: v1 command round trip', () => {
  it.each(CANONICAL)('%s', (_label, row) => {
    fc.assert(fc.property(requestFor(row), (q) => {
      const call = translateCommand(q);
      expect(call.op).toBe(row.op);
      expect(fromV2Call(call)).toStrictEqual(q);
    }), { numRuns: 60 });
  });

  it('combined plugin/theme edit selectors', () => {
    const combos = fc.record({
      kind: fc.constantFrom('plugin', 'theme'),
      activation: fc.constantFrom('activate', 'deactivate'),
      autoup: fc.constantFrom('auotup', 'noautoup'),
      id: ID,
      slug: SLUG,
    });
    fc.assert(fc.property(combos, ({ kind, activation, autoup, id, slug }) => {
      const q = { api: 'json', cmd: 'edit', id, [`${activation}-${kind}`]: slug, [`${autoup}-${kind}`]: slug };
      expect(fromV2Call(translateCommand(q))).toStrictEqual(q);
    }));
  });
});

describe('aliases and other spellings', () => {
  it.each(ALL)('%s: translating the canonical form again gives the same call', (_label, row) => {
    fc.assert(fc.property(requestFor(row), (q) => {
      const call = translateCommand(q);
      expect(translateCommand(fromV2Call(call))).toStrictEqual(call);
    }), { numRuns: 30 });
  });

  it.each([
    [{ cmd: 'upgrade', id: 'i' }, { cmd: 'update', id: 'i' }],
    [{ cmd: 'edit', id: 'i', 'autoup-plugin': 's' }, { cmd: 'edit', id: 'i', 'auotup-plugin': 's' }],
    [{ cmd: 'edit', id: 'i', 'autoup-theme': 's' }, { cmd: 'edit', id: 'i', 'auotup-theme': 's' }],
    [{ cmd: 'import', application: 'w', source_url: 's', url: 'u' }, { cmd: 'migrate', application: 'w', source_url: 's', url: 'u' }],
    [{ cmd: 'restore', id: 'b', url: 'u' }, { cmd: 'restoreto', id: 'b', url: 'u' }],
    [{ cmd: 'browser', application: 'a,b' }, { cmd: 'browser', application: ['a', 'b'] }],
    [{ cmd: 'browser', application: ['a'] }, { cmd: 'browser', application: 'a' }],
    [{ cmd: 'edit', id: 'i', autoup: 'custom', notification: 'all' }, { cmd: 'edit', id: 'i', autoup: '1', notification: NOTIFICATIONS.slice(0, 14).join(',') }],
    [{ cmd: 'edit', id: 'i', 'install-plugin': 's', 'activate-plugin': 's' }, { cmd: 'edit', id: 'i', 'activate-plugin': 's' }],
  ])('%j means %j', (alias, canonical) => {
    expect(translateCommand(alias)).toStrictEqual(translateCommand(canonical));
    expect(fromV2Call(translateCommand(alias))).toStrictEqual({ api: 'json', ...canonical });
  });

  it('fromV2Call refuses operations v1 has no command for', () => {
    expect(() => fromV2Call({ op: 'plugins.get', pathParams: { id: 'i', slug: 's' }, params: {} })).toThrow(/no command/);
  });
});
