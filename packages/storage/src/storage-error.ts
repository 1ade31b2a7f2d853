/**
 * The one error type every storage backend throws (rclone's sentinel errors, tRPC's single error class).
 * Core maps `code` to an Installatron errcode in one table (`AUTH` → `failed_filesystem_login`, …); nothing
 * outside this package needs to know a protocol's own error shapes.
 */

/** Every code a backend may report. */
export const STORAGE_ERROR_CODES = [
  'NOT_FOUND',
  'AUTH',
  'CONNECT',
  'PERMISSION',
  'QUOTA',
  'PROTOCOL',
  'ABORTED',
] as const;

/** One of {@link STORAGE_ERROR_CODES}. */
export type StorageErrorCode = (typeof STORAGE_ERROR_CODES)[number];

/**
 * Whether a code is worth retrying when the backend did not say otherwise. Only CONNECT is: the host may come back.
 * A PROTOCOL error is retryable only when the backend marks it so (HTTP 5xx, a dropped transfer).
 */
export const RETRYABLE_BY_DEFAULT: Readonly<Record<StorageErrorCode, boolean>> = {
  NOT_FOUND: false,
  AUTH: false,
  CONNECT: true,
  PERMISSION: false,
  QUOTA: false,
  PROTOCOL: false,
  ABORTED: false,
};

/** Options for {@link StorageError}. */
export interface StorageErrorOptions {
  /** Overrides {@link RETRYABLE_BY_DEFAULT}. */
  retryable?: boolean;
  /** The library's error. Dropped when its message contains one of `secrets`. */
  cause?: unknown;
  /** Strings to mask in the message (passwords, secret keys). Each is also masked in URL-encoded form. */
  secrets?: readonly (string | null | undefined)[];
}

/** The mask put where a secret was. */
export const SECRET_MASK = '*****';

/**
 * Replaces each secret (raw and URL-encoded) in `text` with `*****`. Secrets shorter than 3 characters are
 * ignored so that masking a one-letter password does not shred the message.
 */
export function maskSecrets(text: string, secrets: readonly (string | null | undefined)[] | undefined): string {
  if (!secrets) return text;
  let out = text;
  for (const secret of secrets) {
    if (!secret || secret.length < 3) continue;
    for (const form of new Set([secret, encodeURIComponent(secret)])) out = out.split(form).join(SECRET_MASK);
  }
  return out;
}

/**
 * A storage failure. `code` says what kind, `retryable` whether trying the same call again may succeed.
 * The message never contains a credential: the constructor masks `secrets` and drops a `cause` that leaks one.
 */
export class StorageError extends Error {
  override readonly name = 'StorageError';
  readonly code: StorageErrorCode;
  readonly retryable: boolean;

  constructor(code: StorageErrorCode, message: string, options: StorageErrorOptions = {}) {
    const safeMessage = maskSecrets(message, options.secrets);
    const causeLeaks =
      options.cause instanceof Error && maskSecrets(options.cause.message, options.secrets) !== options.cause.message;
    super(safeMessage, options.cause !== undefined && !causeLeaks ? { cause: options.cause } : undefined);
    this.code = code;
    this.retryable = options.retryable ?? RETRYABLE_BY_DEFAULT[code];
  }
}

/** True when `err` is a {@link StorageError} (optionally with the given code). */
export function isStorageError(err: unknown, code?: StorageErrorCode): err is StorageError {
  return err instanceof StorageError && (code === undefined || err.code === code);
}

/** `errno` code → StorageError code, for socket errors every network backend shares. */
const NETWORK_ERRNO: Readonly<Record<string, StorageErrorCode>> = {
  ECONNREFUSED: 'CONNECT',
  ENOTFOUND: 'CONNECT',
  EAI_AGAIN: 'CONNECT',
  ETIMEDOUT: 'CONNECT',
  ECONNRESET: 'CONNECT',
  EHOSTUNREACH: 'CONNECT',
  ENETUNREACH: 'CONNECT',
  EPIPE: 'CONNECT',
  ECONNABORTED: 'CONNECT',
  ERR_SOCKET_CLOSED: 'CONNECT',
  UND_ERR_CONNECT_TIMEOUT: 'CONNECT',
  UND_ERR_SOCKET: 'CONNECT',
};

/** TLS certificate failures: CONNECT, but retrying cannot help (the certificate will not change). */
const TLS_CERT_ERRNO = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** Error codes of local file systems (and of servers that pass them through, such as ftp-srv). */
const FS_ERRNO: Readonly<Record<string, StorageErrorCode>> = {
  ENOENT: 'NOT_FOUND',
  EACCES: 'PERMISSION',
  EPERM: 'PERMISSION',
  EROFS: 'PERMISSION',
  ENOSPC: 'QUOTA',
  EDQUOT: 'QUOTA',
  EFBIG: 'QUOTA',
};

/** The `code` property of a Node error, if any. */
export function errnoOf(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** The message of anything thrown. */
export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** True for an AbortSignal-triggered error (Node's AbortError, or the SDK's). */
export function isAbortError(err: unknown): boolean {
  return (err as { name?: unknown } | null)?.name === 'AbortError' || errnoOf(err) === 'ABORT_ERR';
}

/**
 * Maps socket, TLS and timeout errors to CONNECT; returns undefined for anything else so that the caller's
 * protocol table decides.
 */
export function fromNetworkError(err: unknown, what: string, secrets?: StorageErrorOptions['secrets']): StorageError | undefined {
  // Some wrappers (the AWS SDK's, across realms) keep only the message: read the errno from it then.
  const errno = errnoOf(err) ?? /\b(E[A-Z]{4,}|ERR_[A-Z_]+|UND_ERR_[A-Z_]+|[A-Z_]*CERT[A-Z_]*)\b/.exec(messageOf(err))?.[1];
  if (errno && TLS_CERT_ERRNO.has(errno)) {
    return new StorageError('CONNECT', `${what}: TLS certificate rejected (${errno})`, { retryable: false, cause: err, secrets });
  }
  const code = errno ? NETWORK_ERRNO[errno] : undefined;
  if (code) return new StorageError(code, `${what}: ${messageOf(err)}`, { cause: err, secrets });
  if (/\btime(d)?[ -]?out\b/i.test(messageOf(err))) {
    return new StorageError('CONNECT', `${what}: ${messageOf(err)}`, { cause: err, secrets });
  }
  return undefined;
}

/**
 * Maps a local file-system error. `op` matters for ENOTDIR: reading through a file finds nothing (NOT_FOUND),
 * writing through one cannot succeed (PERMISSION: the location is not a usable folder).
 */
export function fromFsError(err: unknown, what: string, op: 'read' | 'write'): StorageError {
  if (err instanceof StorageError) return err;
  const errno = errnoOf(err);
  let code: StorageErrorCode = (errno && FS_ERRNO[errno]) || 'PROTOCOL';
  if (errno === 'ENOTDIR') code = op === 'read' ? 'NOT_FOUND' : 'PERMISSION';
  return new StorageError(code, `${what}: ${messageOf(err)}`, { cause: err });
}

/** The error every method of a closed backend rejects with. */
export function closedError(scheme: string): StorageError {
  return new StorageError('PROTOCOL', `${scheme} backend is closed`);
}

/** Throws ABORTED when `signal` already fired. */
export function throwIfAborted(signal: AbortSignal | undefined, what: string): void {
  if (signal?.aborted) throw new StorageError('ABORTED', `${what} aborted before it started`, { cause: signal.reason });
}
