import { EngineError, invalidArgument, zBackupSchedule, type BackupSchedule } from '@installgate/contracts';
import type { EngineContext } from '../engine-context';
import type { Scope } from '../access/actor';
import type { Visibility } from '../access/visibility';
import { newRecordId } from '../store/new-record-id';
import { checkRecord } from '../store/record-codec';

/** The built-in schedules (spec §5.4): ids are documented, counts are daily/weekly/monthly backups kept. */
export const BUILTIN_SCHEDULES: readonly BackupSchedule[] = Object.freeze([
  { id: 'weeklymonthly', name: '1 weekly and 1 monthly backup', daily: 0, weekly: 1, monthly: 1, enabled: true, forced: false, location: '' },
  { id: 'dailyweeklymonthly', name: '1 daily, 1 weekly and 1 monthly backup', daily: 1, weekly: 1, monthly: 1, enabled: true, forced: false, location: '' },
  { id: 'daily30', name: '30 daily backups', daily: 30, weekly: 0, monthly: 0, enabled: true, forced: false, location: '' },
]);

/** A schedule to store; omitted members take the documented defaults (daily 1, weekly 0, monthly 0). */
export type ScheduleInsert = Partial<BackupSchedule> & { name: string; user?: string };

interface ScheduleRow {
  id: string;
  name: string;
  daily: number | string;
  weekly: number | string;
  monthly: number | string;
  enabled: number | boolean;
  forced: number | boolean;
  location: string;
}

/** Backup schedules: the three built-ins plus stored ones. */
export interface SchedulesService {
  /**
   * Every schedule, built-ins first. Schedules have no owner in the API, so every account sees them all;
   * `user` is still checked (must exist and be visible); `group` is accepted and ignored.
   */
  list(scope: Scope, q?: { user?: string; group?: string }): Promise<BackupSchedule[]>;
  /** One schedule. Unknown → schedule_not_found (errfield autobk_schedule). */
  get(id: string): Promise<BackupSchedule>;
  /** Stores a schedule (repository level). Id defaults to 32 random characters (spec §1.10). */
  insert(row: ScheduleInsert): Promise<BackupSchedule>;
}

function fromRow(row: ScheduleRow): BackupSchedule {
  return {
    id: row.id,
    name: row.name,
    daily: Number(row.daily),
    weekly: Number(row.weekly),
    monthly: Number(row.monthly),
    enabled: Boolean(row.enabled),
    forced: Boolean(row.forced),
    location: row.location,
  };
}

/** The schedules service over `backup_schedules`. */
export function createSchedulesService(ctx: EngineContext, vis: Visibility): SchedulesService {
  const { db } = ctx;
  return {
    async list(scope, q = {}) {
      if (q.user && !(q.user === ctx.settings.admin && scope.actor.kind === 'admin')) await vis.requireUser(scope.actor, q.user);
      const rows = (await db('backup_schedules').select('*').orderBy([{ column: 'name' }, { column: 'id' }])) as ScheduleRow[];
      return [...BUILTIN_SCHEDULES, ...rows.map(fromRow)];
    },

    async get(id) {
      const builtin = BUILTIN_SCHEDULES.find((s) => s.id === id);
      if (builtin) return builtin;
      const row = (await db('backup_schedules').where({ id }).first()) as ScheduleRow | undefined;
      if (!row) throw new EngineError('schedule_not_found', { errfield: 'autobk_schedule' });
      return fromRow(row);
    },

    async insert(input) {
      const id = input.id ?? newRecordId(32);
      if (!/^[A-Za-z0-9_-]{1,64}$/.test(id) || BUILTIN_SCHEDULES.some((s) => s.id === id)) throw invalidArgument('id');
      if (!input.name || input.name.length > 255) throw invalidArgument('name');
      for (const count of ['daily', 'weekly', 'monthly'] as const) {
        const v = input[count];
        if (v !== undefined && (!Number.isInteger(v) || v < 0 || v > 10000)) throw invalidArgument(count);
      }
      const schedule = checkRecord(zBackupSchedule, {
        id,
        name: input.name,
        daily: input.daily ?? 1,
        weekly: input.weekly ?? 0,
        monthly: input.monthly ?? 0,
        enabled: input.enabled ?? true,
        forced: input.forced ?? false,
        location: input.location ?? '',
      }, 'backup schedule');
      await db('backup_schedules').insert({ ...scheduleColumns(schedule), user: input.user ?? '', created_at: ctx.clock() });
      return schedule;
    },
  };
}

/** The stored columns of a schedule (explicit allowlist). */
function scheduleColumns(s: BackupSchedule) {
  return { id: s.id, name: s.name, daily: s.daily, weekly: s.weekly, monthly: s.monthly, enabled: s.enabled, forced: s.forced, location: s.location };
}
