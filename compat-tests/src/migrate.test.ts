import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { freePort, startPhpServer, type PhpServer } from '@installgate/testkit';
import { closedPort, startFtpServer, startSftpServer, type FtpTestServer, type SftpTestServer } from '@installgate/storage/dist/test-servers';
import { startAppHarness, type AppHarness } from './app-harness';
import { fetchPage, tablesOf, waitForTask } from './install-helpers';

/**
 * Migrate (spec §2.1 `POST /browser/{id}/migrate`, v1 `import` with `source_url`) from a real "remote" WordPress:
 * installed into another account's folder and database, served by its own `php -S` under another host name, its
 * account exposed over loopback SFTP and FTP. A migration copies files and tables into the destination account and
 * answers a working site at the new URL; the one-time helper never stays in the remote folder, also when the
 * migration fails; bad sources answer the spec's errcodes in both protocols and leave nothing behind.
 */
jest.setTimeout(300_000);

let h: AppHarness;
let php2: PhpServer;
let sftp: SftpTestServer;
let ftp: FtpTestServer;
let remoteHome: string;
let remote: { id: string; path: string; url: string; db_name: string; db_prefix: string };
const PASSWORD = 'Remo-Pa55-word!';

/** Runs PHP with WordPress loaded at `dir`; returns the last line it echoes. */
function wp(dir: string, code: string): string {
  return execFileSync('php', ['-r', `define('WP_USE_THEMES', false); require 'wp-load.php'; ${code}`], { cwd: dir, encoding: 'utf8' }).trim().split('\n').pop()!;
}

const sftpUri = (p = '/public_html/oldblog', pass = sftp.password) => `sftp://${sftp.username}:${encodeURIComponent(pass)}@${sftp.host}:${sftp.port}${p}`;
const ftpUri = (p = '/public_html/oldblog', pass = ftp.password) => `ftp://${ftp.username}:${encodeURIComponent(pass)}@${ftp.host}:${ftp.port}${p}`;
/** Helper scripts left in the remote site's folder. */
const helpersLeft = () => fs.readdirSync(remote.path).filter((n) => n.startsWith('installgate-migrate-'));
const databases = async () => (await h.sql('SHOW DATABASES')).sort();

beforeAll(async () => {
  h = await startAppHarness('mona');
  // The "remote" host: another account, another host name and port, its own database.
  const port = await freePort();
  const site2 = `http://localhost:${port}`;
  remoteHome = path.join(h.settings.homes_root, 'remo');
  const docroot2 = path.join(remoteHome, 'public_html');
  fs.mkdirSync(docroot2, { recursive: true });
  await h.engine.users.create({ actor: { kind: 'admin' } }, { id: 'remo', email: 'remo@example.test', websites: [{ path: remoteHome, vhosts: { [site2]: 'public_html' } }] });
  php2 = await startPhpServer({ docroot: docroot2, port });
  const r = await h.v2('post', '/browser/wordpress/install').send({ url: `${site2}/oldblog`, user: 'remo', sitetitle: 'Remote Title', login: 'remo_admin', passwd: PASSWORD });
  expect(r.body.result).toBe(true);
  remote = r.body.data;
  wp(remote.path, `update_option('ig_ser', ['link' => home_url('/page/'), 'inner' => serialize(['u' => home_url()])]); wp_insert_post(['post_title' => 'Remote Post Title', 'post_content' => 'See <a href="' . home_url('/about/') . '">about</a>', 'post_status' => 'publish']); echo 1;`);
  // Hosts often pin the site's URL in wp-config.php; a migrated copy must not keep sending visitors back.
  const cfg = path.join(remote.path, 'wp-config.php');
  fs.writeFileSync(cfg, fs.readFileSync(cfg, 'utf8').replace("require_once ABSPATH", `define( 'WP_HOME', '${remote.url}' );\ndefine( 'WP_SITEURL', '${remote.url}' );\nrequire_once ABSPATH`));
  expect((await fetchPage(`${remote.url}/`)).body).toContain('Remote Post Title');
  [sftp, ftp] = await Promise.all([startSftpServer({ root: remoteHome }), startFtpServer({ root: remoteHome })]);
}, 300_000);
afterAll(async () => {
  await sftp?.stop();
  await ftp?.stop();
  await php2?.stop();
  await h?.stopAll();
}, 60_000);

