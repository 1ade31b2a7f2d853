/**
 * A website's home (`path`, spec §8.2) is either an absolute path on this server or a URI naming another server
 * (`sftp://`, `ssh://`, `ftp://`, `ftps://`). Install records keep where an install lives in the same form, but a
 * record's path never carries a password: it is the home with the password cut out, plus the folder below it.
 */

const URI = /^([a-z][a-z0-9+.-]*:\/\/)([^]*)$/i;

/** True when the home is on another server (a URI), not a path on this machine. */
export function isRemoteHome(home: string): boolean {
  return URI.test(home);
}

/**
 * The home without its password (`sftp://user:secret@host:22/home/u` → `sftp://user@host:22/home/u`), for install
 * records, messages and lock keys. The user name stays: it tells two accounts on one host apart. A password with an
 * unencoded '/', '?' or '#' is still cut (the last '@' before the path ends the credentials).
 */
export function publicHome(home: string): string {
  const m = URI.exec(home);
  if (!m) return home;
  const [, head, rest] = m as unknown as [string, string, string];
  const at = rest.lastIndexOf('@', authorityEnd(rest));
  if (at < 0) return home.replace(/\/+$/, '');
  const creds = rest.slice(0, at);
  const colon = creds.indexOf(':');
  const user = colon < 0 ? creds : creds.slice(0, colon);
  return `${head}${user}${rest.slice(at)}`.replace(/\/+$/, '');
}

/** Where the authority of `rest` (the URI after `scheme://`) ends: before the path, unless '@' follows later. */
function authorityEnd(rest: string): number {
  const slash = rest.search(/[/?#]/);
  if (slash < 0) return rest.length;
  // A password may hold an unencoded '/': then the real '@' comes after it.
  const lastAt = rest.lastIndexOf('@');
  return lastAt > slash ? lastAt : slash;
}

/**
 * The folder of `target` relative to `home` ('' = the home itself), when `target` lies in or below it; else null.
 * Both sides are compared without passwords and trailing '/'.
 */
export function relativeToHome(home: string, target: string): string | null {
  const base = publicHome(home);
  const t = publicHome(target);
  if (t === base) return '';
  if (!t.startsWith(`${base}/`)) return null;
  return t.slice(base.length + 1);
}
