import { formatLocationUri } from '../format-location-uri';
import { openSiteFs, parseSiteHome } from '../site-fs/open-site-fs';
import { expectSiteError, type SiteFsSuiteContext } from './site-fs-conformance';
import { closedPort } from './servers/free-port';

/** A wrong password with every character that URL-encoding and URI splitting care about. */
const WRONG_PASSWORD = 'wr@ng:pa%ss/wo#rd?';

/** The target's home URI with other settings (and its password written out). */
function homeWith(home: string, change: { password?: string; port?: number }): string {
  const { config } = parseSiteHome(home);
  const changed = config.scheme === 'sftp' && change.password !== undefined ? { ...config, ...change, keyAuth: false } : { ...config, ...change };
  return formatLocationUri(changed, { withSecrets: true });
}

/** Failures and their codes, with no secret in any message (part of runSiteFsConformance). */
export function siteFsFailureTests(ctx: SiteFsSuiteContext): void {
  const { timeout } = ctx;

  it('a missing folder or file is NOT_FOUND, and the message names the website', async () => {
    const s = ctx.site();
    const listed = await expectSiteError(ctx, s.list(ctx.at('no-such-folder')), 'NOT_FOUND');
    expect(listed.message).toContain(s.label);
    await expectSiteError(ctx, s.read(ctx.at('no-such-file.txt')), 'NOT_FOUND');
    await expectSiteError(ctx, s.read(ctx.at('no-such-folder/x.txt')), 'NOT_FOUND');
  }, timeout);

  it('a folder the account may not write refuses writes, new folders and removals with PERMISSION', async () => {
    const { setWritable } = ctx.target();
    if (!setWritable) return; // the server runs as root: nothing is refused
    const s = ctx.site();
    await s.mkdir(ctx.at('ro/inner'), { recursive: true });
    await s.write(ctx.at('ro/kept.txt'), 'kept');
    await setWritable(ctx.at('ro'), false);
    try {
      await expectSiteError(ctx, s.write(ctx.at('ro/new.txt'), 'x'), 'PERMISSION');
      await expectSiteError(ctx, s.mkdir(ctx.at('ro/sub')), 'PERMISSION');
      await expectSiteError(ctx, s.mkdir(ctx.at('ro/sub/deeper'), { recursive: true }), 'PERMISSION');
      await expectSiteError(ctx, s.unlink(ctx.at('ro/kept.txt')), 'PERMISSION');
      await expectSiteError(ctx, s.rmdir(ctx.at('ro/inner')), 'PERMISSION');
      await expectSiteError(ctx, s.rename(ctx.at('ro/kept.txt'), ctx.at('moved.txt')), 'PERMISSION');
      expect((await s.list(ctx.at('ro'))).map((e) => e.name).sort()).toEqual(['inner', 'kept.txt']);
    } finally {
      await setWritable(ctx.at('ro'), true);
    }
  }, timeout);

  it('the label has no password', () => {
    const label = ctx.site().label;
    for (const secret of ctx.secrets()) expect(label).not.toContain(secret);
  });

  it(`wrong password → AUTH, not retryable; neither password shows, raw or URL-encoded`, async () => {
    const { home, opts } = ctx.target();
    if (!home.includes('://')) {
      // A folder of this machine has no login: a home that is neither a folder nor a known URI is refused instead.
      await expectSiteError(ctx, openSiteFs('relative/folder'), 'PROTOCOL');
      return;
    }
    const wrong = homeWith(home, { password: WRONG_PASSWORD });
    const err = await expectSiteError(ctx, openSiteFs(wrong, opts), 'AUTH');
    expect(err.retryable).toBe(false);
    expect(err.message).toContain(parseSiteHome(wrong).label);
    expect(err.message).not.toContain(WRONG_PASSWORD);
    expect(err.message).not.toContain(encodeURIComponent(WRONG_PASSWORD));
  }, timeout);

  it('closed port → CONNECT, retryable', async () => {
    const { home, opts } = ctx.target();
    if (!home.includes('://')) {
      await expectSiteError(ctx, openSiteFs('webdav://u:pw@127.0.0.1/x'), 'PROTOCOL');
      return;
    }
    const closed = homeWith(home, { port: await closedPort() });
    const err = await expectSiteError(ctx, openSiteFs(closed, opts), 'CONNECT');
    expect(err.retryable).toBe(true);
    expect(err.message).toContain(parseSiteHome(closed).label);
  }, timeout);
}
