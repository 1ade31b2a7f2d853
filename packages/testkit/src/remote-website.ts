import { chmodSync, chownSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port';
import { startPhpServer, type PhpServer } from './php-server';
import { startSshd, type SshServer } from './sshd';
import { ensureTestAccount } from './test-account';
import { startVsftpd, type FtpServer } from './vsftpd';

export type RemoteWebsiteProtocol = 'sftp' | 'ftp' | 'ftps';

export interface RemoteWebsite {
  protocol: RemoteWebsiteProtocol;
  /**
   * The website's home as a remote URI, with the percent-encoded password:
   * - sftp: `sftp://igweb:PASS@127.0.0.1:PORT/tmp/ig-web-XXXXXX/home` (the absolute local path: no chroot);
   * - ftp/ftps: `ftp://igweb:PASS@127.0.0.1:PORT/` by default: vsftpd chroots the login to the home, which it then
   *   shows as `/`, as most shared hosts do (`ftpChroot: false` gives the local path, as for sftp).
   * ftps is explicit TLS with a self-signed certificate: clients must not verify it (or trust `certificate`).
   */
  uri: string;
  /** `uri` with a wrong password (login refused: failed_filesystem_login). */
  wrongPasswordUri: string;
  /** `uri` with a port where nothing listens (connection refused: failed_filesystem_host). */
  closedPortUri(): Promise<string>;
  /** The home as the file server shows it: the local path for sftp, `/` for chrooted FTP. */
  remoteHome: string;
  /** The home on this machine (for assertions), owned by the test account, mode 0755. */
  home: string;
  /** `home`/public_html, served by `siteUrl`. */
  docroot: string;
  /** `http://127.0.0.1:PORT` (no trailing slash): `php -S` on `docroot`, running as the test account. */
  siteUrl: string;
  /** For the website object: the site URL → its document root relative to the home. */
  vhosts: Record<string, string>;
  host: '127.0.0.1';
  /** The SFTP or FTP port. */
  port: number;
  username: string;
  password: string;
  /** sftp only: a private key the server accepts ('' otherwise). */
  privateKey: string;
  /** ftps only: the server's self-signed certificate (PEM; '' otherwise). */
  certificate: string;
  uid: number;
  gid: number;
  php: PhpServer;
  /** The SSH or FTP server. */
  fileServer: SshServer | FtpServer;
  /** chmod 0555 a folder below the home ('' = the home itself): the test account can no longer write into it. */
  makeReadOnly(relPath: string): void;
  /** chmod 0755 again. */
  makeWritable(relPath: string): void;
  /** chown -R to the test account: for files a test (running as root) put below the home itself. */
  chownToAccount(relPath: string): void;
  /** PIDs of php -S (and workers) and of the file server (and its connections) alive now. */
  pids(): number[];
  /** Stops PHP and the file server by PID, then removes the home. Safe to call twice. */
  stop(): Promise<void>;
}

export interface StartRemoteWebsiteOptions {
  protocol: RemoteWebsiteProtocol;
  /** FTP only: chroot the login to the home (shown as `/`). Default true. */
  ftpChroot?: boolean;
  /** php -S workers; default 4 (see startPhpServer). */
  phpWorkers?: number;
}

const encodePath = (p: string) => p.split('/').map(encodeURIComponent).join('/');

/**
 * A "second web server" on loopback, reached the way Installatron reaches websites on other servers: a home folder
 * owned by the unprivileged test account (`igweb`), its document root `public_html` served over HTTP by `php -S`
 * running as that account, and the home reachable over SFTP (OpenSSH's sshd) or FTP/FTPS (vsftpd) as that account.
 * Files written over SFTP/FTP and files written by PHP therefore belong to the same user, and a read-only folder
 * really refuses writes. Needs root (see startSshd/startVsftpd).
 *
 * Layout: /tmp/ig-web-XXXXXX (root, 0755) holding home/ (igweb, 0755), home/public_html/ (igweb, 0755) and the
 * server's own folder (sshd/ or vsftpd/, root's). Everything is removed by stop().
 */
export async function startRemoteWebsite(opts: StartRemoteWebsiteOptions): Promise<RemoteWebsite> {
  const account = await ensureTestAccount();
  const base = mkdtempSync(join(tmpdir(), 'ig-web-'));
  let php: PhpServer | undefined;
  let fileServer: SshServer | FtpServer | undefined;
  const stop = async () => {
    await Promise.all([php?.stop(), fileServer?.stop()]);
    rmSync(base, { recursive: true, force: true });
  };
  try {
    chmodSync(base, 0o755); // mkdtemp makes it 0700: the account must reach its home
    const home = join(base, 'home');
    const docroot = join(home, 'public_html');
    for (const d of [home, docroot]) {
      mkdirSync(d, { mode: 0o755 });
      chownSync(d, account.uid, account.gid);
    }
    const [phpServer, server] = await Promise.all([
      startPhpServer({
        docroot,
        uid: account.uid,
        gid: account.gid,
        workers: opts.phpWorkers,
        env: { HOME: home, USER: account.username, LOGNAME: account.username, TMPDIR: tmpdir() },
      }).then((s) => (php = s)),
      (opts.protocol === 'sftp'
        ? startSshd({ account, dir: join(base, 'sshd') })
        : startVsftpd({ account, dir: join(base, 'vsftpd'), root: home, chroot: opts.ftpChroot ?? true, tls: opts.protocol === 'ftps' })
      ).then((s) => (fileServer = s)),
    ]);
    const remoteHome = 'chroot' in server && server.chroot ? '/' : home;
    const uriFor = (password: string, port: number) =>
      `${opts.protocol}://${encodeURIComponent(account.username)}:${encodeURIComponent(password)}@127.0.0.1:${port}${encodePath(remoteHome)}`;
    const below = (relPath: string) => join(home, relPath);
    const chownTree = (p: string) => {
      chownSync(p, account.uid, account.gid);
      if (lstatSync(p).isDirectory()) for (const e of readdirSync(p)) chownTree(join(p, e));
    };
    return {
      protocol: opts.protocol,
      uri: uriFor(account.password, server.port),
      wrongPasswordUri: uriFor(`${account.password}-wrong`, server.port),
      closedPortUri: async () => uriFor(account.password, await freePort()),
      remoteHome,
      home,
      docroot,
      siteUrl: phpServer.url,
      vhosts: { [phpServer.url]: 'public_html' },
      host: '127.0.0.1',
      port: server.port,
      username: account.username,
      password: account.password,
      privateKey: 'privateKey' in server ? server.privateKey : '',
      certificate: 'certificate' in server ? server.certificate : '',
      uid: account.uid,
      gid: account.gid,
      php: phpServer,
      fileServer: server,
      makeReadOnly: (relPath) => chmodSync(below(relPath), 0o555),
      makeWritable: (relPath) => chmodSync(below(relPath), 0o755),
      chownToAccount: (relPath) => chownTree(below(relPath)),
      pids: () => [...phpServer.pids(), ...server.pids()],
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}
