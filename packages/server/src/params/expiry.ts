import { z } from 'zod';

/** `expiry`: never | auto | a number of days (v1 `backup`, spec §5.1). */
export const zExpiry = z.union([
  z.enum(['never', 'auto']),
  z.preprocess((v) => (typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v), z.number().int().min(1).max(36500)),
]);
