import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, requirePhpBinary, startPhpServer, type PhpServer } from '@installgate/testkit';
import { EngineError } from '@installgate/contracts';
import { LocalSiteFs, StorageError } from '@installgate/storage';
import type { Logger } from '../engine-context';
import { renderRemoteHelper, REMOTE_HELPER_RE, type RemoteHelper } from './render-remote-helper';
import { runRemotePhp, type RunRemotePhpOptions } from './run-remote-php';

/**
 * The remote runner against a real `php -S` serving a website home's `public` folder, reached only through
 * LocalSiteFs and HTTP. The "application" is a stand-in wp-load.php that the real inspect.php helper loads (with
 * the real bootstrap inlined): it answers through the bootstrap's own ig_done/ig_fail, sleeps, or dies, as its
 * input asks, and notes the secret header it saw outside the docroot so that the tests can look for leaks.
 */
jest.setTimeout(60_000);

const DB_PASS = 'db-P4ss-w0rd!';
const STAND_IN = `<?php
file_put_contents(dirname(__DIR__) . '/seen-secret', $_SERVER['HTTP_X_INSTALLGATE_SECRET'] ?? '');
file_put_contents(dirname(__DIR__) . '/ran', 'yes');
echo "<p>a theme printing things</p>\\n";
switch ($IG['mode']) {
    case 'done': ig_done(['dir' => $IG['dir'], 'cwd' => getcwd(), 'payload' => $IG['payload'], 'host' => array_change_key_case(getallheaders())['host'] ?? '', 'file_gone' => !file_exists($_SERVER['SCRIPT_FILENAME'])]);
    case 'refuse': ig_fail('email', 'No mail for ' . $IG['db_pass']);
    case 'sleep': sleep(8); ig_done();
    case 'fatal': throw new RuntimeException('boom secret=' . $_SERVER['HTTP_X_INSTALLGATE_SECRET'] . ' pass=' . $IG['db_pass']);
}
`;

let tmp: string;
let home: string;
let php: PhpServer;
let site: LocalSiteFs;
let warnings: { msg: string; meta?: Record<string, unknown> }[];
const logger: Logger = { info() {}, warn: (msg, meta) => warnings.push({ msg, meta }), error() {} };

const helpersIn = (dir: string) => readdirSync(join(home, dir)).filter((n) => n.startsWith('installgate-'));
const seenSecret = () => readFileSync(join(home, 'seen-secret'), 'utf8');

function run<T>(o: Partial<RunRemotePhpOptions> & { input: Record<string, unknown> }): Promise<T> {
  return runRemotePhp<T>({ site, dir: 'public', siteUrl: php.url, helper: 'wordpress/inspect.php', timeoutMs: 20_000, secrets: [DB_PASS], logger, ...o });
}

async function failure(p: Promise<unknown>): Promise<EngineError> {
  const e = await p.then(() => null, (x: unknown) => x);
  expect(e).toBeInstanceOf(EngineError);
  return e as EngineError;
}

