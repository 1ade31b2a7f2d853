import { isIP } from 'node:net';
import { Client } from 'basic-ftp';
import type { FtpLocation } from '../location-config';
import { closedError } from '../storage-error';
import { mapFtpError } from './ftp-errors';

/**
 * Logged-in basic-ftp clients for one location. FTP runs one command at a time per connection, so concurrent
 * operations each take a client; at most `max` exist, further callers wait. A client that failed is closed,
 * never reused.
 */
export class FtpPool {
  private idle: Client[] = [];
  private busy = 0;
  private waiters: (() => void)[] = [];
  private closed = false;

  constructor(
    private readonly config: FtpLocation,
    private readonly timeoutMs: number,
    private readonly secrets: readonly string[],
    private readonly max = 4,
    /** What login failures are reported as (a website passes its label). */
    private readonly where = `ftp ${config.host}:${config.port}`,
  ) {}

  /** A new logged-in client. Rejects with AUTH, CONNECT or PROTOCOL. */
  async connect(): Promise<Client> {
    const { config } = this;
    const client = new Client(this.timeoutMs);
    try {
      await client.access({
        host: config.host,
        port: config.port,
        user: config.username || 'anonymous',
        password: config.username ? config.password : 'anonymous@',
        secure: config.tls,
        secureOptions: config.tls
          ? { rejectUnauthorized: config.tlsVerify, servername: isIP(config.host) ? undefined : config.host }
          : undefined,
      });
      return client;
    } catch (err) {
      client.close();
      throw mapFtpError(err, this.where, 'read', this.secrets);
    }
  }

  /** An idle client, a new one, or the next one released. */
  async acquire(): Promise<Client> {
    for (;;) {
      if (this.closed) throw closedError(this.where);
      const idle = this.idle.pop();
      if (idle) {
        if (idle.closed) continue;
        this.busy++;
        return idle;
      }
      if (this.busy < this.max) {
        this.busy++;
        try {
          return await this.connect();
        } catch (err) {
          this.busy--;
          this.wake();
          throw err;
        }
      }
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  /** Gives a client back; `healthy: false` (or a closed pool) closes it. */
  release(client: Client, healthy: boolean): void {
    this.busy--;
    if (healthy && !client.closed && !this.closed) this.idle.push(client);
    else client.close();
    this.wake();
  }

  /** Runs `fn` with a client, releasing it afterwards (closed if `fn` failed). */
  async use<T>(fn: (client: Client) => Promise<T>): Promise<T> {
    const client = await this.acquire();
    try {
      const result = await fn(client);
      this.release(client, true);
      return result;
    } catch (err) {
      // A negative reply (550 …) leaves the connection usable; anything else may have broken it.
      this.release(client, typeof (err as { code?: unknown }).code === 'number');
      throw err;
    }
  }

  /** Closes idle clients; busy ones are closed when released. */
  close(): void {
    this.closed = true;
    for (const c of this.idle) c.close();
    this.idle = [];
    for (const wake of this.waiters.splice(0)) wake();
  }

  private wake(): void {
    this.waiters.shift()?.();
  }
}
