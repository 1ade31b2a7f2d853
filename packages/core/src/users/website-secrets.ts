/**
 * Website secrets in API answers (spec §8.2: a website's `path` URI holds the login password, `databases[].pass` a
 * database password). Answers show them masked (`*****`), and a client that sends an answer back unchanged (v1 panels
 * resend every website on each call) keeps the stored secret instead of storing the mask.
 */
import type { Website } from '@installgate/contracts';
import { SECRET_MASK, redactUri } from '@installgate/storage';
import { publicHome } from '../sites/site-home';

/** A website as answered: the password in `path` and every database `pass` masked. */
export function maskWebsite(w: Website): Website {
  return {
    ...w,
    path: redactUri(w.path),
    databases: w.databases.map((d) => (d.pass ? { ...d, pass: SECRET_MASK } : d)),
  };
}

/** True when `path` is a URI whose password is the mask. */
const hasMaskedPassword = (path: string) => redactUri(path) === path && path.includes(`:${SECRET_MASK}@`);

/**
 * The secrets of `given` where the client sent the mask back: the stored website's password when the URI is
 * otherwise the same (scheme, user, host, port, path), and a stored database's `pass` for the same type/host/user/name
 * while the website's home and `mysql_host` are unchanged.
 */
export function unmaskWebsite(given: Website, stored: Website | undefined): Website {
  if (!stored) return given;
  const path = hasMaskedPassword(given.path) && publicHome(given.path) === publicHome(stored.path) ? stored.path : given.path;
  // A database password goes back only to the same website: a client that moved the home (or mysql_host) to another
  // server must not get the stored password written into an application there.
  const sameSite = publicHome(given.path) === publicHome(stored.path) && given.mysql_host === stored.mysql_host;
  const databases = given.databases.map((d) => {
    if (d.pass !== SECRET_MASK || !sameSite) return d;
    const same = stored.databases.find((s) => s.type === d.type && s.host === d.host && s.user === d.user && s.name === d.name);
    return same ? { ...d, pass: same.pass } : d;
  });
  return { ...given, path, databases };
}
