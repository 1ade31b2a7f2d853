import { z } from 'zod';
import { zInstall } from './install';
import { zTemplateScope } from './enums';

/** Members a template adds to the install record it was captured from (spec §8.6, partly ours). */
export const zTemplateOwn = z.object({
  template_name: z.string(),
  template_desc: z.string(),
  template_scope: zTemplateScope,
  template_application: z.string(),
  template_filename: z.string(),
  template_install: z.string(),
  template_time: z.number().int(),
  template_image: z.string(),
  template_icon: z.string(),
  template_appcategory: z.string(),
  /** ours: bytes of the captured archive. */
  template_size: z.number().int().nonnegative(),
  /** ours: sha256 (hex) of the captured archive, checked before an install unpacks it. */
  template_sha256: z.string(),
});

export const zTemplate = zTemplateOwn.merge(zInstall).strict();
export type Template = z.infer<typeof zTemplate>;
export const TEMPLATE_OWN_FIELDS = Object.keys(zTemplateOwn.shape) as (keyof Template)[];
export const TEMPLATE_FIELDS = Object.keys(zTemplate.shape) as (keyof Template)[];
