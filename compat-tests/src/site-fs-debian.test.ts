/**
 * The SiteFs conformance suite (packages/storage) against the servers a hosting company runs: Debian's OpenSSH
 * sshd (password and public-key login, internal-sftp) and vsftpd (plain FTP and explicit FTPS), each running as
 * the website's own unprivileged account, so permission refusals are real ones. The storage package's own tests
 * use in-process servers (ssh2, ftp-srv); these fixtures live in testkit, which storage must not depend on, hence
 * this file here. Beyond the suite: what these servers do differently from the in-process ones.
 */
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { connect } from 'node:net';
import { openSiteFs, runSiteFsConformance, type SiteFsTarget } from '@installgate/storage';
import { startRemoteWebsite, type RemoteWebsite, type RemoteWebsiteProtocol } from '@installgate/testkit';

const SUITE = { timeoutMs: 60_000 };

/** Sends FTP commands one by one on a fresh control connection and resolves with each full reply (after login). */
async function ftpReplies(port: number, commands: readonly string[]): Promise<string[]> {
  const socket = connect({ host: '127.0.0.1', port });
  let buffered = '';
  const waiters: { resolve(): void; reject(e: Error): void }[] = [];
  socket.on('data', (b: Buffer) => {
    buffered += b.toString('utf8');
    waiters.shift()?.resolve();
  });
  socket.on('error', (e) => waiters.shift()?.reject(e));
  // A reply ends with a line `NNN text` (a multi-line one starts with `NNN-`).
  const reply = async (): Promise<string> => {
    for (;;) {
      const end = /^(\d{3}) [^\n]*\n/m.exec(buffered);
      if (end) {
        const text = buffered.slice(0, end.index + end[0].length);
        buffered = buffered.slice(text.length);
        return text;
      }
      await new Promise<void>((resolve, reject) => waiters.push({ resolve, reject }));
    }
  };
  try {
    await reply();
    const out: string[] = [];
    for (const c of commands) {
      socket.write(`${c}\r\n`);
      out.push(await reply());
    }
    return out;
  } finally {
    socket.destroy();
  }
}

/** A website on Debian's sshd or vsftpd as a suite target; `key` logs in with the private key instead. */
async function debianTarget(protocol: RemoteWebsiteProtocol, key = false): Promise<SiteFsTarget & { web: RemoteWebsite }> {
  const web = await startRemoteWebsite({ protocol, phpWorkers: 1 });
  const base = {
    web,
    setWritable: (rel: string, writable: boolean) => (writable ? web.makeWritable(rel) : web.makeReadOnly(rel)),
    cleanup: () => web.stop(),
  };
  if (protocol === 'ftps') return { ...base, home: `${web.uri}?tls_verify=0` };
  if (!key) return { ...base, home: web.uri };
  const keyFile = join(web.home, '..', 'id_ed25519'); // beside the home, outside what the account can reach
  await fs.writeFile(keyFile, web.privateKey, { mode: 0o600 });
  return { ...base, home: `ssh://${web.username}:public-key@127.0.0.1:${web.port}${web.remoteHome}`, opts: { sshPrivateKeyPath: keyFile } };
}

runSiteFsConformance("sftp (Debian's sshd, password)", () => debianTarget('sftp'), SUITE);
runSiteFsConformance("ssh (Debian's sshd, public-key)", () => debianTarget('sftp', true), SUITE);
runSiteFsConformance("ftp (Debian's vsftpd)", () => debianTarget('ftp'), SUITE);
runSiteFsConformance("ftps (Debian's vsftpd, explicit TLS)", () => debianTarget('ftps'), SUITE);

describe("what Debian's servers do that the in-process ones do not", () => {
  jest.setTimeout(60_000);

  test('sshd: files belong to the account, with the exact mode asked despite its umask; symlinks as OpenSSH stores them', async () => {
    const t = await debianTarget('sftp');
    const site = await openSiteFs(t.home);
    try {
      await site.write('public_html/c.php', '<?php', { mode: 0o600 });
      await site.symlink('c.php', 'public_html/link.php'); // OpenSSH swaps SYMLINK's arguments: ssh2 must too
      const st = await fs.lstat(join(t.web.docroot, 'c.php'));
      expect({ uid: st.uid, mode: st.mode & 0o777 }).toEqual({ uid: t.web.uid, mode: 0o600 });
      expect(await fs.readlink(join(t.web.docroot, 'link.php'))).toBe('c.php');
      expect(site.features).toEqual({ symlinks: true, atomicReplace: true }); // posix-rename@openssh.com
    } finally {
      await site.close();
      await t.cleanup();
    }
  });

  test('vsftpd: no MLST/MLSD (LIST only), but MDTM, SIZE and SITE CHMOD; modes come back from LIST', async () => {
    const t = await debianTarget('ftp');
    const site = await openSiteFs(t.home);
    try {
      await site.write('public_html/m.php', '<?php', { mode: 0o640 });
      const [, , feat, mdtm, size] = await ftpReplies(t.web.port, [`USER ${t.web.username}`, `PASS ${t.web.password}`, 'FEAT', 'MDTM public_html/m.php', 'SIZE public_html/m.php']);
      expect({ mlst: /\bMLST\b/.test(feat), mdtm: /\bMDTM\b/.test(feat), size: /\bSIZE\b/.test(feat) }).toEqual({ mlst: false, mdtm: true, size: true });
      expect(mdtm).toMatch(/^213 \d{14}/);
      expect(size).toMatch(/^213 5\b/);
      expect((await fs.stat(join(t.web.docroot, 'm.php'))).mode & 0o777).toBe(0o640); // SITE CHMOD, for real
      expect((await site.stat('public_html/m.php'))?.mode).toBe(0o640); // from LIST's rwx columns
    } finally {
      await site.close();
      await t.cleanup();
    }
  });
});
