import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { Client, type ConnectConfig, type SFTPWrapper } from 'ssh2';
import type { SftpLocation } from '../location-config';
import type { OpenBackendOptions } from '../registry';
import { StorageError, closedError, fromNetworkError, messageOf } from '../storage-error';

/** One SSH connection with its SFTP channel. */
export interface SftpSession {
  conn: Client;
  sftp: SFTPWrapper;
  /** The login folder, as the server's REALPATH('.') says. */
  home: string;
  /** The server offers `posix-rename@openssh.com` (atomic replace). */
  posixRename: boolean;
  /** False once the connection closed or failed. */
  alive: boolean;
}

/** SFTP status codes (draft-ietf-secsh-filexfer-02) → StorageError code. */
const SFTP_STATUS: Readonly<Record<number, StorageError['code']>> = {
  2: 'NOT_FOUND', // NO_SUCH_FILE
  3: 'PERMISSION', // PERMISSION_DENIED
  6: 'CONNECT', // NO_CONNECTION
  7: 'CONNECT', // CONNECTION_LOST
  14: 'QUOTA', // NO_SPACE_ON_FILESYSTEM (v5+)
  15: 'QUOTA', // QUOTA_EXCEEDED (v5+)
};

/**
 * Maps an ssh2 error (connection level or SFTP status) to a StorageError. Wrong credentials → AUTH; refused,
 * unreachable, timed out, dropped → CONNECT (retryable); SFTP status NO_SUCH_FILE → NOT_FOUND,
 * PERMISSION_DENIED → PERMISSION; FAILURE whose text says quota / no space → QUOTA; the rest PROTOCOL.
 */
export function mapSftpError(err: unknown, what: string, secrets: readonly string[]): StorageError {
  if (err instanceof StorageError) return err;
  const e = err as { level?: string; code?: unknown };
  const message = messageOf(err);
  if (e.level === 'client-authentication') {
    return new StorageError('AUTH', `${what}: SSH login refused (${message})`, { cause: err, secrets });
  }
  if (e.level === 'client-timeout') return new StorageError('CONNECT', `${what}: ${message}`, { cause: err, secrets });
  const network = fromNetworkError(err, what, secrets);
  if (network) return network;
  if (typeof e.code === 'number') {
    let code = SFTP_STATUS[e.code] ?? 'PROTOCOL';
    if (e.code === 4 && /quota|no space|disk full/i.test(message)) code = 'QUOTA';
    return new StorageError(code, `${what}: ${message}`, { cause: err, secrets });
  }
  if (/not connected|no response|connection (lost|closed)|channel.*clos/i.test(message)) {
    return new StorageError('CONNECT', `${what}: ${message}`, { cause: err, secrets });
  }
  if (/host denied|host key/i.test(message)) {
    return new StorageError('CONNECT', `${what}: SSH host key did not match the configured fingerprint`, { retryable: false, cause: err, secrets });
  }
  return new StorageError('PROTOCOL', `${what}: ${message}`, { cause: err, secrets });
}

/** `SHA256:<base64 without padding>` of a raw host key, as `ssh-keygen -l` prints it. */
export function hostKeyFingerprint(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

async function authOf(config: SftpLocation, opts: OpenBackendOptions): Promise<Pick<ConnectConfig, 'password' | 'privateKey' | 'passphrase'>> {
  if (!config.keyAuth && config.privateKey === undefined && config.privateKeyPath === undefined) {
    return { password: config.password ?? '' };
  }
  let privateKey = config.privateKey;
  const keyPath = config.privateKeyPath ?? opts.sshPrivateKeyPath;
  if (privateKey === undefined && keyPath) {
    privateKey = await fs.readFile(keyPath, 'utf8').catch((err: unknown) => {
      throw new StorageError('AUTH', `SSH private key ${keyPath} cannot be read: ${messageOf(err)}`, { cause: err });
    });
  }
  if (privateKey === undefined) {
    throw new StorageError('AUTH', 'key authentication (public-key) needs a private key: set privateKeyPath or sshPrivateKeyPath');
  }
  return { privateKey, passphrase: config.passphrase, ...(config.password ? { password: config.password } : {}) };
}

/**
 * Connects, authenticates and opens the SFTP channel. `noDelay` is set on the socket: without it uploads ran
 * at 2 MB/s instead of 150 MB/s (toolchain.md). Rejects with AUTH, CONNECT or PROTOCOL, whose message starts with
 * `where` (default `sftp host:port`; a website passes its label).
 */
export async function openSftpSession(
  config: SftpLocation,
  opts: OpenBackendOptions,
  secrets: readonly string[],
  where = `sftp ${config.host}:${config.port}`,
): Promise<SftpSession> {
  const auth = await authOf(config, opts);
  return new Promise<SftpSession>((resolve, reject) => {
    const conn = new Client();
    let session: SftpSession | undefined;
    const fail = (err: unknown): void => {
      if (session) session.alive = false;
      else reject(mapSftpError(err, where, secrets));
      conn.end();
    };
    conn.on('error', fail);
    conn.on('close', () => {
      if (session) session.alive = false;
      else reject(new StorageError('CONNECT', `${where}: connection closed during login`));
    });
    conn.once('ready', () => {
      conn.sftp((err, sftp) => {
        if (err) return fail(err);
        sftp.realpath('.', (err2, home) => {
          if (err2) return fail(err2);
          const extensions = (sftp as unknown as { _extensions?: Record<string, string> })._extensions ?? {};
          session = { conn, sftp, home, posixRename: extensions['posix-rename@openssh.com'] === '1', alive: true };
          sftp.on('close', () => {
            if (session) session.alive = false;
          });
          resolve(session);
        });
      });
    });
    conn.connect({
      host: config.host,
      port: config.port,
      username: config.username,
      ...auth,
      readyTimeout: opts.timeoutMs ?? 30_000,
      keepaliveInterval: 10_000,
      keepaliveCountMax: 3,
      hostVerifier: config.hostKeySha256 ? (key: Buffer) => hostKeyFingerprint(key) === config.hostKeySha256 : undefined,
    });
    conn.setNoDelay(true);
  });
}

/**
 * The one SSH connection of a backend or website, reopened on demand when the server dropped it: a session is
 * cheap to keep and slow to open, so every request of its owner multiplexes on the same SFTP channel.
 */
export class SftpConnection {
  private session: Promise<SftpSession>;
  private closed = false;

  constructor(
    private readonly config: SftpLocation,
    private readonly opts: OpenBackendOptions,
    private readonly secrets: readonly string[],
    /** What failures and a closed connection are reported as. */
    private readonly where: string,
    first: SftpSession,
  ) {
    this.session = Promise.resolve(first);
  }

  /** The live session, reconnecting when the previous one died. Rejects with PROTOCOL once closed. */
  async live(): Promise<SftpSession> {
    if (this.closed) throw closedError(this.where);
    const pending = this.session;
    const current = await pending.catch(() => null);
    if (current?.alive) return current;
    if (this.session !== pending) return this.live(); // another call is reconnecting already
    this.session = openSftpSession(this.config, this.opts, this.secrets, this.where);
    return this.session;
  }

  /** Ends the connection; idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const s = await this.session.catch(() => null);
    s?.conn.end();
  }
}
