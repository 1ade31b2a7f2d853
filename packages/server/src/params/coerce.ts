import { z } from 'zod';

/**
 * Lenient input coercers for parameters that arrive as JSON values, query strings or form fields (spec §1.4:
 * booleans also as "true"/"false", 1/0, "yes"/"no"; lists also as comma-separated strings).
 */
const TRUE = new Set(['true', '1', 'yes', 'on']);
const FALSE = new Set(['false', '0', 'no', 'off', '']);

export const zBool = z.preprocess((v) => {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v === 1 ? true : v === 0 ? false : v;
  if (typeof v === 'string') {
    const s = v.trim().toLowerCase();
    if (TRUE.has(s)) return true;
    if (FALSE.has(s)) return false;
  }
  return v;
}, z.boolean());

/** A whole number given as a number or a decimal string. */
export const zInt = z.preprocess((v) => (typeof v === 'string' && /^-?\d+$/.test(v.trim()) ? Number(v.trim()) : v), z.number().int());

/** A list given as an array or a comma-separated string ("" = empty list). */
export const zList = z.preprocess((v) => {
  if (typeof v === 'string') return v.trim() === '' ? [] : v.split(',').map((s) => s.trim()).filter((s) => s !== '');
  return v;
}, z.array(z.string()));

/** A non-empty string of printable characters (ids, slugs, names). */
export const zText = z.string().max(4096);
export const zId = z.string().min(1).max(128).regex(/^[A-Za-z0-9._@-]+$/);

export const zOffset = zInt.pipe(z.number().int().min(0));
export const zLimit = zInt.pipe(z.number().int().min(1).max(1000));

/** `background` (spec §1.8): boolean, or "quick" to detach before the preliminary checks. */
export const zBackground = z.preprocess((v) => {
  if (typeof v === 'string' && v.trim().toLowerCase() === 'quick') return 'quick';
  return v;
}, z.union([z.literal('quick'), zBool]));

/** `dryrun` (spec §1.8): none | input | all (v1 1/2 are translated by the adapter; accepted here too). */
export const zDryrun = z.preprocess((v) => {
  if (v === 1 || v === '1') return 'input';
  if (v === 2 || v === '2') return 'all';
  if (v === false || v === '' || v === 'false') return 'none';
  return v;
}, z.enum(['none', 'input', 'all']));
