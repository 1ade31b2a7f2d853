import { V2_ROUTES } from '@installgate/contracts';
import { COMMAND_TABLE } from './command-table';
import { describeCommands } from './describe-commands';

/** Every v1 command of spec §3 and the API v2 notes. */
const V1_COMMANDS = [
  'browser', 'install', 'import', 'migrate', 'installs', 'view', 'edit', 'backup', 'update', 'upgrade', 'template', 'clone',
  'sync', 'createadminsso', 'detach', 'uninstall', 'backups', 'editbackup', 'restore', 'restoreto', 'delete',
  'importbackup', 'templates', 'edittemplate', 'deletetemplate', 'users', 'edituser', 'guixfer', 'deleteuser', 'logs', 'tasks',
];

describe('command table', () => {
  it('covers every v1 command, and only those', () => {
    expect([...new Set(COMMAND_TABLE.map((r) => r.cmd))].sort()).toEqual([...V1_COMMANDS].sort());
  });
  it('points every row at a v2 route', () => {
    const ops = new Set<string>(V2_ROUTES.map((r) => r.op));
    expect(COMMAND_TABLE.filter((r) => !ops.has(r.op))).toEqual([]);
  });
  it('gives every command a row without selector that matches when nothing else does', () => {
    for (const cmd of V1_COMMANDS) {
      const rows = COMMAND_TABLE.filter((r) => r.cmd === cmd && !r.selector);
      expect({ cmd, last: rows[rows.length - 1]?.when?.is ?? 'always' }).toEqual({ cmd, last: expect.stringMatching(/^(always|present|absent)$/) });
      const whens = rows.map((r) => r.when);
      const exhaustive = whens.some((w) => !w) || (whens.some((w) => w?.is === 'present') && whens.some((w) => w?.is === 'absent'));
      expect({ cmd, exhaustive }).toEqual({ cmd, exhaustive: true });
    }
  });
  it('has one canonical row per operation, or canonical selectors told apart by their implied parameters', () => {
    const byOp = new Map<string, typeof COMMAND_TABLE[number][]>();
    for (const r of COMMAND_TABLE.filter((row) => row.canonical)) byOp.set(r.op, [...(byOp.get(r.op) ?? []), r]);
    for (const [op, rows] of byOp) {
      if (rows.length === 1) continue;
      expect({ op, allSelectors: rows.every((r) => r.selector) }).toEqual({ op, allSelectors: true });
      const fixed = rows.map((r) => JSON.stringify(r.fixed ?? {}));
      expect({ op, distinct: new Set(fixed).size }).toEqual({ op, distinct: rows.length });
    }
  });
  it('gives every row a note and a docs line', () => {
    expect(COMMAND_TABLE.filter((r) => !r.note.trim())).toEqual([]);
    expect(describeCommands()).toContainEqual(expect.objectContaining({
      v1: 'cmd=edit&id={id}&activate-plugin={slug}', v2: 'POST /installs/{id}/plugins/{slug} activated=true',
    }));
  });
});
