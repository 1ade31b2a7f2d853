import { z } from 'zod';
import { TASK_COMPLETE_MESSAGE, TEMPLATE_APP_CATEGORIES, TEMPLATE_SCOPES } from '@installgate/contracts';
import type { OpTable } from '../operation';
import { parseParams } from '../params/parse-params';
import { zBackground, zDryrun, zLimit, zOffset } from '../params/coerce';
import { answer } from './backup-operations';

const zTemplatesList = z.object({
  user: z.string().optional(),
  q: z.string().max(256).optional(),
  offset: zOffset.default(0),
  limit: zLimit.default(50),
});

const templateMembers = {
  desc: z.string().max(4096).optional(),
  scope: z.enum(TEMPLATE_SCOPES).optional(),
  // Base64 grows data by a third: the spec's 1 MB / 300 KB PNGs fit (the engine checks the decoded bytes).
  image: z.string().max(2_000_000).optional(),
  icon: z.string().max(600_000).optional(),
  appcategory: z.enum(TEMPLATE_APP_CATEGORIES).optional(),
};

const zTemplateEdit = z.object({ name: z.string().min(1).max(256).optional(), ...templateMembers });

/** `POST /installs/{id}/template`: `name` is checked by the engine (empty_argument_name when missing). */
const zTemplateCapture = z.object({
  name: z.string().max(256).optional(), ...templateMembers,
  background: zBackground.default(false), dryrun: zDryrun.default('none'),
});

/** Handlers of the template endpoints. */
export const templateRoutes: OpTable = {
  'installs.template': async ({ engine, scope, path, params }) => {
    const { background, dryrun, ...req } = parseParams(zTemplateCapture, params);
    return answer(await engine.apps.template(scope, path.id!, req, { background, dryrun }), background);
  },

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