/** The migrated site works at `url`: title, post, serialized options, URLs rewritten, admin login. */
async function expectWorkingCopy(copy: { path: string; url: string; db_name: string; db_prefix: string; tables: string[]; files: string[] }, url: string): Promise<void> {
  expect(copy.db_name).not.toBe(remote.db_name);
  expect(copy.db_prefix).toBe(remote.db_prefix);
  expect([...copy.tables].sort()).toEqual([...(await tablesOf(h, copy.db_name))].sort());
  expect(copy.tables.length).toBeGreaterThanOrEqual(12);
  expect(copy.files).toEqual(expect.arrayContaining(['wp-admin', 'wp-config.php', 'wp-content', 'wp-includes']));
  expect(copy.files.some((f) => f.startsWith('installgate-migrate-') || f.startsWith('.ig-'))).toBe(false);
  const page = await fetchPage(`${url}/`);
  expect(page.status).toBe(200);
  expect(page.body).toContain('Remote Title');
  expect(page.body).toContain('Remote Post Title');
  expect(page.body).not.toContain(remote.url);
  expect(wp(copy.path, "echo get_option('home');")).toBe(url);
  expect(wp(copy.path, 'echo WP_HOME . " " . home_url() . " " . site_url();')).toBe(`${url} ${url} ${url}`);
  const bad = JSON.parse(wp(copy.path, `global $wpdb; $bad = []; $n = 0; foreach ($wpdb->get_results("SELECT option_name, option_value FROM {$wpdb->options}") as $o) { if (!is_serialized($o->option_value)) continue; $n++; if ($o->option_value !== 'b:0;' && @unserialize($o->option_value) === false) $bad[] = $o->option_name; } echo json_encode(['n' => $n, 'bad' => $bad]);`));
  expect(bad).toEqual({ n: expect.any(Number), bad: [] });
  expect(bad.n).toBeGreaterThan(5);
  expect(JSON.parse(wp(copy.path, "echo wp_json_encode(unserialize(get_option('ig_ser')['inner']));"))).toEqual({ u: url });
  expect(wp(copy.path, `echo is_wp_error(wp_authenticate('remo_admin', '${PASSWORD}')) ? 'refused' : 'ok';`)).toBe('ok');
  // The copy has its own database settings; the remote is untouched and still served.
  expect(fs.readFileSync(path.join(copy.path, 'wp-config.php'), 'utf8')).toContain(copy.db_name);
  expect(wp(remote.path, "echo get_option('home');")).toBe(remote.url);
  expect(helpersLeft()).toEqual([]);
}

test('migrate (v2) over SFTP: a working copy at the new URL, the helper gone from the remote folder', async () => {
  const url = `${h.site}/moved`;
  const r = await h.v2('post', '/browser/wordpress/migrate').send({ url, user: 'mona', source_url: remote.url, source_path: sftpUri() });
  expect({ status: r.status, result: r.body.result, errcode: r.body.errcode, message: r.body.result ? '' : r.body.message }).toEqual({ status: 200, result: true, errcode: null, message: '' });
  const copy = r.body.data;
  expect(copy).toMatchObject({ url, user: 'mona', path: path.join(h.docroot, 'moved'), application: 'wordpress', incomplete: false, title: 'Remote Title' });
  expect(copy.version).toMatch(/^\d+\.\d+/);
  await expectWorkingCopy(copy, url);
  // Listed like any install; nothing secret in the logs.
  expect((await h.v2('get', `/installs/${copy.id}`)).body.data.url).toBe(url);
  const logs = (await h.v2('get', '/logs?user=mona&limit=100')).body.data.map((l: { message: string }) => l.message).join('\n');
  expect(logs).toContain(`from ${remote.url} to ${url}`);
  expect(logs).not.toContain(sftp.password);
});

test('migrate (v1 cmd=import with source_url + source_ftu) over FTP, with source_url_ip', async () => {
  const url = `${h.site}/viaftp`;
  const hostUrl = remote.url; // http://localhost:PORT/oldblog, reached at 127.0.0.1 with its own Host header
  const r = await h.v1({ cmd: 'import', application: 'wordpress', user: 'mona', url, source_url: hostUrl, source_ftu: ftpUri(), source_url_ip: '127.0.0.1' });
  expect({ result: r.body.result, errcode: r.body.errcode, message: r.body.result ? '' : r.body.message }).toEqual({ result: true, errcode: null, message: '' });
  expect(r.body.data).toMatchObject({ url });
  // The v1 record spells members the v1 way (spec §4.3); the checks read the v2 record of the same install.
  const copy = (await h.v2('get', `/installs/${r.body.data.id}`)).body.data;
  expect(copy).toMatchObject({ url, user: 'mona', path: path.join(h.docroot, 'viaftp'), incomplete: false });
  await expectWorkingCopy(copy, url);
});

