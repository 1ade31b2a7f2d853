import { z } from 'zod';
import { TASK_COMPLETE_MESSAGE, USER_TYPES, type User } from '@installgate/contracts';
import { maskWebsite } from '@installgate/core';
import type { OpTable } from '../operation';
import { parseParams } from '../params/parse-params';
import { zBool, zDryrun, zLimit, zOffset } from '../params/coerce';

/** One website entry of `websites[]` (spec §8.2); `reseller` is accepted for `parent` (spec §9 #26). */
export const zWebsiteInput = z.object({
  id: z.string().max(128).optional(),
  label: z.string().max(256).optional(),
  path: z.string().max(4096).optional(),
  server: z.string().max(256).optional(),
  email: z.string().max(256).optional(),
  vhosts: z.record(z.string(), z.string()).optional(),
  databases: z.array(z.object({
    type: z.string().optional(), host: z.string().optional(), user: z.string().optional(),
    name: z.string().optional(), pass: z.string().optional(),
  })).optional(),
  parent: z.string().max(128).optional(),
  reseller: z.string().max(128).optional(),
  url_ip: z.string().max(64).optional(),
  path_backups: z.string().max(4096).optional(),
  mysql_host: z.string().max(256).optional(),
  language: z.string().max(16).optional(),
  suspended: zBool.optional(),
}).transform(({ reseller, ...w }) => (w.parent === undefined && reseller !== undefined ? { ...w, parent: reseller } : w));

/** `websites` as a JSON array, a PHP-style indexed form array, or (v1) a JSON string. */
export const zWebsitesInput = z.preprocess((v) => {
  if (typeof v === 'string') {
    try { return JSON.parse(v); } catch { return v; }
  }
  if (v && typeof v === 'object' && !Array.isArray(v)) return Object.values(v);
  return v;
}, z.array(zWebsiteInput).max(10_000));

const zUserFields = {
  email: z.string().max(256).optional(),
  language: z.string().max(16).optional(),
  package: z.string().max(256).optional(),
  parent: z.string().max(128).optional(),
  suspended: zBool.optional(),
  type: z.enum(USER_TYPES).optional(),
  websites: zWebsitesInput.optional(),
};

const zUserCreate = z.object({ id: z.string().min(1).max(128), ...zUserFields });
const zUserEdit = z.object(zUserFields);
const zUsersList = z.object({ user: z.string().optional(), q: z.string().max(256).optional(), offset: zOffset.default(0), limit: zLimit.default(50) });

/** A user as answered: website passwords (in `path` URIs and `databases[].pass`) masked; sent back, they keep. */
const publicUser = (u: User): User => ({ ...u, websites: u.websites.map(maskWebsite) });

/** Handlers of the user endpoints. */
export const userRoutes: OpTable = {
  'users.list': async ({ engine, scope, params }) => {
    const p = parseParams(zUsersList, params);
    const page = await engine.users.list(scope, p);
    return { data: page.items.map(publicUser), page: { total_count: page.total_count, has_more: page.has_more } };
  },

  'users.get': async ({ engine, scope, path }) => ({ data: publicUser(await engine.users.get(scope, path.id!)) }),

  'users.create': async ({ engine, scope, params }) => {
    const p = parseParams(zUserCreate, params);
    return { data: publicUser(await engine.users.create(scope, p)), message: TASK_COMPLETE_MESSAGE };
  },

  // "edit (or create)": POST /users/{id} creates the user when it does not exist yet (spec §2.6).
  'users.edit': async ({ engine, scope, path, params }) => {
    const p = parseParams(zUserEdit, params);
    return { data: publicUser(await engine.users.edit(scope, path.id!, p, { createIfMissing: true })), message: TASK_COMPLETE_MESSAGE };
  },

  'users.delete': async ({ engine, scope, path, params }) => {
    const p = parseParams(z.object({ dryrun: zDryrun.default('none') }), params);
    const before = publicUser(await engine.users.get(scope, path.id!));
    if (p.dryrun !== 'none') return { data: before, dryrun: true };
    await engine.users.delete(scope, path.id!, { dryrun: false });
    return { data: before, message: TASK_COMPLETE_MESSAGE };
  },
};
