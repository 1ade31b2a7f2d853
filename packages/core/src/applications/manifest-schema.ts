import { z } from 'zod';
import { zAppField, zAppRequirements } from '@installgate/contracts';
import { isNewLine, isVersion } from './versions';

/**
 * The manifest of one application (`apps/<id>/manifest.json`): everything the catalog says about it, as data.
 * Strict objects, so that a misspelt member is an error at engine start rather than a silently missing value.
 */

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar date written YYYY-MM-DD. */
const zIsoDate = z.string().refine((s) => {
  const m = ISO_DATE.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === s;
}, 'must be a date written YYYY-MM-DD');

const zUrl = z.string().url();

/** Links of the application (v1 `link_*`, v2 `links`): the four common ones are required. */
export const zManifestLinks = z.object({
  site: zUrl,
  docs: zUrl,
  support: zUrl,
  changelog: zUrl,
  demo: zUrl.optional(),
  showcase: zUrl.optional(),
  faq: zUrl.optional(),
}).strict();

export const RELEASE_TAGS = ['security', 'minor', 'major'] as const;
/** Installatron's internal branches (spec §2.1), not the vendor's. */
export const BRANCHES = ['current', 'previous', 'legacy'] as const;
/** Whether an install may be updated to a version: automatically (or on request), only on request, or not at all. */
export const UPDATE_MODES = ['auto', 'manual', 'none'] as const;
export const DRIVERS = ['wordpress', 'php-installer', 'static-installer'] as const;

export const zManifestVersion = z.object({
  version: z.string().refine(isVersion, 'must be numbers separated by dots, e.g. 6.4.5'),
  branch: z.enum(BRANCHES),
  date: zIsoDate,
  /** Must hold exactly one of `minor` / `major` (the v1 `upgrade` of a plain listing); `security` is optional. */
  tags: z.array(z.enum(RELEASE_TAGS)).refine((t) => new Set(t).size === t.length, 'must not repeat a tag')
    .refine((t) => t.includes('minor') !== t.includes('major'), 'must hold exactly one of minor and major'),
  changelog: z.string(),
  requirements: zAppRequirements,
  /** Whether a new install may use this version. */
  install: z.boolean(),
  /** Whether an install may be updated to this version: automatically, only manually, or not at all. */
  update: z.enum(UPDATE_MODES),
}).strict();

const zField = zAppField.superRefine((f, ctx) => {
  if (f.type === 'select' && (f.options === undefined || f.options.length === 0)) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['options'], message: 'a select field needs options' });
  }
  if (f.pattern !== undefined) {
    try {
      new RegExp(f.pattern);
    } catch {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['pattern'], message: 'must be a valid regular expression' });
    }
  }
});

export const zManifest = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'must be lowercase letters, digits and -'),
  name: z.string().min(1),
  /** Display category, e.g. "Content Management". */
  category: z.string().min(1),
  /** App type, e.g. "blog". */
  type: z.string().min(1),
  /** e.g. "open source", "commercial". */
  license: z.string().min(1),
  description: z.string(),
  authordescription: z.string(),
  links: zManifestLinks,
  /** Languages an install can use (translation codes: en, zh_tw…). */
  languages: z.array(z.string().regex(/^[a-z]{2,3}(_[a-z0-9]{2,4})?$/, 'must be a translation code such as en or zh_tw')).min(1),
  /** Which application driver installs and updates it. */
  driver: z.enum(DRIVERS),
  /** Admin path relative to the install URL (WordPress `wp-admin`); '' when the app has none. */
  link_admin: z.string().default(''),
  db: z.enum(['mysql', 'none']),
  /** Default table prefix (WordPress `wp_`); '' for apps without a database. */
  default_prefix: z.string().regex(/^[A-Za-z0-9_]{0,20}$/, 'must be letters, digits and _ (at most 20)').default(''),
  /** How many leading version components two versions share for an update between them to be minor. */
  minor_components: z.number().int().min(1).max(5),
  /** Install-form fields. */
  fields: z.array(zField),
  /** Assets (images, screenshots) as URLs or paths. */
  images: z.array(z.string()).default([]),
  versions: z.array(zManifestVersion).min(1),
}).strict().superRefine((m, ctx) => {
  const seen = new Set<string>();
  m.versions.forEach((v, i) => {
    if (!isVersion(v.version)) return;
    // 6.5 and 6.5.0 are the same version.
    const key = v.version.replace(/(\.0)+$/, '');
    if (seen.has(key)) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['versions', i, 'version'], message: `version ${v.version} is listed twice` });
    seen.add(key);
    const tag = isNewLine(v.version, m.minor_components) ? 'major' : 'minor';
    if (!v.tags.includes(tag)) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['versions', i, 'tags'], message: `version ${v.version} opens ${tag === 'major' ? 'a new' : 'no new'} line (minor_components ${m.minor_components}): tag it ${tag}` });
    }
  });
  const fieldIds = new Set<string>();
  m.fields.forEach((f, i) => {
    if (fieldIds.has(f.id)) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['fields', i, 'id'], message: `field ${f.id} is listed twice` });
    fieldIds.add(f.id);
  });
  if (m.db === 'mysql' && m.default_prefix === '') {
    ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['default_prefix'], message: 'an application with a database needs a default table prefix' });
  }
});

export type Manifest = z.infer<typeof zManifest>;
export type ManifestVersion = z.infer<typeof zManifestVersion>;
export type UpdateMode = (typeof UPDATE_MODES)[number];
