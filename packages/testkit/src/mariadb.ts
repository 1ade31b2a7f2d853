import { spawn, execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './free-port';
import { requireMariaDbBinaries } from './mariadb-binaries';
import { runMariaDbClient } from './mariadb-query';
import { disownProcess, isAlive, ownProcess, stopProcess } from './stop-process';

export interface MariaDbServer {
  host: '127.0.0.1';
  port: number;
  /** Unix socket path (DIR/mariadb.sock, or under /tmp when DIR is too deep for a socket path). */
  socket: string;
  user: 'root';
  password: string;
  /** mysql://root:PASSWORD@127.0.0.1:PORT (the form of INSTALLGATE_DB_URL). */
  url: string;
  pid: number;
  dir: string;
  /** DIR/root.cnf (mode 0600): `mariadb --defaults-file=…` connects as root over TCP. */
  defaultsFile: string;
  logFile: string;
  /** SIGTERM by PID, wait for the exit, SIGKILL after 30 s. Safe to call twice. */
  stop(): Promise<void>;
}

export interface StartMariaDbOptions {
  /** Everything lives here: data/ (created once, then reused), mariadb.log, pid, port, socket, root.cnf. */
  dir: string;
  /** Default: a free port. */
  port?: number;
  /** How long to wait for the server to accept connections. Default 30 s. */
  startTimeoutMs?: number;
}

/** The files under DIR; the same layout as scripts/provision/mariadb.sh, so either can stop what the other started. */
function layout(dir: string) {
  const sock = join(dir, 'mariadb.sock');
  return {
    data: join(dir, 'data'),
    log: join(dir, 'mariadb.log'),
    installLog: join(dir, 'install-db.log'),
    pid: join(dir, 'pid'),
    port: join(dir, 'port'),
    socketFile: join(dir, 'socket'),
    cnf: join(dir, 'root.cnf'),
    bootstrapCnf: join(dir, '.bootstrap.cnf'),
    // Unix socket paths are limited to 108 bytes.
    socket: sock.length <= 100 ? sock : `/tmp/installgate-mariadb-${createHash('sha256').update(dir).digest('hex').slice(0, 16)}.sock`,
  };
}

function tail(file: string, lines = 20): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

function readPid(file: string): number | undefined {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function readPassword(cnf: string): string {
  const m = /^password=(.*)$/m.exec(readFileSync(cnf, 'utf8'));
  if (!m) throw new Error(`startMariaDb: no password in ${cnf}`);
  return m[1];
}

function writeCnf(file: string, password: string, port: number, socket: string): void {
  const text = `[client]\nuser=root\npassword=${password}\nhost=127.0.0.1\nport=${port}\nsocket=${socket}\ndefault-character-set=utf8mb4\n`;
  rmSync(file, { force: true });
  writeFileSync(file, text, { mode: 0o600 });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts a private MariaDB server under `dir` on 127.0.0.1 (no systemd): initialises the datadir once with
 * mariadb-install-db (an existing one is reused, with the root password kept in DIR/root.cnf), runs mariadbd detached
 * with its output in DIR/mariadb.log, waits until it accepts connections, and on first start gives root a random
 * password (set over the unix socket through the client's stdin, never in argv).
 */
export async function startMariaDb(opts: StartMariaDbOptions): Promise<MariaDbServer> {
  const bin = requireMariaDbBinaries();
  const dir = resolve(opts.dir);
  mkdirSync(dir, { recursive: true });
  const f = layout(dir);

  const previous = readPid(f.pid);
  if (previous && isAlive(previous)) {
    throw new Error(`startMariaDb: a server already runs in ${dir} (pid ${previous}): stop it first`);
  }

  if (!existsSync(join(f.data, 'mysql'))) {
    rmSync(f.cnf, { force: true }); // a new datadir: root has no password yet
    try {
      const r = await promisify(execFile)(
        bin.installDb,
        ['--no-defaults', `--datadir=${f.data}`, '--user=root', '--auth-root-authentication-method=normal', '--skip-test-db'],
        { maxBuffer: 16 * 1024 * 1024 },
      );
      writeFileSync(f.installLog, r.stdout + r.stderr);
    } catch (e) {
      const err = e as { stdout?: string; stderr?: string; message: string };
      writeFileSync(f.installLog, `${err.stdout ?? ''}${err.stderr ?? ''}`);
      throw new Error(`startMariaDb: mariadb-install-db failed: ${err.message}\n${tail(f.installLog)}`);
    }
  } else if (!existsSync(f.cnf)) {
    throw new Error(`startMariaDb: ${f.data} exists but ${f.cnf} (root's password) is missing: remove ${f.data} to start over`);
  }

  const port = opts.port ?? (await freePort());
  rmSync(f.socket, { force: true });
  rmSync(f.pid, { force: true });

  const logFd = openSync(f.log, 'a');
  const child = spawn(
    bin.server,
    [
      '--no-defaults',
      `--datadir=${f.data}`,
      `--socket=${f.socket}`,
      `--port=${port}`,
      '--bind-address=127.0.0.1',
      '--user=root',
      `--pid-file=${f.pid}`,
      '--skip-log-bin',
      '--character-set-server=utf8mb4',
      '--collation-server=utf8mb4_unicode_ci',
    ],
    { detached: true, stdio: ['ignore', logFd, logFd] },
  );
  closeSync(logFd);
  child.unref();
  const state: { spawnError?: Error; exitedWith?: string } = {};
  child.once('error', (e) => (state.spawnError = e));
  child.once('exit', (code, signal) => (state.exitedWith = signal ?? String(code)));
  const pid = child.pid;
  if (!pid) throw new Error(`startMariaDb: could not spawn ${bin.server}`);
  ownProcess(pid);
  writeFileSync(f.pid, `${pid}\n`);
  writeFileSync(f.port, `${port}\n`);
  writeFileSync(f.socketFile, `${f.socket}\n`);

  const fail = async (why: string): Promise<never> => {
    await stopProcess(pid, 5_000).catch(() => undefined);
    disownProcess(pid);
    rmSync(f.bootstrapCnf, { force: true });
    rmSync(f.pid, { force: true });
    throw new Error(`startMariaDb: ${why} (log ${f.log}):\n${tail(f.log)}`);
  };

  // Bootstrap over the unix socket, as root with the current password ('' before the first start).
  let password = existsSync(f.cnf) ? readPassword(f.cnf) : '';
  rmSync(f.bootstrapCnf, { force: true });
  writeFileSync(f.bootstrapCnf, `[client]\nuser=root\npassword=${password}\nsocket=${f.socket}\nprotocol=socket\n`, {
    mode: 0o600,
  });
  const deadline = Date.now() + (opts.startTimeoutMs ?? 30_000);
  for (;;) {
    if (state.spawnError) await fail(`mariadbd did not start: ${state.spawnError.message}`);
    if (state.exitedWith !== undefined || !isAlive(pid)) await fail(`mariadbd exited during start (${state.exitedWith ?? 'gone'})`);
    if ((await runMariaDbClient(f.bootstrapCnf, 'SELECT 1')).code === 0) break;
    if (Date.now() >= deadline) await fail(`mariadbd did not accept connections within ${opts.startTimeoutMs ?? 30_000} ms`);
    await sleep(100);
  }

  try {
    if (!existsSync(f.cnf)) {
      // mariadb-install-db also creates password-less root@127.0.0.1, root@::1 and root@HOSTNAME: keep root@localhost
      // and root@127.0.0.1, both with a new random password.
      password = randomBytes(24).toString('hex');
      const drops = await runMariaDbClient(f.bootstrapCnf, "SELECT CONCAT('DROP USER ', QUOTE(User), '@', QUOTE(Host), ';') FROM mysql.user WHERE User = '' OR (User = 'root' AND Host NOT IN ('localhost', '127.0.0.1'))", ['-N', '-B']);
      if (drops.code !== 0) await fail(`cannot list users: ${drops.stderr.trim()}`);
      writeCnf(`${f.cnf}.tmp`, password, port, f.socket);
      const r = await runMariaDbClient(
        f.bootstrapCnf,
        drops.stdout +
          "CREATE USER IF NOT EXISTS 'root'@'127.0.0.1';\n" +
          "GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION;\n" +
          `ALTER USER 'root'@'localhost' IDENTIFIED BY '${password}';\n` +
          `ALTER USER 'root'@'127.0.0.1' IDENTIFIED BY '${password}';\n`,
      );
      if (r.code !== 0) await fail(`cannot set root's password: ${r.stderr.trim()}`);
      renameSync(`${f.cnf}.tmp`, f.cnf);
    } else {
      writeCnf(f.cnf, password, port, f.socket); // the port may differ from last time
    }
  } finally {
    rmSync(f.bootstrapCnf, { force: true });
  }
  const tcp = await runMariaDbClient(f.cnf, 'SELECT 1');
  if (tcp.code !== 0) await fail(`cannot connect over TCP with ${f.cnf}: ${tcp.stderr.trim()}`);

  let stopping: Promise<void> | undefined;
  return {
    host: '127.0.0.1',
    port,
    socket: f.socket,
    user: 'root',
    password,
    url: `mysql://root:${password}@127.0.0.1:${port}`,
    pid,
    dir,
    defaultsFile: f.cnf,
    logFile: f.log,
    stop: () =>
      (stopping ??= (async () => {
        await stopProcess(pid, 30_000);
        disownProcess(pid);
        if (readPid(f.pid) === pid) rmSync(f.pid, { force: true });
      })()),
  };
}
