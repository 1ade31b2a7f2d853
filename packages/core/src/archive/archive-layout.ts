/** Entry names of the backup archive layout (see FORMAT.md). */
export const META_FILE = 'APP-META.INI';
export const FILES_ROOT = 'files';
export const DUMP_FILE = 'database.sql';
export const FORMAT_VERSION = 1 as const;

/** `app_<domain with . → ->_<title with spaces → ->_<YYYY-MM-DD_HH-MM-SS>.tar.gz` (spec §5.1), in UTC. */
export function archiveFileName(domain: string, title: string, when: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  const stamp = `${when.getUTCFullYear()}-${p(when.getUTCMonth() + 1)}-${p(when.getUTCDate())}_${p(when.getUTCHours())}-${p(when.getUTCMinutes())}-${p(when.getUTCSeconds())}`;
  const clean = (s: string) => s.replace(/[\\/\0]/g, '');
  return `app_${clean(domain).replace(/\./g, '-')}_${clean(title).replace(/ /g, '-')}_${stamp}.tar.gz`;
}