test('migrate (v1) over SFTP with a key file (source_ftu_key, blank password); a key outside the account is refused', async () => {
  const home = path.dirname(h.docroot);
  fs.mkdirSync(path.join(home, '.ssh'), { recursive: true });
  const key = path.join(home, '.ssh', 'remote_key');
  fs.writeFileSync(key, sftp.clientPrivateKey, { mode: 0o600 });
  const source_ftu = `sftp://${sftp.username}@${sftp.host}:${sftp.port}/public_html/oldblog`;
  const outside = await h.v1({ cmd: 'import', application: 'wordpress', user: 'mona', url: `${h.site}/keyed`, source_url: remote.url, source_ftu, source_ftu_key: path.join(remoteHome, 'public_html', 'oldblog', 'wp-config.php') });
  expect(outside.body).toMatchObject({ result: false, errcode: 'invalid_argument_source_ftu_key' });
  const url = `${h.site}/keyed`;
  const r = await h.v1({ cmd: 'import', application: 'wordpress', user: 'mona', url, source_url: remote.url, source_ftu, source_ftu_key: key });
  expect({ result: r.body.result, errcode: r.body.errcode, message: r.body.result ? '' : r.body.message }).toEqual({ result: true, errcode: null, message: '' });
  const copy = (await h.v2('get', `/installs/${r.body.data.id}`)).body.data;
  await expectWorkingCopy(copy, url);
});

describe('failures leave nothing behind, in the account or in the remote folder', () => {
  const undone = async (url: string, before: string[]) => {
    expect(fs.existsSync(path.join(h.docroot, path.basename(url)))).toBe(false);
    expect(await databases()).toEqual(before);
    const installs = (await h.v2('get', '/installs?user=mona&limit=1000')).body.data as { url: string }[];
    expect(installs.some((i) => i.url === url)).toBe(false);
    expect(helpersLeft()).toEqual([]);
  };

  test('the remote config names a database that does not exist: the helper fails, is removed, everything is undone', async () => {
    const cfg = path.join(remote.path, 'wp-config.php');
    const original = fs.readFileSync(cfg, 'utf8');
    fs.writeFileSync(cfg, original.replace(`'${remote.db_name}'`, "'no_such_database'"));
    const before = await databases();
    try {
      const url = `${h.site}/brokendb`;
      const r = await h.v2('post', '/browser/wordpress/migrate').send({ url, user: 'mona', source_url: remote.url, source_path: sftpUri() });
      expect(r.body).toMatchObject({ result: false, errcode: 'invalid_argument_source_url', errfield: 'source_url' });
      expect(r.body.message).toContain('database');
      expect(r.body.message).not.toContain(sftp.password);
      await undone(url, before);
    } finally {
      fs.writeFileSync(cfg, original);
    }
  });

  test('in the background, a failure after every file was copied (version mismatch) undoes files, tables and record; the task shows no secret', async () => {
    const before = await databases();
    const url = `${h.site}/wrongversion`;
    const r = await h.v2('post', '/browser/wordpress/migrate').send({ url, user: 'mona', source_url: remote.url, source_path: sftpUri(), version: '4.0', background: true });
    expect(r.body).toMatchObject({ result: true, errcode: null });
    const { task, seen } = await waitForTask(h, r.body.task.id, 240_000);
    expect(task).toMatchObject({ status: 'failed', cmd: 'browser/migrate', errcode: 'invalid_argument_version' });
    expect(JSON.stringify(seen)).not.toContain(sftp.password);
    await undone(url, before);
    const logs = (await h.v2('get', '/logs?user=mona&limit=100')).body.data.map((l: { message: string }) => l.message).join('\n');
    expect(logs).toContain(`Migrating ${remote.url}`);
    expect(logs).not.toContain(sftp.password);
  });

  test('source_url on a closed port (v1, FTP): the helper is removed, everything is undone', async () => {
    const before = await databases();
    const url = `${h.site}/closedweb`;
    const port = await closedPort();
    const r = await h.v1({ cmd: 'import', application: 'wordpress', user: 'mona', url, source_url: `http://127.0.0.1:${port}/oldblog`, source_ftu: ftpUri() });
    expect(r.body).toMatchObject({ result: false, errcode: 'invalid_argument_source_url' });
    expect(r.body.message).not.toContain(ftp.password);
    await undone(url, before);
  });
});

