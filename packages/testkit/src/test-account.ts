import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from './repo-root';

/** The unprivileged unix account that owns the remote-website fixtures (SFTP/FTP logins, `php -S`). */
export interface TestAccount {
  username: string;
  uid: number;
  gid: number;
  password: string;
  /** The account's home in /etc/passwd (fixtures keep their websites in their own temp folders, not there). */
  passwdHome: string;
}

let cached: Promise<TestAccount> | undefined;

/**
 * Creates the test account (`igweb`, or $INSTALLGATE_TEST_ACCOUNT) on first use and returns it with its password:
 * runs scripts/provision/test-account.sh, which is idempotent and serialised by a kernel lock across processes (see
 * the script for why one shared account with a password kept in a root-only file). Needs root: the fixtures run
 * sshd and vsftpd, which log users in from /etc/shadow. Once per test process.
 */
export function ensureTestAccount(): Promise<TestAccount> {
  cached ??= createAccount();
  cached.catch(() => (cached = undefined)); // a failure is not remembered
  return cached;
}

async function createAccount(): Promise<TestAccount> {
  if (process.getuid?.() !== 0) {
    throw new Error('ensureTestAccount: the SFTP/FTP website fixtures need root (they create a unix account and run sshd/vsftpd)');
  }
  const script = join(repoRoot(), 'scripts/provision/test-account.sh');
  let stdout: string;
  try {
    ({ stdout } = await promisify(execFile)('bash', [script], { timeout: 90_000 }));
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(`ensureTestAccount: ${script} failed: ${err.message}\n${err.stderr ?? ''}`);
  }
  const [username, uid, gid, passwdHome, passwordFile] = stdout.trim().split(' ');
  return { username, uid: Number(uid), gid: Number(gid), passwdHome, password: readFileSync(passwordFile, 'utf8') };
}
