import * as net from 'node:net';
import * as tls from 'node:tls';

/**
 * ftp-srv 4.6.3's passive connector arms a 30 s idle timer per EPSV/PASV and never clears it when the client gives
 * up on the data connection (a LIST of a missing folder, an aborted upload). Those timers keep a test process
 * alive for 30 s. This replaces `setupServer` with the same logic plus an unref'd timer that is cleared when the
 * data server closes. Applied once, to the test server only.
 */
interface PassiveConnector {
  connection: {
    commandSocket: net.Socket;
    secure: boolean;
    server: { options: { tls?: tls.SecureContextOptions }; url: { hostname: string }; getNextPasvPort(): Promise<number>; emit(e: string, d: unknown): void };
  };
  dataSocket: (net.Socket & { connected?: boolean }) | null;
  dataServer: net.Server | null;
  server: PassiveConnector['connection']['server'] | null;
  closeServer(): void;
  end(): void;
}

const IDLE_MS = 30_000;
const plain = (address: string | undefined): string => (address ?? '').replace(/^::ffff:/, '');
let applied = false;

/** Installs the patch (idempotent). */
export function patchFtpSrvPassive(): void {
  if (applied) return;
  applied = true;
  const Passive = require('ftp-srv/src/connector/passive') as { prototype: { setupServer(this: PassiveConnector): Promise<net.Server> } };
  Passive.prototype.setupServer = async function setupServer(this: PassiveConnector): Promise<net.Server> {
    this.closeServer();
    const { connection } = this;
    const port = await connection.server.getNextPasvPort();
    this.dataSocket = null;
    const onConnection = (socket: net.Socket & { connected?: boolean }): void => {
      if (plain(connection.commandSocket.remoteAddress) !== plain(socket.remoteAddress)) {
        socket.destroy();
        return;
      }
      clearTimeout(idle);
      this.dataSocket = socket;
      socket.on('error', (error) => this.server?.emit('client-error', { connection, context: 'dataSocket', error }));
      socket.once('close', () => this.closeServer());
      if (!connection.secure) socket.connected = true;
    };
    const options = { ...(connection.secure ? connection.server.options.tls : {}), pauseOnConnect: true };
    const server = connection.secure ? tls.createServer(options, onConnection) : net.createServer(options, onConnection);
    this.dataServer = server;
    server.maxConnections = 1;
    server.on('error', (error) => this.server?.emit('client-error', { connection, context: 'dataServer', error }));
    if (connection.secure) server.on('secureConnection', (socket: tls.TLSSocket & { connected?: boolean }) => (socket.connected = true));
    let idle: NodeJS.Timeout | undefined;
    server.once('close', () => {
      clearTimeout(idle);
      this.end();
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, connection.server.url.hostname, () => resolve());
    });
    idle = setTimeout(() => this.closeServer(), IDLE_MS);
    idle.unref();
    return server;
  };
}
