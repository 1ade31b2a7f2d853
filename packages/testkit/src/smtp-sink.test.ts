import { createConnection } from 'node:net';
import { startSmtpSink } from './smtp-sink';

/** Speaks SMTP by hand: sends each line after the previous reply and returns every reply line. */
async function converse(port: number, lines: string[]): Promise<string[]> {
  const socket = createConnection({ host: '127.0.0.1', port });
  const replies: string[] = [];
  let buffer = '';
  let waiting: (() => void) | null = null;
  socket.on('data', (c: Buffer) => {
    buffer += c.toString();
    // A reply is complete at its last line: `NNN text` (a space after the code; `NNN-` lines continue it).
    const last = buffer.split(/\r?\n/).filter((l) => l !== '').pop() ?? '';
    if (buffer.endsWith('\n') && /^\d{3} /.test(last)) {
      replies.push(...buffer.trim().split(/\r?\n/));
      buffer = '';
      waiting?.();
    }
  });
  const nextReply = () => new Promise<void>((resolve) => { waiting = resolve; });
  await nextReply();
  for (const line of lines) {
    const r = nextReply();
    socket.write(`${line}\r\n`);
    await r;
  }
  socket.end();
  return replies;
}

describe('smtp sink', () => {
  it('keeps a message with its envelope and hands out the n-th one in order', async () => {
    const sink = await startSmtpSink();
    try {
      const second = sink.nth(2);
      for (const n of [1, 2]) {
        await converse(sink.port, ['EHLO test', 'MAIL FROM:<a@example.test>', `RCPT TO:<b${n}@example.test>`, 'DATA', `Subject: m${n}\r\n\r\nbody ${n}\r\n.`, 'QUIT']);
      }
      expect((await second).to).toEqual(['b2@example.test']);
      expect(sink.received.map((m) => [m.from, m.to, m.user, m.secure])).toEqual([['a@example.test', ['b1@example.test'], '', false], ['a@example.test', ['b2@example.test'], '', false]]);
      expect(sink.received[0]!.raw).toContain('body 1');
    } finally {
      await sink.stop();
    }
  });

  it('with auth: refuses a wrong password and mail before the login', async () => {
    const sink = await startSmtpSink({ auth: { user: 'u', pass: 'p' } });
    try {
      const wrong = Buffer.from('\0u\0nope').toString('base64');
      const replies = await converse(sink.port, ['EHLO test', `AUTH PLAIN ${wrong}`, 'MAIL FROM:<a@example.test>', 'QUIT']);
      expect(replies.some((l) => /^535 /.test(l))).toBe(true);
      expect(replies.some((l) => /^530 /.test(l))).toBe(true);
      expect(sink.received).toEqual([]);
    } finally {
      await sink.stop();
    }
  });
});
