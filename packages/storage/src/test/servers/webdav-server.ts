import type { AddressInfo } from 'node:net';
import { v2 as webdav } from 'webdav-server';
import type { TestCertificate } from './self-signed';

/** A running loopback WebDAV server (webdav-server v2). */
export interface WebdavTestServer {
  host: '127.0.0.1';
  port: number;
  username: string;
  password: string;
  stop(): Promise<void>;
}

/** Options of {@link startWebdavServer}. */
export interface WebdavTestServerOptions {
  /** Folder served as '/'. */
  root: string;
  /** Serve https with this certificate. */
  tls?: TestCertificate;
  username?: string;
  password?: string;
  /** Bytes the user may store in all (webdav-server's PerUserStorageManager): beyond it, 507 Insufficient Storage. */
  storageLimitBytes?: number;
}

/**
 * Starts webdav-server v2 on 127.0.0.1 (free port) over `root`, with HTTP Basic authentication for one user who
 * may do everything.
 */
export async function startWebdavServer(options: WebdavTestServerOptions): Promise<WebdavTestServer> {
  const username = options.username ?? 'backup';
  // webdav-server 2.6.3 cuts Basic credentials at a second ':' and rejects base64 holding '+' or '/': the
  // default password avoids both (and still needs URL-encoding for its '@' and ' ').
  const password = options.password ?? 'dav-p@ss word';
  const users = new webdav.SimpleUserManager();
  const user = users.addUser(username, password, false);
  const privileges = new webdav.SimplePathPrivilegeManager();
  privileges.setRights(user, '/', ['all']);
  const server = new webdav.WebDAVServer({
    hostname: '127.0.0.1',
    port: 0,
    requireAuthentification: true,
    httpAuthentication: new webdav.HTTPBasicAuthentication(users, 'installgate-test'),
    privilegeManager: privileges,
    rootFileSystem: new webdav.PhysicalFileSystem(options.root),
    https: options.tls ? { key: options.tls.key, cert: options.tls.cert } : undefined,
    ...(options.storageLimitBytes !== undefined ? { storageManager: new webdav.PerUserStorageManager(options.storageLimitBytes) } : {}),
  });
  const httpServer = await server.startAsync(0);
  const port = (httpServer.address() as AddressInfo).port;
  return {
    host: '127.0.0.1',
    port,
    username,
    password,
    async stop() {
      httpServer.closeAllConnections?.();
      await server.stopAsync();
    },
  };
}
