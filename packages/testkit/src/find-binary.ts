import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Where server binaries live on Debian; a non-root PATH often lacks the sbin directories. */
const EXTRA_DIRS = ['/usr/sbin', '/usr/local/sbin', '/sbin', '/usr/bin', '/usr/local/bin'];

/** The first executable found for any of `names`, on PATH or in the sbin/bin directories; undefined if none. */
export function findBinary(...names: string[]): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), ...EXTRA_DIRS];
  for (const name of names) {
    for (const dir of dirs) {
      const file = join(dir, name);
      try {
        accessSync(file, constants.X_OK);
        return file;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

/** The hint every "missing binary" error carries. */
export const SYSTEM_DEPS_HINT = 'run scripts/provision/system-deps.sh as root (installs MariaDB, PHP, WordPress, sshd and vsftpd with apt)';
