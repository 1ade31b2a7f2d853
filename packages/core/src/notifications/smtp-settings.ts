import { hostname } from 'node:os';
import { EngineError, NOTIFICATIONS, type Notification } from '@installgate/contracts';

/**
 * How the connection to the mail server is protected: `auto` upgrades with STARTTLS when the server offers it,
 * `starttls` refuses to send without it, `tls` speaks TLS from the first byte (port 465), `none` never uses TLS.
 */
export const SMTP_SECURE = ['auto', 'starttls', 'tls', 'none'] as const;
export type SmtpSecure = (typeof SMTP_SECURE)[number];

/** The port used when settings.ini names none: the registered one of each mode. */
const DEFAULT_PORT = { auto: 25, starttls: 587, tls: 465, none: 25 } as const satisfies Record<SmtpSecure, number>;

/** Outgoing mail for notifications (settings.ini `smtp_*`). No host: notifications are off. */
export interface SmtpSettings {
  host: string;
  port?: number;
  secure?: SmtpSecure;
  /** Whether the server's TLS certificate must verify (`no` only for a relay with a self-signed certificate). */
  tlsVerify?: boolean;
  /** Login; none (empty) sends without AUTH. */
  user?: string;
  pass?: string;
  /** The From address; default `installgate@<this host's name>`. */
  from?: string;
}

/** Checked and completed SMTP settings: what the mailer is built from. */
export type CheckedSmtp = Required<SmtpSettings>;

const bad = (field: string, message: string) => new EngineError('invalid_argument_settings', { errfield: field, message });

/** Checks the SMTP settings once at start; null when mail is off (no host). Messages never repeat the password. */
export function checkSmtpSettings(s: SmtpSettings | undefined): CheckedSmtp | null {
  if (!s || !s.host?.trim()) return null;
  const secure = s.secure ?? 'auto';
  if (!SMTP_SECURE.includes(secure)) throw bad('smtp_secure', `settings: smtp_secure must be one of ${SMTP_SECURE.join(', ')}.`);
  const port = s.port ?? DEFAULT_PORT[secure];
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw bad('smtp_port', 'settings: smtp_port must be a port number (1-65535).');
  if (/[\s/]/.test(s.host.trim())) throw bad('smtp_host', 'settings: smtp_host must be a host name or address.');
  const user = s.user ?? '';
  const pass = s.pass ?? '';
  if (pass !== '' && user === '') throw bad('smtp_user', 'settings: smtp_pass is set but smtp_user is empty.');
  const from = s.from?.trim() || `installgate@${hostname()}`;
  if (!/^[^\s@<>]+@[^\s@<>]+$|<[^\s@<>]+@[^\s@<>]+>$/.test(from)) throw bad('smtp_from', 'settings: smtp_from must be an e-mail address (optionally "Name <address>").');
  return { host: s.host.trim(), port, secure, tlsVerify: s.tlsVerify ?? true, user, pass, from };
}

/** Checks the admin's list of notification types turned off for everyone ("administration » Emails", spec §8.3). */
export function checkDisabledNotifications(list: readonly string[] | undefined): Notification[] {
  const out: Notification[] = [];
  for (const t of list ?? []) {
    if (!(NOTIFICATIONS as readonly string[]).includes(t)) throw bad('notification_disabled', `settings: notification_disabled names an unknown type ${JSON.stringify(t)}; types are ${NOTIFICATIONS.join(', ')}.`);
    out.push(t as Notification);
  }
  return out;
}
