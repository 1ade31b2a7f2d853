import { z } from 'zod';

/** Links of an application version (v1 `link_*`, spec §4.4). */
export const zAppLinks = z.object({
  changelog: z.string(),
  site: z.string(),
  demo: z.string(),
  showcase: z.string(),
  support: z.string(),
  docs: z.string(),
  faq: z.string(),
}).partial().strict();

export const zAppRequirements = z.object({
  diskspace: z.string(),
  php: z.string(),
  mysql: z.string(),
  mysql_table_prefix: z.string(),
}).partial().catchall(z.string());

/** One install-form field of an application version. */
export const zAppField = z.object({
  id: z.string(),
  type: z.enum(['text', 'password', 'email', 'select', 'boolean']),
  label: z.string(),
  default: z.string(),
  required: z.boolean(),
  options: z.array(z.string()).optional(),
  pattern: z.string().optional(),
}).strict();

/**
 * An application version as `GET /browser` lists it, v2 names (spec §8.1). `update_type` is ours: v1's
 * `upgrade` string (`minor`/`major`/`none`), kept so that v2→v1 does not lose it.
 */
export const zApplicationVersion = z.object({
  id: z.string(),
  version: z.string(),
  branch: z.string(),
  name: z.string(),
  category: z.string(),
  type: z.string(),
  time: z.number().int(),
  license: z.string(),
  tags: z.array(z.string()),
  description: z.string(),
  authordescription: z.string(),
  changelog: z.string(),
  update: z.boolean(),
  update_type: z.enum(['minor', 'major', 'none']),
  install: z.boolean(),
  links: zAppLinks,
  requirements: zAppRequirements,
  languages: z.array(z.string()),
  fields: z.array(zAppField),
  images: z.array(z.string()),
  upgrade_from: z.enum(['minor', 'major', 'none', 'manual']).optional(),
}).strict();

export type ApplicationVersion = z.infer<typeof zApplicationVersion>;
export const APPLICATION_FIELDS = Object.keys(zApplicationVersion.shape) as (keyof ApplicationVersion)[];
