import { statSync } from 'node:fs';
import { Readable } from 'node:stream';
import { Client as FtpClient, FTPError } from 'basic-ftp';
import { Client as SshClient, type ConnectConfig, type SFTPWrapper } from 'ssh2';
import { ensureTestAccount, isAlive, startRemoteWebsite, startSshd, startVsftpd, type RemoteWebsite } from './index';

jest.setTimeout(60_000);

// Prints who PHP runs as, and writes a file of its own next to itself.
const WHOAMI_PHP = `<?php
$me = posix_getpwuid(posix_geteuid())['name'];
file_put_contents(__DIR__ . '/written-by-php.txt', $me);
echo $me, ' gid=', posix_getegid(), ' groups=', implode(',', posix_getgroups());
`;

/** The parts of a website URI, decoded. */
function parseUri(uri: string) {
  const u = new URL(uri);
  return {
    host: u.hostname,
    port: Number(u.port),
    username: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    path: decodeURIComponent(u.pathname),
  };
}

/** An SFTP session over ssh2 (noDelay: see shared/design/toolchain.md); rejects with ssh2's error. */
function sftpSession(config: ConnectConfig): Promise<{ ssh: SshClient; sftp: SFTPWrapper }> {
  return new Promise((resolve, reject) => {
    const ssh = new SshClient();
    ssh.once('error', reject);
    ssh.once('ready', () =>
      ssh.sftp((err, sftp) => {
        if (err) reject(err);
        else resolve({ ssh, sftp });
      }),
    );
    ssh.connect({ readyTimeout: 10_000, ...config });
    ssh.setNoDelay(true);
  });
}

function sftpWrite(sftp: SFTPWrapper, path: string, text: string): Promise<void> {
  return new Promise((resolve, reject) => sftp.writeFile(path, text, (err) => (err ? reject(err) : resolve())));
}

function sftpList(sftp: SFTPWrapper, path: string): Promise<string[]> {
  return new Promise((resolve, reject) => sftp.readdir(path, (err, list) => (err ? reject(err) : resolve(list.map((e) => e.filename).sort()))));
}

async function ftpSession(uri: string, tls: boolean, ca?: string): Promise<FtpClient> {
  const { host, port, username, password } = parseUri(uri);
  const client = new FtpClient(10_000);
  try {
    await client.access({ host, port, user: username, password, secure: tls, secureOptions: ca ? { ca } : undefined });
  } catch (e) {
    client.close();
    throw e;
  }
  return client;
}

async function fetchText(url: string): Promise<string> {
  const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  expect(res.status).toBe(200);
  return res.text();
}

/** Stops `site` and checks that none of the processes it ran (as of `before`) is left. */
async function stopAndCheckNothingLeft(stop: () => Promise<void>, before: number[]): Promise<void> {
  expect(before.length).toBeGreaterThan(1);
  await stop();
  expect(before.filter(isAlive)).toEqual([]);
}

describe('ensureTestAccount', () => {
  it('is an unprivileged account with a stable password, kept in a root-only file', async () => {
    const a = await ensureTestAccount();
    expect(a.uid).toBeGreaterThan(0);
    expect(a.gid).toBeGreaterThan(0);
    expect(a.password.length).toBeGreaterThanOrEqual(20);
    const file = statSync(`/var/lib/installgate-test/${a.username}.password`);
    expect(file.mode & 0o777).toBe(0o600);
    expect(file.uid).toBe(0);
    expect(await ensureTestAccount()).toEqual(a);
  });
});

describe('startSshd', () => {
  it('accepts the test account with its password and with its key, and refuses a wrong password', async () => {
    const sshd = await startSshd();
    try {
      const base = { host: sshd.host, port: sshd.port, username: sshd.username };
      const byPassword = await sftpSession({ ...base, password: sshd.password });
      const byKey = await sftpSession({ ...base, privateKey: sshd.privateKey, hostVerifier: (key: Buffer) => key.equals(Buffer.from(sshd.hostPublicKey.split(' ')[1], 'base64')) });
      expect(await sftpList(byPassword.sftp, '/')).toContain('tmp');
      expect(await sftpList(byKey.sftp, '/')).toContain('tmp');
      byKey.ssh.end();
      await expect(sftpSession({ ...base, password: `${sshd.password}x` })).rejects.toThrow(/authentication methods failed/);
      expect(sshd.log()).toContain(`Accepted password for ${sshd.username} from 127.0.0.1`);
      expect(sshd.log()).toContain(`Accepted publickey for ${sshd.username} from 127.0.0.1`);
      // A connection still open when the server stops: its processes (sshd forks one per connection, in a new
      // session) must go too.
      const pids = sshd.pids();
      expect(pids.length).toBeGreaterThan(1);
      await stopAndCheckNothingLeft(sshd.stop, pids);
      byPassword.ssh.end();
    } finally {
      await sshd.stop();
    }
  });
});

