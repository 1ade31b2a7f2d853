/**
 * Application version numbers: dot-separated whole numbers (`6.4.5`, `1.0.0`, `6.5`). They compare numerically
 * component by component (6.10 > 6.9), a missing component counting as 0 (6.5 = 6.5.0).
 */

const VERSION = /^\d{1,9}(\.\d{1,9}){0,5}$/;

/** Whether `v` is a version this catalog understands (1 to 6 numeric components). */
export function isVersion(v: unknown): v is string {
  return typeof v === 'string' && VERSION.test(v);
}

function parts(v: string): number[] {
  if (!isVersion(v)) throw new TypeError(`not a version: ${JSON.stringify(v)}`);
  return v.split('.').map(Number);
}

/** Negative when a < b, 0 when equal (6.5 = 6.5.0), positive when a > b. Throws TypeError on a non-version. */
export function compareVersions(a: string, b: string): number {
  const pa = parts(a);
  const pb = parts(b);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

/** Newest first. */
export function newestFirst(a: string, b: string): number {
  return compareVersions(b, a);
}

/**
 * Whether going from `from` to `to` is a minor update: `to` is newer and both share their first `minorComponents`
 * components. With 2 (WordPress, the test apps): 6.4.3 → 6.4.5 and 1.0.0 → 1.0.1 are minor; 6.4.5 → 6.5.5,
 * 1.0.1 → 1.1.0 and 1.1.0 → 2.0.0 are major. Not newer → false.
 */
export function isMinorUpdate(from: string, to: string, minorComponents: number): boolean {
  if (compareVersions(to, from) <= 0) return false;
  const pf = parts(from);
  const pt = parts(to);
  for (let i = 0; i < minorComponents; i++) if ((pf[i] ?? 0) !== (pt[i] ?? 0)) return false;
  return true;
}

/**
 * Whether `v` opens a new line for updates: every component after the first `minorComponents` is 0 (6.5.0, 2.0.0,
 * 1.1.0 with 2). Such a release is reached from the previous line by a major update only.
 */
export function isNewLine(v: string, minorComponents: number): boolean {
  return parts(v).slice(minorComponents).every((n) => n === 0);
}
