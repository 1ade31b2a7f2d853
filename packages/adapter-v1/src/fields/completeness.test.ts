import {
  ADDON_FIELDS, APPLICATION_FIELDS, BACKUP_FIELDS, INSTALL_FIELDS, LOG_FIELDS, TASK_FIELDS, TEMPLATE_FIELDS, USER_FIELDS,
  WEBSITE_FIELDS, zAppLinks, zBackupLocation, zBackupSchedule, zInstallPlugin, zInstallTheme, type DataResource,
} from '@installgate/contracts';
import type { FieldMap } from './field-map';
import { FIELD_MAPS } from './field-maps';
import { INSTALL_PLUGIN_MAP, INSTALL_THEME_MAP } from './install';
import { WEBSITE_MAP } from './user';
import { APPLICATION_MAP } from './application';

/**
 * P3: every member of every contracts allowlist is covered by exactly one rule, and no rule covers a member outside
 * it unless it says why. A member added to a schema without a v1 decision fails here ("fails the build").
 */
const keysOf = (schema: { shape: Record<string, unknown> }): string[] => Object.keys(schema.shape);

const ALLOWLISTS: ReadonlyArray<[string, FieldMap, readonly string[]]> = [
  ...([
    ['install', INSTALL_FIELDS],
    ['backup', BACKUP_FIELDS],
    ['template', TEMPLATE_FIELDS],
    ['application', APPLICATION_FIELDS],
    ['task', TASK_FIELDS],
    ['user', USER_FIELDS],
    ['log', LOG_FIELDS],
    ['location', keysOf(zBackupLocation)],
    ['schedule', keysOf(zBackupSchedule)],
    ['plugin', ADDON_FIELDS],
    ['theme', ADDON_FIELDS],
  ] as const).map(([resource, fields]): [string, FieldMap, readonly string[]] => [resource, FIELD_MAPS[resource as DataResource], fields]),
  ['install.plugins[]', INSTALL_PLUGIN_MAP, keysOf(zInstallPlugin)],
  ['install.themes[]', INSTALL_THEME_MAP, keysOf(zInstallTheme)],
  ['user.websites[]', WEBSITE_MAP, WEBSITE_FIELDS],
];

describe.each(ALLOWLISTS)('P3 completeness of %s', (_name, map, allowlist) => {
  it('covers every allowlisted member with exactly one rule', () => {
    const missing = allowlist.filter((key) => map.rules.filter((r) => r.v2.includes(key)).length !== 1);
    expect(missing).toEqual([]);
  });

  it('has no rule for a member outside the allowlist unless the rule says why', () => {
    const stray = map.rules.filter((r) => !r.outsideSchema).flatMap((r) => r.v2).filter((key) => !allowlist.includes(key));
    expect(stray).toEqual([]);
  });

  it('gives every v1 and v2 member (aliases included) to one rule only', () => {
    for (const side of ['v1', 'v2'] as const) {
      const names = map.rules.flatMap((r) => [...r[side], ...r[side === 'v1' ? 'v1Aliases' : 'v2Aliases']]);
      expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
    }
  });

  it('gives every rule a note', () => {
    expect(map.rules.filter((r) => !r.note.trim())).toEqual([]);
  });
});

it('P3: maps every application link of the contracts schema', () => {
  const links = APPLICATION_MAP.rules.find((r) => r.v2.includes('links'));
  expect(links?.v1.map((k) => k.replace(/^link_/, '')).sort()).toEqual(keysOf(zAppLinks).sort());
});

it('P3: has a field map for every data resource of the contracts', () => {
  const resources: DataResource[] = ['install', 'backup', 'template', 'application', 'task', 'user', 'log', 'location', 'schedule', 'plugin', 'theme'];
  expect(Object.keys(FIELD_MAPS).sort()).toEqual([...resources].sort());
});
