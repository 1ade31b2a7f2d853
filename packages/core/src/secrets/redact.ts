/**
 * Redaction of secrets before anything is written where people can read it (logs, task messages, errors,
 * location listings). Redaction is by value (known secrets), by place (credentials inside URIs) and by key
 * (members whose name says they hold a secret). Over-redaction is accepted; a leak is not.
 */

/** What a redacted value is replaced with. */
export const MASK = '*****';

/**
 * Member names that hold secrets: exact names from the API (passwd, db_pass, key, key2…) and any name ending
 * in one of them after `_` (api_key, refresh_token, smtp_password).
 */
const SECRET_KEY = /^(?:.*_)?(?:passwd|pass|password|secret|token|key|key2)$/i;

/** True when a member with this name holds a secret. */
export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

/** A URI with an authority part: scheme://… up to whitespace or a quote (so it works inside JSON text too). */
const URI_IN_TEXT = /[a-z][a-z0-9+.-]*:\/\/[^\s"'<>`]+/gi;

/**
 * Masks the password of a URI's `user:pass@` part: `sftp://bob:pw@host/x` → `sftp://bob:*****@host/x`.
 * The credentials end at the LAST '@' because unencoded secrets (S3 keys, tokens) may contain '@' or '/'.
 * `host:port/…@…` (a port, no credentials) is left alone. Strings without `scheme://` are returned unchanged.
 */
export function redactUri(uri: string): string {
  const m = /^([a-z][a-z0-9+.-]*:\/\/)(.*)$/is.exec(uri);
  if (!m) return uri;
  const [, scheme, rest] = m;
  const at = rest.lastIndexOf('@');
  if (at < 0) return uri;
  const userinfo = rest.slice(0, at);
  const colon = userinfo.indexOf(':');
  if (colon < 0) return uri; // user only, no password
  const slash = userinfo.indexOf('/');
  // CASE: `host:8080/path@x` — the colon introduces a port and the '@' belongs to the path.
  if (slash > colon && /^\d+$/.test(userinfo.slice(colon + 1, slash))) return uri;
  if (slash >= 0 && slash < colon) return uri; // the '@' and ':' are both in the path
  return `${scheme}${userinfo.slice(0, colon)}:${MASK}@${rest.slice(at + 1)}`;
}

/** Every form a secret may take in text: as given, and URL-encoded (as it appears inside a URI). */
function secretForms(secrets: readonly string[]): string[] {
  const forms = new Set<string>();
  for (const s of secrets) {
    if (typeof s !== 'string' || s === '') continue;
    forms.add(s);
    const encoded = encodeURIComponent(s);
    if (encoded !== s) forms.add(encoded);
  }
  // Longest first, so a secret that contains another is masked whole.
  return [...forms].sort((a, b) => b.length - a.length);
}

/** Masks every occurrence of each secret (and its URL-encoded form) and the password of every URI in `text`. */
export function redactText(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const form of secretForms(secrets)) out = out.split(form).join(MASK);
  return out.replace(URI_IN_TEXT, (uri) => redactUri(uri));
}

/**
 * The secret values found under secret-looking keys anywhere in `value`, so that they can also be masked where
 * they reappear in free text (a message quoting a password given in the meta).
 */
export function collectSecretValues(value: unknown, found: string[] = [], seen = new WeakSet<object>()): string[] {
  if (typeof value !== 'object' || value === null || seen.has(value)) return found;
  seen.add(value);
  for (const [k, v] of Object.entries(value)) {
    if (isSecretKey(k) && (typeof v === 'string' || typeof v === 'number') && String(v) !== '') found.push(String(v));
    else collectSecretValues(v, found, seen);
  }
  return found;
}

/**
 * A deep copy of `value` that is safe to store or print: secret-looking members become MASK, every string is
 * passed through redactText, errors become their redacted message, cycles become '[circular]'.
 */
export function redactObject<T>(value: T, secrets: readonly string[] = []): T {
  const all = [...secrets, ...collectSecretValues(value)];
  return walk(value, all, new WeakSet()) as T;
}

function walk(value: unknown, secrets: readonly string[], seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return redactText(value, secrets);
  if (typeof value !== 'object' || value === null) return value;
  if (value instanceof Error) return redactText(value.message, secrets);
  if (value instanceof Date) return value.toISOString();
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((v) => walk(v, secrets, seen));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (isSecretKey(k) && v !== null && v !== undefined && v !== '') out[k] = MASK;
    else out[k] = walk(v, secrets, seen);
  }
  return out;
}
