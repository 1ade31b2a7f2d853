import { z } from 'zod';
import { zUserType } from './enums';

/** A database entry of a website (spec §8.2). */
export const zWebsiteDatabase = z.object({
  type: z.string(),
  host: z.string(),
  user: z.string(),
  name: z.string(),
  pass: z.string(),
}).partial().strict();

/** A website of a user (spec §8.2): a home `path` and the document root of each domain (`vhosts`). */
export const zWebsite = z.object({
  id: z.string(),
  label: z.string(),
  path: z.string(),
  server: z.string(),
  email: z.string(),
  vhosts: z.record(z.string(), z.string()),
  databases: z.array(zWebsiteDatabase),
  parent: z.string(),
  url_ip: z.string(),
  path_backups: z.string(),
  mysql_host: z.string(),
  language: z.string(),
  suspended: z.boolean(),
}).strict();

/** The user object (spec §8.5). */
export const zUser = z.object({
  id: z.string(),
  parent: z.string(),
  type: zUserType,
  suspended: z.boolean(),
  locale: z.string(),
  email: z.string(),
  package: z.string(),
  websites: z.array(zWebsite),
}).strict();

export type User = z.infer<typeof zUser>;
export type Website = z.infer<typeof zWebsite>;
export const USER_FIELDS = Object.keys(zUser.shape) as (keyof User)[];
export const WEBSITE_FIELDS = Object.keys(zWebsite.shape) as (keyof Website)[];
