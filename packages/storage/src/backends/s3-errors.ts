import { StorageError, fromNetworkError, messageOf, type StorageErrorCode } from '../storage-error';

/** S3 error code (the XML `<Code>`, surfaced as the SDK error's `name`) → StorageError code and retryability. */
const S3_CODES: Readonly<Record<string, readonly [StorageErrorCode, boolean]>> = {
  NoSuchKey: ['NOT_FOUND', false],
  NotFound: ['NOT_FOUND', false],
  NoSuchBucket: ['NOT_FOUND', false],
  NoSuchUpload: ['NOT_FOUND', false],
  InvalidAccessKeyId: ['AUTH', false],
  SignatureDoesNotMatch: ['AUTH', false],
  ExpiredToken: ['AUTH', false],
  InvalidToken: ['AUTH', false],
  TokenRefreshRequired: ['AUTH', false],
  AuthorizationHeaderMalformed: ['AUTH', false], // usually a wrong region
  AccessDenied: ['PERMISSION', false],
  AllAccessDisabled: ['PERMISSION', false],
  AccountProblem: ['PERMISSION', false],
  EntityTooLarge: ['QUOTA', false],
  QuotaExceeded: ['QUOTA', false],
  ServiceQuotaExceeded: ['QUOTA', false],
  XMinioStorageFull: ['QUOTA', false],
  SlowDown: ['PROTOCOL', true],
  ServiceUnavailable: ['CONNECT', true],
  InternalError: ['PROTOCOL', true],
  RequestTimeout: ['PROTOCOL', true],
  RequestTimeTooSkewed: ['PROTOCOL', false],
  TimeoutError: ['CONNECT', true], // the SDK's own request/connection timeout
};

/** HTTP status fallback when the error code is unknown (HEAD responses carry no body, hence no code). */
const S3_STATUS: Readonly<Record<number, readonly [StorageErrorCode, boolean]>> = {
  401: ['AUTH', false],
  403: ['PERMISSION', false],
  404: ['NOT_FOUND', false],
  413: ['QUOTA', false],
  503: ['CONNECT', true],
};

/**
 * Maps an @aws-sdk/client-s3 error: first by S3 error code, then socket errors (CONNECT), then HTTP status; any
 * other 5xx is a retryable PROTOCOL error. The secret key never appears in SDK messages, but is masked anyway.
 */
export function mapS3Error(err: unknown, what: string, secrets: readonly string[]): StorageError {
  if (err instanceof StorageError) return err;
  const e = err as { name?: unknown; Code?: unknown; $metadata?: { httpStatusCode?: number } };
  const name = typeof e.Code === 'string' ? e.Code : typeof e.name === 'string' ? e.name : '';
  const message = messageOf(err);
  const byCode = S3_CODES[name];
  if (byCode) return new StorageError(byCode[0], `${what}: ${name}: ${message}`, { retryable: byCode[1], cause: err, secrets });
  const network = fromNetworkError(err, what, secrets);
  if (network) return network;
  const status = e.$metadata?.httpStatusCode ?? 0;
  const [code, retryable] = S3_STATUS[status] ?? ['PROTOCOL', status >= 500];
  return new StorageError(code, `${what}: ${name || 'error'}${status ? ` (HTTP ${status})` : ''}: ${message}`, { retryable, cause: err, secrets });
}
