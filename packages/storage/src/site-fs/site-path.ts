import { StorageError } from '../storage-error';

/**
 * Checks a SiteFs path (relative to the website home, '/'-separated) and returns its segments; `''` → []. Anything
 * that could name a place outside the home, or that protocols treat differently (`.`, `..`, empty segments, a
 * leading '/', NUL, backslash), is refused with PROTOCOL before anything is sent.
 */
export function sitePathSegments(p: string): string[] {
  if (p === '') return [];
  const segments = p.split('/');
  for (const s of segments) {
    if (s === '' || s === '.' || s === '..' || s.includes('\0') || s.includes('\\')) {
      throw new StorageError('PROTOCOL', `refusing the website path ${JSON.stringify(p)}: it must be relative to the website home, without "..", "." or empty parts`);
    }
  }
  return segments;
}

/** Joins a checked relative path onto a protocol-side base folder ('' or '/' = the base itself). */
export function joinSitePath(base: string, p: string): string {
  const segments = sitePathSegments(p);
  if (segments.length === 0) return base === '' ? '.' : base;
  const trimmed = base.replace(/\/+$/, '');
  return trimmed === '' && base.startsWith('/') ? `/${segments.join('/')}` : trimmed === '' ? segments.join('/') : `${trimmed}/${segments.join('/')}`;
}
