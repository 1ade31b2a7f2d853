import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { loginServer, startDaemon, startInFolder, withFreshPort, type LoginServer, type LoginServerOptions } from './daemon';
import { findBinary, SYSTEM_DEPS_HINT } from './find-binary';
import { freePort } from './free-port';
import { ensureTestAccount } from './test-account';

export interface FtpServer extends LoginServer {
  /** Explicit TLS (AUTH TLS) required for login and data: an `ftps://` server. */
  tls: boolean;
  /** The self-signed certificate (PEM) when `tls`, for clients that verify it; else ''. */
  certificate: string;
  /** The local folder a login starts in (vsftpd's local_root). */
  root: string;
  /** Whether logins are chrooted to `root`: then the server shows `root` as `/`, else paths are the local ones. */
  chroot: boolean;
  /** The passive data ports vsftpd picks from. */
  passivePorts: [number, number];
  /** vsftpd's own output (start errors) and its log file (logins, transfers). */
  log(): string;
}

export interface StartVsftpdOptions extends LoginServerOptions {
  /** The folder a login starts in (local_root). Default: the account's home in /etc/passwd. */
  root?: string;
  /** chroot_local_user: the login sees `root` as `/` (as on most shared hosts). Default true. */
  chroot?: boolean;
  /** Require explicit TLS (AUTH TLS) with a self-signed certificate. Default false. */
  tls?: boolean;
}

const run = promisify(execFile);
const PASSIVE_PORTS = 40;

/** True when `port` can be bound on 127.0.0.1 right now. */
function bindable(port: number): Promise<boolean> {
  return new Promise((resolveBindable) => {
    const s = createServer();
    s.once('error', () => resolveBindable(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolveBindable(true)));
  });
}

/**
 * `count` consecutive ports on 127.0.0.1 that are all free now, below Linux's ephemeral range (32768+) so that
 * outgoing connections do not take them. Ranges of concurrent fixtures may overlap: harmless, since vsftpd retries
 * another port of its range when a bind fails with EADDRINUSE, and each client connects to the port it was told.
 */
export async function freePortRange(count: number): Promise<[number, number]> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const first = 20_000 + Math.floor(Math.random() * (32_000 - 20_000 - count));
    const ports = Array.from({ length: count }, (_, i) => first + i);
    if ((await Promise.all(ports.map(bindable))).every(Boolean)) return [first, first + count - 1];
  }
  throw new Error(`freePortRange: no ${count} consecutive free ports found`);
}

/** Resolves with the first line the server sends on 127.0.0.1:port ('' when nothing answers). */
function greeting(port: number): Promise<string> {
  return new Promise((resolveGreeting) => {
    const socket = connect({ host: '127.0.0.1', port });
    let text = '';
    const done = () => {
      socket.destroy();
      resolveGreeting(text);
    };
    socket.setTimeout(1_000, done);
    socket.once('error', done);
    socket.on('data', (b: Buffer) => {
      text += b.toString('latin1');
      if (text.includes('\n')) done();
    });
  });
}

function requireVsftpd(): string {
  const vsftpd = findBinary('vsftpd');
  if (!vsftpd) throw new Error(`vsftpd is missing: ${SYSTEM_DEPS_HINT}`);
  return vsftpd;
}

/**
 * Debian's vsftpd in the foreground (`listen=YES`, `background=NO`) on 127.0.0.1 and a free port with its own
 * config file (nothing in /etc/vsftpd.conf is read), for local logins of the test account only, writable, umask
 * 022, optionally with explicit TLS. Needs root.
 *
 * - pam_service_name=vsftpd: Debian's /etc/pam.d/vsftpd (ftpusers deny list, pam_unix, pam_shells: the account's
 *   shell must be listed in /etc/shells, hence /bin/bash).
 * - seccomp_sandbox=NO, isolate=NO, isolate_network=NO: the seccomp filter and the per-connection PID/network
 *   namespaces fail in containers ("500 OOPS"), and buy nothing on loopback.
 * - ssl_ciphers=HIGH: vsftpd 3.0.3's default (DES-CBC3-SHA) is disabled in OpenSSL 3.
 * - Readiness: the greeting must carry a random token, so another server on the port cannot pass for this one.
 */
