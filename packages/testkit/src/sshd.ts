import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { loginServer, startDaemon, startInFolder, withFreshPort, type LoginServer, type LoginServerOptions } from './daemon';
import { findBinary, SYSTEM_DEPS_HINT } from './find-binary';
import { freePort } from './free-port';
import { ensureTestAccount } from './test-account';

export interface SshServer extends LoginServer {
  /** An OpenSSH-format ed25519 private key (PEM text, no passphrase) that the server accepts for `username`. */
  privateKey: string;
  /** The server's host key, `ssh-ed25519 AAAA…` (for clients that verify it). */
  hostPublicKey: string;
  /** sshd's log (-e: to stderr, LogLevel VERBOSE). */
  log(): string;
}

export type StartSshdOptions = LoginServerOptions;

const run = promisify(execFile);

function requireSshBinaries(): { sshd: string; keygen: string } {
  const sshd = findBinary('sshd');
  const keygen = findBinary('ssh-keygen');
  if (!sshd || !keygen) throw new Error(`openssh-server (sshd, ssh-keygen) is missing: ${SYSTEM_DEPS_HINT}`);
  return { sshd, keygen };
}

/**
 * Debian's OpenSSH server in the foreground (`sshd -D -e -f DIR/sshd_config`) on 127.0.0.1 and a free port, for the
 * test account only, with password and public-key login and `internal-sftp`. Its own host key and config; nothing
 * in /etc/ssh is read. Needs root (sshd checks passwords in /etc/shadow and switches to the user).
 *
 * - UsePAM no: passwords are checked against /etc/shadow directly, so no PAM stack is involved.
 * - StrictModes no: AuthorizedKeysFile points into the fixture's folder under /tmp, which is world-writable, and
 *   StrictModes rejects a key file below any group/world-writable folder. The file is root's, 0644, in a root
 *   0755 folder, so only root could change it anyway.
 * - /run/sshd (the privilege-separation folder compiled into Debian's sshd, created by systemd's tmpfiles at boot,
 *   which this kind of machine lacks) is created when missing, root-owned 0755 as sshd requires.
 */
export async function startSshd(opts: StartSshdOptions = {}): Promise<SshServer> {
  const bin = requireSshBinaries();
  const account = opts.account ?? (await ensureTestAccount());
  const started = await startInFolder(opts, 'ig-sshd-', async (dir) => {
    const hostKey = join(dir, 'ssh_host_ed25519_key');
    const clientKey = join(dir, 'client_ed25519_key');
    await Promise.all(
      [hostKey, clientKey].map((f) => run(bin.keygen, ['-q', '-t', 'ed25519', '-N', '', '-C', 'installgate-test', '-f', f])),
    );
    const authorizedKeys = join(dir, 'authorized_keys');
    writeFileSync(authorizedKeys, readFileSync(`${clientKey}.pub`), { mode: 0o644 });
    const privateKey = readFileSync(clientKey, 'utf8');
    const hostPublicKey = readFileSync(`${hostKey}.pub`, 'utf8').trim().split(' ').slice(0, 2).join(' ');
    rmSync(clientKey);
    mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });

    const config = join(dir, 'sshd_config');
    const server = await withFreshPort(freePort, async (port) => {
      writeFileSync(
        config,
        [
          `Port ${port}`,
          'ListenAddress 127.0.0.1',
          `HostKey ${hostKey}`,
          'PidFile none',
          'UsePAM no',
          'PasswordAuthentication yes',
          'PermitEmptyPasswords no',
          'KbdInteractiveAuthentication no',
          'PubkeyAuthentication yes',
          `AuthorizedKeysFile ${authorizedKeys}`,
          'StrictModes no',
          'PermitRootLogin no',
          `AllowUsers ${account.username}`,
          'UseDNS no',
          'PrintMotd no',
          'PrintLastLog no',
          'X11Forwarding no',
          'AllowTcpForwarding no',
          'MaxStartups 100:30:200',
          'LogLevel VERBOSE',
          // umask 022: files created over SFTP get 0644 (0666 asked by clients), as on a typical host.
          'Subsystem sftp internal-sftp -u 022',
          '',
        ].join('\n'),
        { mode: 0o600 },
      );
      const daemon = await startDaemon({
        name: 'startSshd: sshd',
        where: `127.0.0.1:${port}`,
        command: bin.sshd,
        args: ['-D', '-e', '-f', config],
        cwd: dir,
        ready: (output) => output.includes(`Server listening on 127.0.0.1 port ${port}.`),
        startTimeoutMs: opts.startTimeoutMs ?? 10_000,
      });
      return { port, daemon };
    });
    return { ...server, privateKey, hostPublicKey };
  });
  return { ...loginServer(account, started), privateKey: started.privateKey, hostPublicKey: started.hostPublicKey };
}
