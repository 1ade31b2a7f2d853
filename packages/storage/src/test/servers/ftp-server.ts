import { FtpSrv } from 'ftp-srv';
import { freePort } from './free-port';
import { patchFtpSrvPassive } from './ftp-srv-passive-patch';
import type { TestCertificate } from './self-signed';

/** A running loopback FTP server (ftp-srv). */
export interface FtpTestServer {
  host: '127.0.0.1';
  port: number;
  username: string;
  password: string;
  stop(): Promise<void>;
}

/** Options of {@link startFtpServer}. */
export interface FtpTestServerOptions {
  /** Folder served as the login folder ('/'). */
  root: string;
  /** Offer explicit TLS (AUTH TLS) with this certificate. */
  tls?: TestCertificate;
  username?: string;
  password?: string;
}

/** ftp-srv wants a bunyan logger; tests want silence. */
const silentLog: Record<string, unknown> = {};
for (const level of ['trace', 'debug', 'info', 'warn', 'error', 'fatal']) silentLog[level] = () => undefined;
silentLog.child = () => silentLog;

const SIGNALS = ['SIGTERM', 'SIGINT', 'SIGQUIT'] as const;

/**
 * Starts ftp-srv on 127.0.0.1 (free port), passive mode only, one user chrooted into `root`. With `tls` the
 * server offers explicit TLS on the same port (ftps:// in location terms).
 */
export async function startFtpServer(options: FtpTestServerOptions): Promise<FtpTestServer> {
  const username = options.username ?? 'backup';
  const password = options.password ?? 'ftp-p@ss:word';
  patchFtpSrvPassive();
  const port = await freePort();
  const before = new Map(SIGNALS.map((s) => [s, new Set(process.listeners(s))]));
  const server = new FtpSrv({
    url: `ftp://127.0.0.1:${port}`,
    pasv_url: '127.0.0.1',
    pasv_min: 20000,
    pasv_max: 40000,
    anonymous: false,
    tls: options.tls ? { key: options.tls.key, cert: options.tls.cert } : false,
    log: silentLog,
  });
  // ftp-srv installs signal handlers that exit the process; a test process must not get them.
  for (const s of SIGNALS) for (const l of process.listeners(s)) if (!before.get(s)?.has(l)) process.removeListener(s, l);
  // ftp-srv's disconnectClient arms a 1 s timer per closed connection and never clears it, which keeps the test
  // process alive; this copy does the same work without the timer.
  const internals = server as unknown as { connections: Record<string, { close(code: number): unknown }> };
  Object.assign(server, {
    disconnectClient(id: string): Promise<void> {
      const connection = internals.connections[id];
      delete internals.connections[id];
      try {
        connection?.close(0);
      } catch {
        // already gone
      }
      return Promise.resolve();
    },
  });
  server.on('login', ({ username: user, password: pass }, resolve, reject) => {
    if (user === username && pass === password) resolve({ root: options.root });
    else reject(new Error('Login incorrect'));
  });
  server.on('client-error', () => undefined);
  await server.listen();
  return {
    host: '127.0.0.1',
    port,
    username,
    password,
    stop: () => server.close(),
  };
}
