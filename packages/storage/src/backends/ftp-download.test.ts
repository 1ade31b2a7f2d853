import type { Writable } from 'node:stream';
import type { Client } from 'basic-ftp';
import { StorageError } from '../storage-error';
import { ftpDownloadStream } from './ftp-download';

/**
 * A stand-in for basic-ftp's downloadTo: writes `chunks` into the sink (as its pipeline would, failing on the sink's
 * error), then waits for `reply` (the server's 226) before resolving.
 */
function fakeClient(chunks: Buffer[], reply: Promise<void> = Promise.resolve()): Client {
  const downloadTo = (sink: Writable): Promise<void> =>
    new Promise((resolve, reject) => {
      sink.once('error', reject);
      const next = (i: number): void => {
        if (i === chunks.length) {
          void reply.then(() => resolve(), reject);
          return;
        }
        sink.write(chunks[i], (err) => (err ? reject(err) : next(i + 1)));
      };
      next(0);
    });
  return { downloadTo } as unknown as Client;
}

const map = (err: unknown) => new StorageError('PROTOCOL', String(err));

function open(client: Client) {
  const released: boolean[] = [];
  let releasedOnce!: () => void;
  const done = new Promise<void>((r) => (releasedOnce = r));
  const stream = ftpDownloadStream(client, '/f', (healthy) => (released.push(healthy), releasedOnce()), map);
  return { stream, released, done };
}

async function take(stream: NodeJS.ReadableStream, bytes: number): Promise<number> {
  let seen = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    seen += chunk.length;
    if (seen >= bytes) break; // as the packer does at the listed size: the iterator destroys the stream
  }
  return seen;
}

describe('ftpDownloadStream', () => {
  it('keeps the connection of a stream destroyed after its last byte, before the 226', async () => {
    let answer!: () => void;
    const reply = new Promise<void>((r) => (answer = r));
    const { stream, released, done } = open(fakeClient([Buffer.alloc(1000, 1)], reply));
    expect(await take(stream, 1000)).toBe(1000);
    expect(stream.destroyed).toBe(true);
    expect(released).toEqual([]);
    answer();
    await done;
    expect(released).toEqual([true]);
  });

  it('closes the connection of a stream destroyed with much left to send', async () => {
    const chunks = Array.from({ length: 40 }, () => Buffer.alloc(16 * 1024, 2));
    const { stream, released, done } = open(fakeClient(chunks));
    expect(await take(stream, 1)).toBeGreaterThan(0);
    await done;
    expect(released).toEqual([false]);
  });

  it('closes the connection of an early-closed stream whose 226 never comes', async () => {
    jest.useFakeTimers();
    try {
      const { stream, released, done } = open(fakeClient([Buffer.alloc(10, 3)], new Promise<void>(() => undefined)));
      const taking = take(stream, 10);
      await jest.advanceTimersByTimeAsync(0);
      expect(await taking).toBe(10);
      await jest.advanceTimersByTimeAsync(60_000);
      await done;
      expect(released).toEqual([false]);
    } finally {
      jest.useRealTimers();
    }
  });

  it.each([
    ['a negative reply keeps it', Object.assign(new Error('550 nope'), { code: 550 }), true],
    ['a broken connection closes it', new Error('socket hang up'), false],
  ])('reports a failed transfer once, as the mapped error; %s', async (_, failure, healthy) => {
    const client = { downloadTo: () => Promise.reject(failure) } as unknown as Client;
    const { stream, released, done } = open(client);
    await expect(take(stream, 1)).rejects.toMatchObject({ code: 'PROTOCOL' });
    await done;
    expect(released).toEqual([healthy]);
  });

  it('ends a fully read stream once the transfer is confirmed, releasing the connection healthy', async () => {
    const { stream, released } = open(fakeClient([Buffer.from('ab'), Buffer.from('cd')]));
    const chunks: Buffer[] = [];
    for await (const c of stream as AsyncIterable<Buffer>) chunks.push(c);
    expect(Buffer.concat(chunks).toString()).toBe('abcd');
    expect(released).toEqual([true]);
  });
});