describe('startVsftpd', () => {
  it('refuses a plain login when TLS is required', async () => {
    const ftp = await startVsftpd({ tls: true });
    try {
      const uri = `ftp://${encodeURIComponent(ftp.username)}:${encodeURIComponent(ftp.password)}@127.0.0.1:${ftp.port}/`;
      await expect(ftpSession(uri, false)).rejects.toThrow(/530/);
      const client = await ftpSession(uri, true, ftp.certificate); // verified against the self-signed certificate
      await client.list('/');
      client.close();
    } finally {
      await ftp.stop();
    }
  });
});

describe.each(['sftp', 'ftp', 'ftps'] as const)('startRemoteWebsite (%s)', (protocol) => {
  let site: RemoteWebsite;
  beforeAll(async () => {
    site = await startRemoteWebsite({ protocol });
  });
  afterAll(() => site?.stop());

  /** Writes `text` to `path` (relative to the home) through the website's own URI. */
  async function upload(uri: string, path: string, text: string): Promise<void> {
    const home = parseUri(uri).path.replace(/\/$/, '');
    if (protocol === 'sftp') {
      const { ssh, sftp } = await sftpSession({ ...parseUri(uri) });
      try {
        await sftpWrite(sftp, `${home}/${path}`, text);
      } finally {
        ssh.end();
      }
    } else {
      const client = await ftpSession(uri, protocol === 'ftps', site.certificate);
      try {
        await client.uploadFrom(Readable.from([text]), `${home}/${path}`);
      } finally {
        client.close();
      }
    }
  }

  it('gives a URI whose upload into public_html PHP serves, as the test account', async () => {
    expect(site.uri.startsWith(`${protocol}://${site.username}:${encodeURIComponent(site.password)}@127.0.0.1:${site.port}/`)).toBe(true);
    expect(site.vhosts).toEqual({ [site.siteUrl]: 'public_html' });
    await upload(site.uri, 'public_html/whoami.php', WHOAMI_PHP);
    // Only this account: no supplementary group left from root.
    expect(await fetchText(`${site.siteUrl}/whoami.php`)).toBe(`${site.username} gid=${site.gid} groups=`);
    for (const f of ['whoami.php', 'written-by-php.txt']) {
      const st = statSync(`${site.docroot}/${f}`);
      expect([st.uid, st.gid]).toEqual([site.uid, site.gid]);
      expect(st.mode & 0o777).toBe(0o644); // umask 022 on both sides
    }
  });

  it('refuses a wrong password and a closed port', async () => {
    const wrong = upload(site.wrongPasswordUri, 'public_html/x.txt', 'x');
    await (protocol === 'sftp' ? expect(wrong).rejects.toThrow(/authentication methods failed/) : expect(wrong).rejects.toThrow(/530/));
    await expect(upload(await site.closedPortUri(), 'public_html/x.txt', 'x')).rejects.toThrow(/ECONNREFUSED/);
  });

  it('refuses a write into a read-only folder', async () => {
    await upload(site.uri, 'public_html/ok.txt', 'ok'); // the account can write…
    site.makeReadOnly('public_html');
    try {
      const refused = upload(site.uri, 'public_html/no.txt', 'no'); // …but not into a 0555 folder
      await (protocol === 'sftp'
        ? expect(refused).rejects.toThrow(/Permission denied/)
        : expect(refused).rejects.toMatchObject({ constructor: FTPError, code: 553 })); // 553 Could not create file
    } finally {
      site.makeWritable('public_html');
    }
    await upload(site.uri, 'public_html/yes.txt', 'yes');
  });

  it('stops everything it started', async () => {
    const pids = site.pids();
    await stopAndCheckNothingLeft(site.stop, pids);
    await expect(fetch(site.siteUrl)).rejects.toThrow();
  });
});

it('startRemoteWebsite over FTP without chroot shows the home at its local path', async () => {
  const site = await startRemoteWebsite({ protocol: 'ftp', ftpChroot: false, phpWorkers: 1 });
  try {
    expect(site.remoteHome).toBe(site.home);
    expect(parseUri(site.uri).path).toBe(site.home);
    const client = await ftpSession(site.uri, false);
    try {
      expect((await client.list(site.home)).map((e) => e.name)).toEqual(['public_html']);
    } finally {
      client.close();
    }
  } finally {
    await site.stop();
  }
});
