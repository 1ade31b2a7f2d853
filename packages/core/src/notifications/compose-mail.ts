import type { Notification } from '@installgate/contracts';
import { NOTIFICATION_MAILS } from './notification-events';

/** What a notification mail is about. Texts in it are already redacted (the notifier does that). */
export interface MailFacts {
  type: Notification;
  install: { id: string; title: string; url: string };
  /** The owner's account name (the greeting). */
  user: string;
  /** Unix seconds: when the event happened (the task ended). */
  time: number;
  /** For the `_error` types: what the task failed with. */
  error?: { errcode: string; message: string };
  /** Extra facts (e.g. the version an update brings), shown as `name: value` lines. */
  details?: Readonly<Record<string, string>>;
}

export interface ComposedMail {
  subject: string;
  text: string;
  html: string;
}

/** `2026-11-24 00:41:07 UTC`: one unambiguous form for every reader. */
function utc(time: number): string {
  return `${new Date(time * 1000).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** One line only: a title with a line break must not start a new header or a fake body line. */
function oneLine(s: string): string {
  return s.replace(/[\r\n\t]+/g, ' ').trim();
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** The mail of one event: English plain text plus the same facts as simple HTML. */
export function composeMail(f: MailFacts): ComposedMail {
  const words = NOTIFICATION_MAILS[f.type];
  const title = oneLine(f.install.title) || oneLine(f.install.url);
  const rows: [string, string][] = [
    ['Install', title],
    ['URL', oneLine(f.install.url)],
    ['Event', f.type],
    ['Time', utc(f.time)],
    ...(f.error ? ([['Error code', f.error.errcode], ['Error', oneLine(f.error.message)]] as [string, string][]) : []),
    ...Object.entries(f.details ?? {}).map(([k, v]) => [k, oneLine(v)] as [string, string]),
    ['Install id', f.install.id],
  ];
  const width = Math.max(...rows.map(([k]) => k.length)) + 2;
  const footer = `You receive this e-mail because the "${f.type}" notification is enabled for this install. `
    + 'Change the install\'s notification list to stop it.';
  const text = [
    `Hello ${oneLine(f.user)},`,
    '',
    words.headline,
    '',
    ...rows.map(([k, v]) => `${`${k}:`.padEnd(width)}${v}`),
    '',
    '-- ',
    footer,
    '',
  ].join('\n');
  const html = [
    '<!doctype html><html><body>',
    `<p>Hello ${escapeHtml(oneLine(f.user))},</p>`,
    `<p>${escapeHtml(words.headline)}</p>`,
    '<table>',
    ...rows.map(([k, v]) => `<tr><th align="left">${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`),
    '</table>',
    `<p><small>${escapeHtml(footer)}</small></p>`,
    '</body></html>',
  ].join('\n');
  return { subject: words.subject.replace('{title}', title), text, html };
}
