import { z } from 'zod';

/** A backup location (spec §5.2). `uri` is always shown with its credentials masked. */
export const zBackupLocation = z.object({
  id: z.string(),
  name: z.string(),
  desc: z.string(),
  uri: z.string(),
  scope: z.enum(['user', 'admin']),
  enabled: z.boolean(),
  default: z.boolean(),
  user: z.string(),
}).strict();

/** A backup schedule (spec §5.4). */
export const zBackupSchedule = z.object({
  id: z.string(),
  name: z.string(),
  daily: z.number().int().nonnegative(),
  weekly: z.number().int().nonnegative(),
  monthly: z.number().int().nonnegative(),
  enabled: z.boolean(),
  forced: z.boolean(),
  location: z.string(),
}).strict();

export type BackupLocation = z.infer<typeof zBackupLocation>;
export type BackupSchedule = z.infer<typeof zBackupSchedule>;
