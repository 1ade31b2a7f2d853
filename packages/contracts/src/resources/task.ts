import { z } from 'zod';
import { zTaskStatus } from './enums';

/** The task object (spec §6). `cmd` is the v2 `resource/action` name; the v1 map turns it into the v1 verb. */
export const zTask = z.object({
  id: z.string(),
  user: z.string(),
  ws_label: z.string(),
  url: z.string(),
  title: z.string(),
  label: z.string(),
  status: zTaskStatus,
  rate: z.number().int(),
  percentMin: z.number().int().min(0).max(100),
  percentMax: z.number().int().min(0).max(100),
  message: z.string(),
  cmd: z.string(),
  install: z.string(),
  time: z.number().int(),
  /** ours: errcode of a failed task (null otherwise). */
  errcode: z.string().nullable(),
  /** ours: unix time the task ended (0 while it runs). */
  time_finished: z.number().int(),
}).strict();

export type Task = z.infer<typeof zTask>;
export const TASK_FIELDS = Object.keys(zTask.shape) as (keyof Task)[];
