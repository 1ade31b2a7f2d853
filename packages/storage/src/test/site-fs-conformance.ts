import { randomBytes } from 'node:crypto';
import { openSiteFs, parseSiteHome, type OpenSiteFsOptions } from '../site-fs/open-site-fs';
import { removeSiteTree } from '../site-fs/remove-site-tree';
import type { SiteFs } from '../site-fs/site-fs';
import { StorageError, type StorageErrorCode } from '../storage-error';
import { siteFsBasicTests } from './site-fs-conformance-basic';
import { siteFsFailureTests } from './site-fs-conformance-failures';
import { siteFsTreeTests } from './site-fs-conformance-trees';

/**
 * What a test file hands to {@link runSiteFsConformance}: a website home and how to stop it. Any server that can
 * be reached with a URI is a target with one call (the testkit's sshd and vsftpd included): the suite derives the
 * failure cases (wrong password, closed port) from the URI itself.
 */
export interface SiteFsTarget {
  /** As openSiteFs takes it: an absolute folder of this machine, or a URI with its (URL-encoded) credentials. */
  home: string;
  opts?: OpenSiteFsOptions;
  /**
   * For servers that run as the website's own (unprivileged) account, as a hosting company's do: makes a folder
   * (relative to the home, as the suite names it) read-only for that account, or writable again, so that the
   * suite can check real permission refusals. Absent where nothing is refused (a server running as root).
   */
  setWritable?(rel: string, writable: boolean): Promise<void> | void;
  /** Stops what the target started (server, temp folder). Runs after the suite closed its SiteFs. */
  cleanup(): Promise<void>;
}

/** Tuning for slow transports. */
export interface SiteFsConformanceOptions {
  /** Size of the large streamed file. Default 8 MiB. */
  largeSize?: number;
  /** Per-test timeout, ms. Default 30 000. */
  timeoutMs?: number;
}

/** What the parts of the suite share; valid inside tests (after beforeAll). */
export interface SiteFsSuiteContext {
  site(): SiteFs;
  target(): SiteFsTarget;
  /** A fresh folder below the home for this run ('conf-…'); tests work below it. */
  base(): string;
  /** `base()/rel`. */
  at(rel: string): string;
  /** Texts no error message may contain: the home's password (raw and URL-encoded), private key material. */
  secrets(): string[];
  largeSize: number;
  timeout: number;
}

/** Resolves with the StorageError `p` rejects with, checking its code and that it leaks no secret. */
export async function expectSiteError(ctx: SiteFsSuiteContext, p: Promise<unknown>, code: StorageErrorCode): Promise<StorageError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(StorageError);
  const e = err as StorageError;
  expect({ code: e.code, message: e.message }).toEqual({ code, message: expect.any(String) });
  for (const secret of ctx.secrets()) {
    expect(e.message).not.toContain(secret);
    expect(String(e.stack)).not.toContain(secret);
  }
  return e;
}

/** The password of a URI home, for leak checks (both spellings), plus any private key's text marker. */
function secretsOf(target: SiteFsTarget): string[] {
  const out = ['PRIVATE KEY'];
  if (!target.home.includes('://')) return out;
  const { config } = parseSiteHome(target.home);
  const password = config.password;
  if (password) out.push(password, encodeURIComponent(password));
  return out;
}

/**
 * The one suite every SiteFs passes (LocalSiteFs, SftpSiteFs, FtpSiteFs, and any later server): path refusals,
 * byte-exact round trips, types and modes, rename/remove semantics, symlinks never followed, the tree helpers,
 * and failures mapped to the right code without a password in the message. It works in a fresh folder below the
 * home and removes it at the end, so a shared server home is fine.
 */
export function runSiteFsConformance(name: string, openTarget: () => Promise<SiteFsTarget>, options: SiteFsConformanceOptions = {}): void {
  let target: SiteFsTarget | undefined;
  let site: SiteFs | undefined;
  let base = '';
  const ctx: SiteFsSuiteContext = {
    site: () => site as SiteFs,
    target: () => target as SiteFsTarget,
    base: () => base,
    at: (rel) => `${base}/${rel}`,
    secrets: () => (target ? secretsOf(target) : []),
    largeSize: options.largeSize ?? 8 * 1024 * 1024,
    timeout: options.timeoutMs ?? 30_000,
  };

  describe(`${name}: SiteFs conformance`, () => {
    beforeAll(async () => {
      target = await openTarget();
      site = await openSiteFs(target.home, target.opts);
      base = `conf-${randomBytes(4).toString('hex')}`;
      await site.mkdir(base);
    }, ctx.timeout);

    afterAll(async () => {
      if (site) {
        const cleaner = await openSiteFs((target as SiteFsTarget).home, target?.opts).catch(() => null);
        if (cleaner) await removeSiteTree(cleaner, base).finally(() => cleaner.close());
      }
      await site?.close().catch(() => undefined);
      await target?.cleanup();
    }, ctx.timeout);

    siteFsBasicTests(ctx);
    siteFsTreeTests(ctx);
    siteFsFailureTests(ctx);

    it('closes idempotently; a closed SiteFs refuses work with PROTOCOL', async () => {
      const s = await openSiteFs(ctx.target().home, ctx.target().opts);
      await s.close();
      await s.close();
      await expectSiteError(ctx, s.stat(ctx.at('x')), 'PROTOCOL');
      await expectSiteError(ctx, s.write(ctx.at('x'), 'x'), 'PROTOCOL');
    }, ctx.timeout);
  });
}
