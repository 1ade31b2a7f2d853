import { SMTPServer, type SMTPServerOptions } from 'smtp-server';

/** One message as the sink received it: envelope and the raw RFC 5322 text (headers and body). */
export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
  /** The user the client authenticated as ('' without AUTH). */
  user: string;
  /** Whether the session ran over TLS (STARTTLS) when the message was sent. */
  secure: boolean;
}

/** A real SMTP server on 127.0.0.1 that keeps what it receives, for tests of code that sends mail. */
export interface SmtpSink {
  port: number;
  received: ReceivedMail[];
  /** Resolves with the `count`-th message (1-based) once it has arrived; no timer, it waits for the event. */
  nth(count: number): Promise<ReceivedMail>;
  stop(): Promise<void>;
}

/**
 * Starts the sink on a free loopback port. With `auth`, only that user/password is accepted (AUTH PLAIN/LOGIN);
 * with `starttls`, STARTTLS is offered with smtp-server's built-in self-signed certificate and required before AUTH.
 */
export async function startSmtpSink(opts: { auth?: { user: string; pass: string }; starttls?: boolean } = {}): Promise<SmtpSink> {
  const received: ReceivedMail[] = [];
  const waiters: { count: number; resolve: (m: ReceivedMail) => void }[] = [];
  const options: SMTPServerOptions = {
    secure: false,
    disabledCommands: [...(opts.starttls ? [] : ['STARTTLS']), ...(opts.auth ? [] : ['AUTH'])],
    authOptional: !opts.auth,
    // Loopback tests only: plain AUTH without TLS is what the no-STARTTLS case exercises.
    allowInsecureAuth: !opts.starttls,
    logger: false,
    onAuth(auth, _session, cb) {
      if (opts.auth && auth.username === opts.auth.user && auth.password === opts.auth.pass) cb(null, { user: auth.username });
      else cb(new Error('Invalid username or password'));
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const mail: ReceivedMail = {
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
          user: typeof session.user === 'string' ? session.user : '',
          secure: session.secure,
        };
        received.push(mail);
        for (const w of waiters.filter((x) => x.count === received.length)) w.resolve(mail);
        cb();
      });
    },
  };
  const server = new SMTPServer(options);
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const addr = server.server.address();
      resolve(typeof addr === 'object' && addr ? addr.port : 0);
    });
  });
  return {
    port,
    received,
    nth(count) {
      const have = received[count - 1];
      if (have) return Promise.resolve(have);
      return new Promise((resolve) => waiters.push({ count, resolve }));
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