beforeAll(async () => {
  requirePhpBinary();
  tmp = mkdtempSync(join(tmpdir(), 'ig-remote-php-'));
  home = join(tmp, 'home');
  for (const d of ['public', 'elsewhere']) mkdirSync(join(home, d), { recursive: true });
  for (const d of ['public', 'elsewhere']) writeFileSync(join(home, d, 'wp-load.php'), STAND_IN);
  site = new LocalSiteFs(home);
  php = await startPhpServer({ docroot: join(home, 'public') });
});
beforeEach(() => {
  warnings = [];
  rmSync(join(home, 'ran'), { force: true });
});
afterEach(() => {
  // Every run, whatever its outcome, leaves no helper behind.
  expect(helpersIn('public')).toEqual([]);
  expect(helpersIn('elsewhere')).toEqual([]);
});
afterAll(async () => {
  await php?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

test('runs the helper in the served folder with the input from the POST body, and answers its result', async () => {
  const r = await run<{ dir: string; cwd: string; payload: unknown; file_gone: boolean }>({ input: { mode: 'done', payload: { text: 'ünï "q" ✓', n: 3 } } });
  expect(r).toMatchObject({ payload: { text: 'ünï "q" ✓', n: 3 }, file_gone: true });
  // The site's own folder, which the engine does not know as a path: the helper's folder.
  expect(r.dir).toBe(join(home, 'public'));
  expect(r.cwd).toBe(join(home, 'public'));
  expect(warnings).toEqual([]);
});

test('url_ip: a site URL whose host name does not resolve is reached at the given address, Host header kept', async () => {
  const siteUrl = `http://remote-site.invalid:${php.port}`;
  const r = await run<{ host: string }>({ siteUrl, urlIp: '127.0.0.1', input: { mode: 'done', payload: 1 } });
  expect(r.host).toBe(`remote-site.invalid:${php.port}`);
  const e = await failure(run({ siteUrl, input: { mode: 'done', payload: 1 } }));
  expect(e).toMatchObject({ errcode: 'invalid_argument_url', errfield: 'url' });
  expect(e.message).toMatch(/does not resolve|could not be resolved/);
});

test('a refusal of the helper (ig_fail) is invalid_argument_<field> with secrets masked, as on the CLI path', async () => {
  const e = await failure(run({ input: { mode: 'refuse', db_pass: DB_PASS } }));
  expect(e).toMatchObject({ errcode: 'invalid_argument_email', errfield: 'email' });
  expect(e.message).toBe('No mail for *****');
});

test('a PHP fatal error is internal_error with PHP\'s text; the secret header and the db password are masked', async () => {
  const e = await failure(run({ input: { mode: 'fatal', db_pass: DB_PASS }, what: 'The stand-in' }));
  expect(e.errcode).toBe('internal_error');
  expect(e.message).toMatch(/^The stand-in failed \(HTTP \d{3}\): .*PHP fatal error: Uncaught RuntimeException: boom secret=\*\*\*\*\* pass=\*\*\*\*\*/);
  expect(seenSecret()).toMatch(/^[0-9a-f]{64}$/);
  expect(e.message).not.toContain(seenSecret());
  expect(e.message).not.toContain(DB_PASS);
});

test('a URL that serves another folder → invalid_argument_url "does not serve that folder" (HTTP 404), nothing ran', async () => {
  const e = await failure(run({ dir: 'elsewhere', input: { mode: 'done', payload: 1 } }));
  expect(e).toMatchObject({ errcode: 'invalid_argument_url', errfield: 'url' });
  expect(e.message).toMatch(/does not serve that folder \(HTTP 404/);
  expect(e.message).toContain('elsewhere');
  expect(existsSync(join(home, 'ran'))).toBe(false);
});

test('a folder the website does not have → failed_filesystem_directory, before any request', async () => {
  const e = await failure(run({ dir: 'missing', input: { mode: 'done', payload: 1 } }));
  expect(e).toMatchObject({ errcode: 'failed_filesystem_directory', details: { storage: 'NOT_FOUND' } });
  expect(existsSync(join(home, 'ran'))).toBe(false);
});

test('nothing listening, or a server that closes the connection → invalid_argument_url naming the reason', async () => {
  const refused = await failure(run({ siteUrl: `http://127.0.0.1:${await freePort()}`, input: { mode: 'done', payload: 1 } }));
  expect(refused).toMatchObject({ errcode: 'invalid_argument_url', errfield: 'url' });
  expect(refused.message).toContain('refused the connection (ECONNREFUSED)');
  expect(refused.message).toContain('must serve the folder public');

  const closer: Server = createServer((s) => s.once('data', () => s.destroy()));
  await new Promise<void>((r) => closer.listen(0, '127.0.0.1', r));
  try {
    const port = (closer.address() as { port: number }).port;
    const closed = await failure(run({ siteUrl: `http://127.0.0.1:${port}`, input: { mode: 'done', payload: 1 } }));
    expect(closed).toMatchObject({ errcode: 'invalid_argument_url', errfield: 'url' });
    expect(closed.message).toContain('closed the connection without answering');
  } finally {
    await new Promise((r) => closer.close(r));
  }
});

test('a helper that does not finish in time → internal_error with details.timeoutMs; an abort is the caller\'s reason', async () => {
  const slow = await failure(run({ input: { mode: 'sleep' }, timeoutMs: 1_500 }));
  expect(slow).toMatchObject({ errcode: 'internal_error', details: { timeoutMs: 1_500 } });
  expect(slow.message).toMatch(/did not finish within 1500 ms/);

  const ac = new AbortController();
  const reason = new Error('task stopped');
  setTimeout(() => ac.abort(reason), 500);
  await expect(run({ input: { mode: 'sleep' }, signal: ac.signal })).rejects.toBe(reason);
});

test('a helper the site could not remove is logged with its path, never the secret; it holds only the secret\'s hash', async () => {
  class StickySite extends LocalSiteFs {
    override async unlink(p: string): Promise<void> {
      throw new StorageError('PERMISSION', `${this.label}: remove ${p}: permission denied`);
    }
  }
  site = new StickySite(home);
  try {
    const e = await failure(run({ dir: 'elsewhere', input: { mode: 'done', payload: 1 } }));
    expect(e.errcode).toBe('invalid_argument_url');
  } finally {
    site = new LocalSiteFs(home);
  }
  expect(warnings).toHaveLength(1);
  const path = String(warnings[0]!.meta!.path);
  expect(path).toMatch(/^elsewhere\/installgate-[0-9a-f]{24}\.php$/);
  const left = join(home, path);
  // World-readable on purpose (the web server may be another user): nothing in it is secret.
  expect(statSync(left).mode & 0o777).toBe(0o644);
  expect(readFileSync(left, 'utf8')).toMatch(/hash_equals\('[0-9a-f]{64}'/);
  expect(JSON.stringify(warnings)).not.toMatch(/[0-9a-f]{64}/);
  rmSync(left);
});

describe('the rendered helper itself, placed by hand', () => {
  let helper: RemoteHelper;
  const url = () => `${php.url}/${helper.name}`;
  const post = async (headers: Record<string, string>, method = 'POST') => {
    const r = await fetch(url(), { method, headers, ...(method === 'POST' ? { body: JSON.stringify({ mode: 'done', payload: 1 }) } : {}) });
    return { status: r.status, body: await r.text() };
  };

  beforeEach(async () => {
    helper = await renderRemoteHelper('wordpress/inspect.php', { maxAgeSeconds: 600, timeLimitSeconds: 30 });
    writeFileSync(join(home, 'public', helper.name), helper.text, { mode: 0o644 });
  });

  test('answers 403 to a GET, no secret or a wrong one, runs nothing and stays; the right secret runs it once', async () => {
    expect(helper.name).toMatch(REMOTE_HELPER_RE);
    expect(helper.text).not.toContain(helper.secret);
    expect(await post({ 'x-installgate-secret': helper.secret }, 'GET')).toEqual({ status: 403, body: 'forbidden\n' });
    expect((await post({})).status).toBe(403);
    expect((await post({ 'x-installgate-secret': helper.secret.replace(/.$/, (c) => (c === '0' ? '1' : '0')) })).status).toBe(403);
    expect(existsSync(join(home, 'ran'))).toBe(false);
    expect(existsSync(join(home, 'public', helper.name))).toBe(true);

    const ok = await post({ 'x-installgate-secret': helper.secret });
    expect(ok.status).toBe(200);
    expect(ok.body).toContain('@@INSTALLGATE-RESULT@@ {"ok":true');
    expect(existsSync(join(home, 'public', helper.name))).toBe(false);
    expect((await post({ 'x-installgate-secret': helper.secret })).status).toBe(404);
  });

  test('a copy older than its lifetime refuses even the right secret and deletes itself', async () => {
    const old = new Date(Date.now() - 3600 * 1000);
    utimesSync(join(home, 'public', helper.name), old, old);
    expect(await post({ 'x-installgate-secret': helper.secret })).toEqual({ status: 403, body: 'expired\n' });
    expect(existsSync(join(home, 'public', helper.name))).toBe(false);
    expect(existsSync(join(home, 'ran'))).toBe(false);
  });
});