describe.each([
  ['sftp', () => sftpUri, () => sftp.password],
  ['ftp', () => ftpUri, () => ftp.password],
])('source errors over %s (v2 and v1)', (_name, uriOf, passwordOf) => {
  const cases: [string, () => Promise<string>, string][] = [
    ['wrong password', async () => uriOf()('/public_html/oldblog', 'wrong-password'), 'failed_filesystem_login'],
    ['closed port', async () => uriOf()().replace(/:(\d+)\//, `:${await closedPort()}/`), 'failed_filesystem_host'],
    ['missing folder', async () => uriOf()('/public_html/nothing-here'), 'failed_filesystem_directory'],
    ['folder without WordPress', async () => uriOf()('/public_html'), 'invalid_argument_source_path'],
  ];
  test.each(cases)('%s', async (_case, source, errcode) => {
    const source_path = await source();
    const before = await databases();
    const url = `${h.site}/never`;
    const v2 = await h.v2('post', '/browser/wordpress/migrate').send({ url, user: 'mona', source_url: remote.url, source_path });
    expect({ status: v2.status, errcode: v2.body.errcode }).toEqual({ status: errcode.startsWith('invalid_') ? 400 : 500, errcode });
    expect(v2.body.errfield).toBe('source_path');
    expect(v2.body.message).not.toContain(passwordOf());
    const v1 = await h.v1({ cmd: 'import', application: 'wordpress', user: 'mona', url, source_url: remote.url, source_ftu: source_path });
    expect(v1.body).toMatchObject({ result: false, errcode });
    expect(JSON.stringify(v1.body)).not.toContain(passwordOf());
    expect(fs.existsSync(path.join(h.docroot, 'never'))).toBe(false);
    expect(await databases()).toEqual(before);
  });
});

test('bad input: app:// is refused as unsupported, a non-http source_url, missing parameters; dry runs change nothing', async () => {
  const url = `${h.site}/never2`;
  const app = await h.v2('post', '/browser/wordpress/migrate').send({ url, user: 'mona', source_url: remote.url, source_path: 'app://remo_admin:secret' });
  expect({ status: app.status, errcode: app.body.errcode, errfield: app.body.errfield }).toEqual({ status: 400, errcode: 'invalid_argument_source_path', errfield: 'source_path' });
  expect(app.body.message).toContain('not supported');
  const v1app = await h.v1({ cmd: 'import', application: 'wordpress', user: 'mona', url, source_url: remote.url, source_ftu: 'app://remo_admin:secret' });
  expect(v1app.body).toMatchObject({ result: false, errcode: 'invalid_argument_source_path' });
  const ftpUrl = await h.v2('post', '/browser/wordpress/migrate').send({ url, user: 'mona', source_url: 'ftp://example.test/', source_path: sftpUri() });
  expect(ftpUrl.body).toMatchObject({ errcode: 'invalid_argument_source_url', errfield: 'source_url' });
  const noPath = await h.v2('post', '/browser/wordpress/migrate').send({ url, user: 'mona', source_url: remote.url });
  expect(noPath.body).toMatchObject({ errcode: 'empty_argument_source_path', errfield: 'source_path' });
  const badIp = await h.v2('post', '/browser/wordpress/migrate').send({ url, user: 'mona', source_url: remote.url, source_path: sftpUri(), source_url_ip: 'not-an-ip' });
  expect(badIp.body).toMatchObject({ errcode: 'invalid_argument_source_url_ip', errfield: 'source_url_ip' });
  const before = await databases();
  const dry = await h.v2('post', '/browser/wordpress/migrate').send({ url, user: 'mona', source_url: remote.url, source_path: sftpUri(), dryrun: 'all' });
  expect(dry.body).toMatchObject({ result: true, errcode: 'complete_dryrun' });
  expect(fs.existsSync(path.join(h.docroot, 'never2'))).toBe(false);
  expect(await databases()).toEqual(before);
  expect(helpersLeft()).toEqual([]);
});
