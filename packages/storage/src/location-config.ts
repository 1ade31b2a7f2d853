import { SECRET_MASK } from './storage-error';

/**
 * A parsed backup location (spec §5.3). One variant per backend; the URI spelling that produced it (`ftps`,
 * `ssh`, `webdavs`, the two S3 forms) is kept so that formatting gives the same URI back.
 */
export type LocationConfig = LocalLocation | FtpLocation | SftpLocation | WebdavLocation | S3Location;

/** `local` (the account's own backup folder) or `file://localhost/path` (a folder on the server). */
export interface LocalLocation {
  scheme: 'local';
  /** Absolute folder for `file://`; null for the literal `local`, whose folder `openBackend` is told (`localRoot`). */
  path: string | null;
}

/** `ftp://` and `ftps://` (explicit TLS, AUTH TLS on the control port). */
export interface FtpLocation {
  scheme: 'ftp';
  tls: boolean;
  host: string;
  port: number;
  /** '' means anonymous. */
  username: string;
  password: string;
  /** Folder relative to the login folder ('/' = the login folder itself). */
  path: string;
  /** Verify the server certificate (ftps only). Default true; `?tls_verify=0` turns it off. */
  tlsVerify: boolean;
}

/** `sftp://` and `ssh://` (the same protocol). */
export interface SftpLocation {
  scheme: 'sftp';
  uriScheme: 'sftp' | 'ssh';
  host: string;
  port: number;
  username: string;
  /** Null when `keyAuth`. */
  password: string | null;
  /** The URI's password was the literal `public-key`: authenticate with a private key. */
  keyAuth: boolean;
  /** Private key file for key auth (config only; falls back to `openBackend`'s `sshPrivateKeyPath`). */
  privateKeyPath?: string;
  /** Private key text, PEM or OpenSSH format (config only). */
  privateKey?: string;
  passphrase?: string;
  /** Expected host key, `SHA256:<base64>` as `ssh-keygen -l` prints it. Unset: any host key is accepted. */
  hostKeySha256?: string;
  /** Folder relative to the login (home) folder. */
  path: string;
}

/** `webdav://` (http) and `webdavs://` (https). */
export interface WebdavLocation {
  scheme: 'webdav';
  tls: boolean;
  host: string;
  port: number;
  /** '' means no authentication. */
  username: string;
  password: string;
  /** Absolute URL path of the folder. */
  path: string;
  tlsVerify: boolean;
}

/**
 * `s3://` in either form. v2: `s3://AccessKey:SecretKey@Endpoint/Region/Bucket/Folder`; v1:
 * `s3://key:secret@bucket-id.region-id` (AWS, no folder).
 */
export interface S3Location {
  scheme: 's3';
  form: 'v1' | 'v2';
  accessKeyId: string;
  secretAccessKey: string;
  /** `host[:port]` of the S3 endpoint; null for AWS's regional endpoint (v1 form). */
  endpoint: string | null;
  /** `https` unless `?endpoint_scheme=http` (v2 form only). */
  endpointScheme: 'http' | 'https';
  region: string;
  bucket: string;
  /** Folder inside the bucket, no leading or trailing '/'; '' for the bucket root. */
  prefix: string;
  tlsVerify: boolean;
}

/** The secret-bearing fields, per variant. */
const SECRET_FIELDS = ['password', 'secretAccessKey', 'privateKey', 'passphrase'] as const;

/**
 * A copy of `config` with every secret (password, secret key, private key text, passphrase) replaced by `*****`
 * (restic's StripPassword). Empty and null secrets stay as they are. Safe to log and to return through the API.
 */
export function redactConfig<C extends LocationConfig>(config: C): C {
  const copy: Record<string, unknown> = { ...config };
  for (const field of SECRET_FIELDS) {
    const value = copy[field];
    if (typeof value === 'string' && value !== '') copy[field] = SECRET_MASK;
  }
  return copy as C;
}

/** The secrets of `config`, for masking in error messages. */
export function secretsOf(config: LocationConfig): string[] {
  const record = config as unknown as Record<string, unknown>;
  return SECRET_FIELDS.map((f) => record[f]).filter((v): v is string => typeof v === 'string' && v !== '');
}
