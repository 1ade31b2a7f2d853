import { z } from 'zod';
import { AUTOBK, NOTIFICATIONS, EngineError, type Autobk } from '@installgate/contracts';
import { zBool, zInt, zList } from './coerce';

/** `autoup`: none | minor | all; `custom` is accepted as an input alias of `minor` (spec §4.5 ruling). */
export const zAutoupInput = z.preprocess((v) => (v === 'custom' ? 'minor' : v), z.enum(['none', 'minor', 'all']));

/** `notification`: a list of types; `all` stands for every type (spec §8.3). */
export const zNotificationInput = zList.transform((list, ctx) => {
  if (list.includes('all')) return [...NOTIFICATIONS];
  for (const n of list) {
    if (!(NOTIFICATIONS as readonly string[]).includes(n)) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: `unknown notification type ${n}` });
      return z.NEVER;
    }
  }
  return list as (typeof NOTIFICATIONS)[number][];
});

/** `autobk`: none | schedule | custom, or (v1 style) a schedule id meaning `schedule` with that id. */
export const zAutobkInput = z.string().min(0).max(64);

/** Members of an install that `POST /installs/{id}` changes in the record alone (spec §2.2). */
export const zInstallRecordEdit = z.object({
  autoup: zAutoupInput.optional(),
  autoup_backup: z.enum(['none', 'all']).optional(),
  autoup_plugins: z.enum(['none', 'all', 'custom']).optional(),
  autoup_themes: z.enum(['none', 'all', 'custom']).optional(),
  notification: zNotificationInput.optional(),
  autobk: zAutobkInput.optional(),
  autobk_schedule: z.string().max(64).optional(),
  autobk_daily: zInt.pipe(z.number().int().min(0).max(1000)).optional(),
  autobk_weekly: zInt.pipe(z.number().int().min(0).max(1000)).optional(),
  autobk_monthly: zInt.pipe(z.number().int().min(0).max(1000)).optional(),
  bkloc: z.string().min(1).max(2048).optional(),
  exclude_files: zList.optional(),
  delete: zBool.optional(),
  delete_backups: zBool.optional(),
});

export type InstallRecordEdit = z.infer<typeof zInstallRecordEdit>;

/** Splits v1-style `autobk=<schedule id>` into `autobk=schedule` + `autobk_schedule`. */
export function normaliseAutobk<T extends { autobk?: string; autobk_schedule?: string }>(edit: T): Omit<T, 'autobk'> & { autobk?: Autobk } {
  const { autobk, ...rest } = edit;
  if (autobk === undefined) return rest;
  if (autobk === '') return { ...rest, autobk: 'none' };
  if ((AUTOBK as readonly string[]).includes(autobk)) return { ...rest, autobk: autobk as Autobk };
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(autobk)) throw new EngineError('invalid_argument_autobk', { errfield: 'autobk' });
  return { ...rest, autobk: 'schedule', autobk_schedule: autobk };
}

/** Members of `POST /installs/{id}` that change the application itself (its admin account, title, database). */
export const zAppEdit = z.object({
  login: z.string().min(1).max(60).optional(),
  passwd: z.string().min(6).max(200).optional(),
  email: z.string().min(3).max(320).optional(),
  sitetitle: z.string().max(200).optional(),
  db_host: z.string().min(1).max(255).optional(),
  db_name: z.string().min(1).max(64).optional(),
  db_user: z.string().min(1).max(80).optional(),
  db_pass: z.string().max(255).optional(),
  db_prefix: z.string().max(32).optional(),
  url: z.string().min(1).max(2048).optional(),
  language: z.string().min(2).max(16).optional(),
});
