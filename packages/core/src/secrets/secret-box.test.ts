import { engineErrorOf as thrown } from '../testing/test-accounts';
import { createSecretBox, generateSecretKey, isSealed } from './secret-box';

const AAD = 'installs.db_pass:install1';

/** Flips one byte of the base64 payload of a sealed value. */
function flipByte(sealed: string, index: number): string {
  const head = sealed.slice(0, sealed.lastIndexOf(':') + 1);
  const raw = Buffer.from(sealed.slice(head.length), 'base64');
  raw[index] ^= 0x01;
  return head + raw.toString('base64');
}

describe('SecretBox', () => {
  const box = createSecretBox(generateSecretKey());

  it('round-trips any text, with a fresh IV per value, in the versioned igenc:v1 format', () => {
    for (const plain of ['dAtAbAsE-pAs5', 'sftp://a%40b:p%3Aa%2Fss%25word%40@host.example/home', 'päss wörd ✓ \u0000 end', 'x'.repeat(10_000)]) {
      const sealed = box.seal(plain, AAD);
      expect(sealed).toMatch(/^igenc:v1:[A-Za-z0-9+/]+=*$/);
      expect(sealed).not.toContain(plain.slice(0, 8));
      expect(isSealed(sealed)).toBe(true);
      expect(box.open(sealed, AAD)).toBe(plain);
    }
    expect(box.seal('same', AAD)).not.toBe(box.seal('same', AAD));
  });

  it('keeps an empty secret empty, and reads legacy plain values as they are', () => {
    expect(box.seal('', AAD)).toBe('');
    expect(box.open('', AAD)).toBe('');
    expect(box.open('written-before-encryption', AAD)).toBe('written-before-encryption');
    expect(isSealed('written-before-encryption')).toBe(false);
  });

  it('refuses a tampered value (IV, tag or ciphertext) with internal_error naming the place, never the value', () => {
    const sealed = box.seal('TopSecret-1', AAD);
    for (const index of [0, 12, 28]) {
      const e = thrown(() => box.open(flipByte(sealed, index), AAD));
      expect(e.errcode).toBe('internal_error');
      expect(e.message).toContain(AAD);
      expect(e.message).toMatch(/altered|another key/);
      expect(e.message).not.toContain('TopSecret');
      expect(e.message).not.toContain(sealed.slice(9, 30));
      expect(String((e.cause as Error).message)).toMatch(/authenticate/);
    }
    expect(thrown(() => box.open('igenc:v1:AAAA', AAD)).message).toMatch(/truncated/);
  });

  it('refuses a value sealed with another key', () => {
    const other = createSecretBox(generateSecretKey());
    expect(thrown(() => other.open(box.seal('TopSecret-1', AAD), AAD)).errcode).toBe('internal_error');
  });

  it('refuses a value moved to another row or column (aad binding)', () => {
    const sealed = box.seal('TopSecret-1', AAD);
    expect(thrown(() => box.open(sealed, 'installs.db_pass:install2')).message).toContain('installs.db_pass:install2');
    expect(thrown(() => box.open(sealed, 'backups.db_pass:install1')).errcode).toBe('internal_error');
  });

  it('refuses a format it does not know instead of guessing', () => {
    const v2 = box.seal('TopSecret-1', AAD).replace('igenc:v1:', 'igenc:v9:');
    expect(thrown(() => box.open(v2, AAD)).message).toMatch(/unknown format "v9"/);
  });

  it('accepts only a 32-byte key', () => {
    const e = thrown(() => createSecretBox(Buffer.alloc(16)));
    expect(e).toMatchObject({ errcode: 'invalid_argument_settings', errfield: 'secretKey' });
  });
});
