import type { ReceivedMail } from '@installgate/testkit';

/** Subject and plain-text body of a received mail (headers unfolded, quoted-printable decoded). */
export function readMail(m: ReceivedMail): { subject: string; text: string } {
  const [head = '', ...rest] = m.raw.split(/\r?\n\r?\n/);
  const subject = /^Subject: (.*)$/m.exec(head.replace(/\r?\n[ \t]+/g, ' '))?.[1]?.trim() ?? '';
  const body = rest.join('\n\n');
  // The text/plain part: from its headers to the next MIME boundary.
  const part = /Content-Type: text\/plain[^\n]*\n(?:[^\n]+\n)*?\r?\n([\s\S]*?)\r?\n--/i.exec(body)?.[1] ?? body;
  const text = part.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))).replace(/\r\n/g, '\n');
  return { subject, text };
}
