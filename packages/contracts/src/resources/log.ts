import { z } from 'zod';
import { zSeverity } from './enums';

/** A log entry (spec §8.7: fields implied by the `GET /logs` filters; layout ours). */
export const zLogEntry = z.object({
  id: z.string(),
  time: z.number().int(),
  severity: zSeverity,
  user: z.string(),
  install: z.string(),
  cmd: z.string(),
  url: z.string(),
  title: z.string(),
  source_url: z.string(),
  source_title: z.string(),
  ext_name: z.string(),
  theme_name: z.string(),
  plugin_name: z.string(),
  backup_schedule: z.string(),
  backup_location: z.string(),
  message: z.string(),
}).strict();

export type LogEntry = z.infer<typeof zLogEntry>;
export const LOG_FIELDS = Object.keys(zLogEntry.shape) as (keyof LogEntry)[];
