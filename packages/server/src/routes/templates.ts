import { z } from 'zod';
import { TASK_COMPLETE_MESSAGE, TEMPLATE_SCOPES } from '@installgate/contracts';
import type { OpTable } from '../operation';
import { parseParams } from '../params/parse-params';
import { zLimit, zOffset } from '../params/coerce';

const zTemplatesList = z.object({
  user: z.string().optional(),
  q: z.string().max(256).optional(),
  offset: zOffset.default(0),
  limit: zLimit.default(50),
});

const zTemplateEdit = z.object({
  name: z.string().min(1).max(256).optional(),
  desc: z.string().max(4096).optional(),
  scope: z.enum(TEMPLATE_SCOPES).optional(),
  image: z.string().max(2_000_000).optional(),
  icon: z.string().max(600_000).optional(),
  appcategory: z.enum([
    '_categories_contentmanagementsystems', '_categories_communitysoftware', '_categories_ecommerceandbusiness',
    '_categories_imagesandfiles', '_categories_surveysandstatistics', '_categories_miscellaneous',
  ]).optional(),
});

/** Handlers of the template endpoints. */
export const templateRoutes: OpTable = {
  'templates.list': async ({ engine, scope, params }) => {
    const p = parseParams(zTemplatesList, params);
    const page = await engine.templates.list(scope, p);
    return { data: page.items, page: { total_count: page.total_count, has_more: page.has_more } };
  },

  'templates.edit': async ({ engine, scope, path, params }) => {
    const p = parseParams(zTemplateEdit, params);
    return { data: await engine.templates.edit(scope, path.id!, p), message: TASK_COMPLETE_MESSAGE };
  },

  'templates.delete': async ({ engine, scope, path }) => {
    const before = await engine.templates.get(scope, path.id!);
    await engine.templates.delete(scope, path.id!);
    return { data: before, message: TASK_COMPLETE_MESSAGE };
  },
};