export async function startVsftpd(opts: StartVsftpdOptions = {}): Promise<FtpServer> {
  const vsftpd = requireVsftpd();
  const account = opts.account ?? (await ensureTestAccount());
  const root = resolve(opts.root ?? account.passwdHome);
  const chroot = opts.chroot ?? true;
  const tls = opts.tls ?? false;
  const started = await startInFolder(opts, 'ig-vsftpd-', async (dir) => {
    const empty = join(dir, 'empty'); // secure_chroot_dir: root-owned, empty, not writable by the user
    mkdirSync(empty, { mode: 0o755 });
    const userList = join(dir, 'user_list');
    writeFileSync(userList, `${account.username}\n`, { mode: 0o644 });
    const logFile = join(dir, 'vsftpd.log');
    const cert = join(dir, 'cert.pem');
    const key = join(dir, 'key.pem');
    let certificate = '';
    if (tls) {
      const openssl = findBinary('openssl');
      if (!openssl) throw new Error(`startVsftpd: openssl is missing (needed for tls): ${SYSTEM_DEPS_HINT}`);
      await run(openssl, [
        'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '2',
        '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
        '-keyout', key, '-out', cert,
      ]);
      chmodSync(key, 0o600);
      certificate = readFileSync(cert, 'utf8');
    }
    const passivePorts = await freePortRange(PASSIVE_PORTS);
    const token = randomBytes(6).toString('hex');
    const config = join(dir, 'vsftpd.conf');

    const server = await withFreshPort(freePort, async (port) => {
      const lines = [
        'listen=YES',
        'listen_ipv6=NO',
        'background=NO',
        'listen_address=127.0.0.1',
        `listen_port=${port}`,
        `ftpd_banner=Installgate test vsftpd ${token}`,
        'anonymous_enable=NO',
        'local_enable=YES',
        'write_enable=YES',
        'local_umask=022',
        'file_open_mode=0666',
        `local_root=${root}`,
        `chroot_local_user=${chroot ? 'YES' : 'NO'}`,
        // the root is the user's own (writable) website home, which vsftpd refuses as a chroot without this
        'allow_writeable_chroot=YES',
        'userlist_enable=YES',
        'userlist_deny=NO',
        `userlist_file=${userList}`,
        'pam_service_name=vsftpd',
        `secure_chroot_dir=${empty}`,
        'seccomp_sandbox=NO',
        'isolate=NO',
        'isolate_network=NO',
        'pasv_enable=YES',
        `pasv_min_port=${passivePorts[0]}`,
        `pasv_max_port=${passivePorts[1]}`,
        'port_enable=YES',
        'hide_ids=NO',
        'use_localtime=NO',
        'syslog_enable=NO',
        'xferlog_enable=YES',
        'xferlog_std_format=NO',
        `vsftpd_log_file=${logFile}`,
        'dirmessage_enable=NO',
        'connect_from_port_20=NO',
        'delay_failed_login=0', // PAM's pam_unix still waits 2 s after a wrong password
        'idle_session_timeout=600',
        'data_connection_timeout=120',
        ...(tls
          ? [
              'ssl_enable=YES',
              `rsa_cert_file=${cert}`,
              `rsa_private_key_file=${key}`,
              'allow_anon_ssl=NO',
              'force_local_logins_ssl=YES',
              'force_local_data_ssl=YES',
              'ssl_tlsv1=YES',
              'ssl_sslv2=NO',
              'ssl_sslv3=NO',
              'ssl_ciphers=HIGH',
              'require_ssl_reuse=YES', // vsftpd's default, as on real servers: clients must reuse the TLS session for data
            ]
          : ['ssl_enable=NO']),
        '',
      ];
      writeFileSync(config, lines.join('\n'), { mode: 0o600 });
      const daemon = await startDaemon({
        name: 'startVsftpd: vsftpd',
        where: `127.0.0.1:${port}`,
        command: vsftpd,
        args: [config],
        cwd: dir,
        ready: async () => (await greeting(port)).startsWith(`220 Installgate test vsftpd ${token}`),
        startTimeoutMs: opts.startTimeoutMs ?? 10_000,
      });
      return { port, daemon };
    });
    return { ...server, certificate, passivePorts, logFile };
  });
  const log = () => {
    let file = '';
    try {
      file = readFileSync(started.logFile, 'utf8');
    } catch {
      // nothing logged yet
    }
    return started.daemon.log() + file;
  };
  return { ...loginServer(account, started), tls, certificate: started.certificate, root, chroot, passivePorts: started.passivePorts, log };
}
