import * as nodemailer from 'nodemailer';
import { EngineError } from '@installgate/contracts';
import { redactText } from '../secrets/redact';
import type { CheckedSmtp } from './smtp-settings';
import type { ComposedMail } from './compose-mail';

/** Sends one composed mail. Fails with an EngineError whose message never holds the SMTP password. */
export interface Mailer {
  send(to: string, mail: ComposedMail): Promise<void>;
  close(): void;
}

/** Bounded waits: a mail server that stops answering must not hold the notification queue (or a stop) for ever. */
const TIMEOUTS_MS = { connectionTimeout: 20_000, greetingTimeout: 20_000, socketTimeout: 60_000 } as const;

/** The transport options of each `smtp_secure` mode (nodemailer's names). */
const SECURE_OPTIONS = {
  auto: { secure: false },
  starttls: { secure: false, requireTLS: true },
  tls: { secure: true },
  none: { secure: false, ignoreTLS: true },
} as const;

/** A mailer over nodemailer's SMTP transport (one pooled-less connection per mail: notifications are rare). */
export function createSmtpMailer(s: CheckedSmtp): Mailer {
  const transport = nodemailer.createTransport({
    host: s.host,
    port: s.port,
    ...SECURE_OPTIONS[s.secure],
    ...(s.user ? { auth: { user: s.user, pass: s.pass } } : {}),
    tls: { rejectUnauthorized: s.tlsVerify },
    ...TIMEOUTS_MS,
    // The mail is ours, built from text: never let a value make nodemailer read a file or fetch a URL.
    disableFileAccess: true,
    disableUrlAccess: true,
    logger: false,
    debug: false,
  });
  const secrets = s.pass ? [s.pass, encodeURIComponent(s.pass), Buffer.from(s.pass).toString('base64')] : [];
  return {
    async send(to, mail) {
      try {
        await transport.sendMail({ from: s.from, to, subject: mail.subject, text: mail.text, html: mail.html });
      } catch (e) {
        const err = e as { code?: unknown; message?: unknown; responseCode?: unknown };
        const code = typeof err.code === 'string' ? err.code : 'ESEND';
        const message = redactText(typeof err.message === 'string' ? err.message : String(e), secrets);
        // The cause is not kept: nodemailer's error objects can carry the transport options (with the password).
        throw new EngineError('service_unavailable', { message: `${code}: ${message}`, details: { smtpCode: code } });
      }
    },
    close() {
      transport.close();
    },
  };
}
