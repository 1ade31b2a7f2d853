import { StorageError } from '../storage-error';
import type { StorageBackend } from '../storage-backend';

/** Resolves with the StorageError `p` rejects with; fails the test when it resolves or rejects with anything else. */
export function expectStorageError(p: Promise<unknown>): Promise<StorageError> {
  return p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => {
      expect(e).toBeInstanceOf(StorageError);
      return e as StorageError;
    },
  );
}

/**
 * The open-time failures every network backend shares (inside a `describe`): credentials the server refuses give
 * AUTH, not retryable, with the secret masked; a closed port gives CONNECT, retryable.
 */
export function itRefusesBadOpens(opts: {
  /** What is wrong in the credentials, for the test name ("password", "secret key"). */
  what: string;
  /** The wrong secret used by `openWrong` (must not appear in the message). */
  secret: string;
  openWrong: () => Promise<StorageBackend>;
  openClosedPort: () => Promise<StorageBackend>;
}): void {
  it(`wrong ${opts.what} → AUTH (not retryable), and the message does not contain it`, async () => {
    const err = await expectStorageError(opts.openWrong());
    expect(err.code).toBe('AUTH');
    expect(err.retryable).toBe(false);
    expect(err.message).not.toContain(opts.secret);
  });

  it('closed port → CONNECT (retryable)', async () => {
    const err = await expectStorageError(opts.openClosedPort());
    expect(err.code).toBe('CONNECT');
    expect(err.retryable).toBe(true);
  });
}
