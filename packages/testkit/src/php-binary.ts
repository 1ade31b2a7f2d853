import { findBinary, SYSTEM_DEPS_HINT } from './find-binary';

/** The PHP CLI binary, or an Error telling how to install it. */
export function requirePhpBinary(): string {
  const php = findBinary('php');
  if (!php) throw new Error(`PHP CLI (php) is missing: ${SYSTEM_DEPS_HINT}`);
  return php;
}
