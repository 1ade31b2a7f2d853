import { randomBytes } from 'node:crypto';
import { StorageError } from './storage-error';

/** Names starting with this are uploads in progress: never listed, never accepted as a key segment. */
export const TEMP_PREFIX = '.partial-';

/**
 * Checks a key and returns its segments. Throws StorageError PROTOCOL for an empty key, a leading '/', an empty,
 * '.' or '..' segment, a control character or backslash, or a segment starting with `.partial-`.
 */
export function keySegments(key: string): string[] {
  const refuse = (why: string): never => {
    throw new StorageError('PROTOCOL', `invalid object key ${JSON.stringify(key)}: ${why}`);
  };
  if (typeof key !== 'string' || key.length === 0) refuse('empty');
  if (/[\x00-\x1f\x7f]/.test(key)) refuse('contains a control character'); // CR/LF would inject FTP commands
  if (key.includes('\\')) refuse('contains a backslash');
  if (key.startsWith('/')) refuse('absolute keys are not allowed');
  const segments = key.split('/');
  for (const s of segments) {
    if (s === '') refuse('empty path segment');
    if (s === '.' || s === '..') refuse(`'${s}' segments are not allowed`);
    if (s.startsWith(TEMP_PREFIX)) refuse(`'${TEMP_PREFIX}' names are reserved for uploads in progress`);
  }
  return segments;
}

/**
 * Checks a list prefix: '' or a string that would be a valid key prefix (same rules, except that it may end with
 * '/' and its last segment may be partial). Returns the folder part that must be walked ('' for the root) —
 * the segments before the last '/'.
 */
export function prefixFolder(prefix: string): string[] {
  if (prefix === '') return [];
  const cut = prefix.lastIndexOf('/');
  const folder = cut < 0 ? '' : prefix.slice(0, cut);
  if (folder === '') {
    if (prefix.startsWith('/')) keySegments(prefix); // throws: absolute
    return [];
  }
  // Validate the folder part as a key; the partial last segment only needs the character rules.
  const segments = keySegments(folder);
  const last = prefix.slice(cut + 1);
  if (/[\x00-\x1f\x7f\\]/.test(last)) keySegments(last);
  return segments;
}

/** A fresh temporary name for `name` in the same folder: `.partial-<12 hex>-<name>`. */
export function tempNameFor(name: string): string {
  return `${TEMP_PREFIX}${randomBytes(6).toString('hex')}-${name}`;
}

/** True for the name of an upload in progress. */
export function isTempName(name: string): boolean {
  return name.startsWith(TEMP_PREFIX);
}

/** True when `key` is listed under `prefix` (plain string prefix) and is not a temporary object. */
export function listedUnder(key: string, prefix: string): boolean {
  return key.startsWith(prefix) && !key.split('/').some(isTempName);
}

/** Joins a base folder path and key segments with '/', without doubling slashes. */
export function joinRemote(base: string, ...segments: string[]): string {
  const trimmed = base.replace(/\/+$/, '');
  return [trimmed, ...segments].join('/') || '/';
}
