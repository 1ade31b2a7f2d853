import { z } from 'zod';
import type { OpTable } from '../operation';
import { parseParams } from '../params/parse-params';
import { zBool, zInt, zLimit, zOffset } from '../params/coerce';

const zLogsList = z.object({
  user: z.string().optional(),
  q: z.string().max(256).optional(),
  install: z.string().max(128).optional(),
  time_from: zInt.pipe(z.number().int().min(0)).optional(),
  time_until: zInt.pipe(z.number().int().min(0)).optional(),
  filter_severity_notice: zBool.optional(),
  filter_severity_info: zBool.optional(),
  filter_severity_error: zBool.optional(),
  offset: zOffset.default(0),
  limit: zLimit.default(50),
});

const zTasksList = z.object({
  user: z.string().optional(),
  restart: zBool.default(false),
  offset: zOffset.default(0),
  limit: zLimit.default(50),
});

const zSettingsList = z.object({ user: z.string().optional(), group: z.string().max(128).optional() });

/** Handlers of the activity and settings views: logs, tasks, backup locations and schedules. */
export const activityRoutes: OpTable = {
  'logs.list': async ({ engine, scope, params }) => {
    const p = parseParams(zLogsList, params);
    const page = await engine.logs.list(scope, p);
    return { data: page.items, page: { total_count: page.total_count, has_more: page.has_more } };
  },

  'tasks.list': async ({ engine, scope, params }) => {
    const p = parseParams(zTasksList, params);
    // restart=true resets and restarts queued tasks; "all other params ignored" (spec §2.8).
    if (p.restart) {
      const restarted = await engine.tasks.restartQueued(scope);
      const page = await engine.tasks.list(scope, { offset: 0, limit: 50 });
      return { data: page.items, page: { total_count: page.total_count, has_more: page.has_more }, message: `${restarted} queued task(s) restarted.` };
    }
    const page = await engine.tasks.list(scope, p);
    return { data: page.items, page: { total_count: page.total_count, has_more: page.has_more } };
  },

  'locations.list': async ({ engine, scope, params }) => {
    const p = parseParams(zSettingsList, params);
    const items = await engine.locations.list(scope, p);
    return { data: items, page: { total_count: items.length, has_more: false } };
  },

  'schedules.list': async ({ engine, scope, params }) => {
    const p = parseParams(zSettingsList, params);
    const items = await engine.schedules.list(scope, p);
    return { data: items, page: { total_count: items.length, has_more: false } };
  },
};
