/**
 * Requirement ranges as Installatron writes them (spec §8.1): comma-separated alternatives, each `A-B`, `A-`,
 * `-B` or `A`, e.g. PHP "5.2.5-5.5.999,7.1-". Versions compare numerically component by component; a missing
 * component is 0 on the lower bound and "anything" on the upper bound (`-5.5` admits 5.5.9).
 */
function parts(v: string): number[] {
  return v.trim().split(/[.+-]/).map((p) => parseInt(p, 10)).filter((n) => !Number.isNaN(n));
}

function compare(a: number[], b: number[], upper: boolean): number {
  const n = upper ? b.length : Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** True when `version` is inside `range`; an empty range admits everything. */
export function satisfiesRange(version: string, range: string | undefined): boolean {
  if (!range || range.trim() === '') return true;
  const v = parts(version);
  return range.split(',').some((alt) => {
    const a = alt.trim();
    if (a === '') return false;
    const dash = a.indexOf('-');
    if (dash < 0) return compare(v, parts(a), true) === 0;
    const lo = a.slice(0, dash);
    const hi = a.slice(dash + 1);
    if (lo && compare(v, parts(lo), false) < 0) return false;
    if (hi && compare(v, parts(hi), true) > 0) return false;
    return true;
  });
}

/** The numeric part of a server version string: "10.11.6-MariaDB-0+deb12u1" → "10.11.6". */
export function numericVersion(text: string): string {
  return /\d+(\.\d+)*/.exec(text)?.[0] ?? '0';
}
