import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { freePort, startPhpServer, type PhpServer } from '@installgate/testkit';
import { startAppHarness, type AppHarness } from './app-harness';
import { fetchPage, tablesOf, tree, waitForTask, world } from './install-helpers';

/**
 * Clone and sync (spec §2.2) with real WordPress, real MariaDB and pages served by `php -S`: a clone to another
 * host name and a path of another length is a second working site whose every serialized option still
 * unserializes; a stage remembers its origin (v1 and v2); a sync pulls only the chosen tables (every other table
 * stays byte-identical) with the target's URLs; a dry run lists the differences and changes nothing; bad input
 * answers the spec's errcodes in both protocols and leaves nothing behind.
 */
jest.setTimeout(240_000);

let h: AppHarness;
let php2: PhpServer;
let site2: string;
let docroot2: string;
let origin: { id: string; path: string; url: string; db_name: string; db_prefix: string; title: string };
const PORT_URL = () => `${h.site}/blog`;

/** Runs PHP with WordPress loaded at `dir`; returns the last line it echoes. */
function wp(dir: string, code: string): string {
  return execFileSync('php', ['-r', `define('WP_USE_THEMES', false); require 'wp-load.php'; ${code}`], { cwd: dir, encoding: 'utf8' }).trim().split('\n').pop()!;
}

/** CHECKSUM TABLE of every table of `db`, by table name. */
async function checksums(db: string): Promise<Record<string, string>> {
  const tables = await tablesOf(h, db);
  const rows = await h.sql(`CHECKSUM TABLE ${tables.map((t) => `\`${db}\`.\`${t}\``).join(', ')}`);
  return Object.fromEntries(rows.map((r) => r.split('\t')).map(([t, sum]) => [t!.slice(db.length + 1), sum!]));
}

beforeAll(async () => {
  h = await startAppHarness('olga');
  // A second account whose website answers under another host name (localhost) on another port.
  const port = await freePort();
  site2 = `http://localhost:${port}`;
  const home2 = path.join(h.settings.homes_root, 'vera');
  docroot2 = path.join(home2, 'public_html');
  fs.mkdirSync(docroot2, { recursive: true });
  await h.engine.users.create({ actor: { kind: 'admin' } }, { id: 'vera', email: 'vera@example.test', websites: [{ path: home2, vhosts: { [site2]: 'public_html' } }] });
  php2 = await startPhpServer({ docroot: docroot2, port });
  const r = await h.v2('post', '/browser/wordpress/install').send({ url: PORT_URL(), user: 'olga', sitetitle: 'Clone Origin', login: 'olga_admin', passwd: 'Olga-Pa55-word!' });
  expect(r.body.result).toBe(true);
  origin = r.body.data;
  // Data holding the URL the ways plugins store it: serialized, serialized inside serialized, JSON; and a post.
  wp(origin.path, `update_option('ig_ser', ['link' => home_url('/page/'), 'inner' => serialize(['u' => home_url()]), 'n' => 3]); update_option('ig_json', wp_json_encode(['u' => home_url('/x')])); wp_insert_post(['post_title' => 'Origin Post Title', 'post_content' => 'See <a href="' . home_url('/about/') . '">about</a>', 'post_status' => 'publish']); echo 1;`);
}, 300_000);
afterAll(async () => { await php2?.stop(); await h?.stopAll(); }, 60_000);

test('clone (v2) to another host and a path of another length: a working site, every serialized option unserializes', async () => {
  const url = `${site2}/staging-area`;
  const r = await h.v2('post', `/installs/${origin.id}/clone`).send({ url, user: 'vera' });
  expect({ status: r.status, result: r.body.result, errcode: r.body.errcode }).toEqual({ status: 200, result: true, errcode: null });
  const copy = r.body.data;
  expect(copy).toMatchObject({ url, user: 'vera', path: path.join(docroot2, 'staging-area'), application: 'wordpress', parent: '', incomplete: false, db_prefix: origin.db_prefix });
  expect(copy.id).not.toBe(origin.id);
  expect(copy.db_name).not.toBe(origin.db_name);
  expect([...copy.tables].sort()).toEqual([...(await tablesOf(h, copy.db_name))].sort());
  expect(copy.files).toEqual(expect.arrayContaining(['wp-admin', 'wp-config.php', 'wp-content', 'wp-includes']));

  // Every serialized value in wp_options unserializes (string lengths were rewritten with the URL).
  const bad = JSON.parse(wp(copy.path, `global $wpdb; $bad = []; $n = 0; foreach ($wpdb->get_results("SELECT option_name, option_value FROM {$wpdb->options}") as $o) { if (!is_serialized($o->option_value)) continue; $n++; if ($o->option_value !== 'b:0;' && @unserialize($o->option_value) === false) $bad[] = $o->option_name; } echo json_encode(['n' => $n, 'bad' => $bad]);`));
  expect(bad.bad).toEqual([]);
  expect(bad.n).toBeGreaterThan(5);
  const left = await h.sql(`SELECT COUNT(*) FROM \`${copy.db_name}\`.\`${origin.db_prefix}options\` WHERE option_value LIKE '%${PORT_URL()}%'`);
  expect(left).toEqual(['0']);
  expect(wp(copy.path, "echo get_option('home');")).toBe(url);
  expect(JSON.parse(wp(copy.path, "echo wp_json_encode(get_option('ig_ser'));"))).toEqual({ link: `${url}/page/`, inner: expect.any(String), n: 3 });
  expect(JSON.parse(wp(copy.path, "echo wp_json_encode(unserialize(get_option('ig_ser')['inner']));"))).toEqual({ u: url });
  expect(JSON.parse(wp(copy.path, "echo get_option('ig_json');"))).toEqual({ u: `${url}/x` });

  const page = await fetchPage(`${url}/`);
  expect(page.status).toBe(200);
  expect(page.body).toContain('Clone Origin');
  expect(page.body).toContain('Origin Post Title');
  expect(page.body).not.toContain(PORT_URL());
  // The origin is untouched and still served.
  expect(wp(origin.path, "echo get_option('home');")).toBe(PORT_URL());
  expect((await fetchPage(`${PORT_URL()}/`)).body).toContain('Origin Post Title');
  const logs = (await h.v2('get', '/logs?user=vera&limit=100')).body.data.map((l: { message: string }) => l.message).join('\n');
  expect(logs).toContain(`Cloned Clone Origin from ${PORT_URL()} to ${url}`);
});

let stageId = '';

test('stage via v1 and v2: the clone names its parent, the origin names its stage', async () => {
  const v1 = await h.v1({ cmd: 'clone', id: origin.id, user: 'olga', url: `${h.site}/stage-one`, stage: 'true' });
  expect(v1.body).toMatchObject({ result: true, errcode: null, data: { parent: origin.id, url: `${h.site}/stage-one`, owner: 'olga' } });
  expect((await h.v2('get', `/installs/${origin.id}`)).body.data.stage).toBe(v1.body.data.id);
  const v2 = await h.v2('post', `/installs/${origin.id}/clone`).send({ url: `${h.site}/st2`, stage: true, user: 'olga' });
  expect(v2.body).toMatchObject({ result: true, data: { parent: origin.id, stage: '' } });
  stageId = v2.body.data.id;
  expect((await h.v2('get', `/installs/${origin.id}`)).body.data).toMatchObject({ stage: stageId, parent: '' });
  expect((await fetchPage(`${h.site}/st2/`)).body).toContain('Origin Post Title');
});

test('sync dry run (v1) lists what differs and changes nothing', async () => {
  const stage = (await h.v2('get', `/installs/${stageId}`)).body.data;
  fs.writeFileSync(path.join(stage.path, 'wp-content', 'stage-note.txt'), 'from the stage');
  wp(stage.path, "update_option('blogdescription', 'Changed on the stage'); echo 1;");
  const before = { sums: await checksums(origin.db_name), files: tree(origin.path), backups: (await h.v2('get', '/backups?user=olga')).body.data.length };
  const r = await h.v1({ cmd: 'sync', id: origin.id, dryrun: '2', tables: 'options,wp_posts' });
  expect(r.body).toMatchObject({ result: true, errcode: 'complete_dryrun' });
  const { changes } = r.body.data;
  expect(r.body.data).toMatchObject({ id: origin.id, source: stageId });
  expect(changes.files.added).toContain('wp-content/stage-note.txt');
  expect(changes.files.changed).toContain('wp-config.php'); // each site's own database settings
  expect(changes.files.changed).not.toContain('wp-includes/version.php');
  expect(changes.files.removed).toEqual([]);
  expect(changes.tables.changed).toContain('options');
  expect(changes.tables.added).toEqual([]);
  expect({ sums: await checksums(origin.db_name), files: tree(origin.path), backups: (await h.v2('get', '/backups?user=olga')).body.data.length }).toEqual(before);
});

test('sync (v2) of one table from the stage: that table gets the change with the parent\'s URLs, every other table is byte-identical', async () => {
  const stage = (await h.v2('get', `/installs/${stageId}`)).body.data;
  wp(stage.path, "$p = get_page_by_title('Origin Post Title', OBJECT, 'post'); wp_update_post(['ID' => $p->ID, 'post_title' => 'Edited On Stage', 'post_content' => 'Now see <a href=\"' . home_url('/contact/') . '\">contact</a>']); echo 1;");
  // The parent links to its stage: a relocate limited to the copied tables leaves this option alone.
  wp(origin.path, `update_option('ig_stage_link', '${h.site}/st2/preview'); echo 1;`);
  const before = await checksums(origin.db_name);
  const backupsBefore = (await h.v2('get', '/backups?user=olga')).body.data.length;
  const r = await h.v2('post', `/installs/${origin.id}/sync`).send({ tables: ['posts'], files: false });
  expect({ status: r.status, result: r.body.result, errcode: r.body.errcode }).toEqual({ status: 200, result: true, errcode: null });
  expect(r.body.data).toMatchObject({ id: origin.id, url: PORT_URL(), stage: stageId });
  const after = await checksums(origin.db_name);
  const posts = `${origin.db_prefix}posts`;
  for (const t of Object.keys(before)) if (t !== posts) expect({ t, sum: after[t] }).toEqual({ t, sum: before[t] });
  expect(after[posts]).not.toBe(before[posts]);
  expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort());
  const row = await h.sql(`SELECT post_content FROM \`${origin.db_name}\`.\`${posts}\` WHERE post_title = 'Edited On Stage' AND post_type = 'post'`);
  expect(row).toEqual([`Now see <a href="${PORT_URL()}/contact/">contact</a>`]);
  expect(wp(origin.path, "echo get_option('blogdescription');")).not.toBe('Changed on the stage');
  expect(wp(origin.path, "echo get_option('ig_stage_link');")).toBe(`${h.site}/st2/preview`);
  expect(fs.existsSync(path.join(origin.path, 'wp-content', 'stage-note.txt'))).toBe(false);
  // Backed up first.
  const backups = (await h.v2('get', '/backups?user=olga')).body.data;
  expect(backups.length).toBe(backupsBefore + 1);
  expect(backups.map((b: { backup_note: string }) => b.backup_note).join('\n')).toContain('Before sync from');
  const page = await fetchPage(`${PORT_URL()}/`);
  expect(page.body).toContain('Edited On Stage');
  expect(page.body).toContain('Clone Origin');

  // v1: files by name (the stage's new file arrives), tables none; the site still works with its own database.
  const v1 = await h.v1({ cmd: 'sync', id: origin.id, source: stageId, files: 'wp-content', tables: 'false' });
  expect(v1.body).toMatchObject({ result: true, errcode: null, data: { id: origin.id } });
  expect(fs.readFileSync(path.join(origin.path, 'wp-content', 'stage-note.txt'), 'utf8')).toBe('from the stage');
  expect(await checksums(origin.db_name)).toEqual(after);
  expect((await fetchPage(`${PORT_URL()}/`)).body).toContain('Edited On Stage');
  expect(fs.readdirSync(origin.path).filter((n) => n.startsWith('.ig-'))).toEqual([]);
});

test('failures answer the spec\'s errcodes in both protocols and leave nothing behind', async () => {
  const other = await h.v2('post', '/browser/testapp-db/install').send({ url: `${h.site}/other-app`, user: 'olga', sitetitle: 'Other' });
  expect(other.body.result).toBe(true);
  fs.mkdirSync(path.join(h.docroot, 'occupied'));
  fs.writeFileSync(path.join(h.docroot, 'occupied', 'index.html'), 'mine');
  const snapshot = await world(h);
  const cases: [string, Record<string, unknown>, number, string, string | null][] = [
    ['clone', {}, 400, 'empty_argument_url', 'url'],
    ['clone', { url: `${h.site}/occupied` }, 400, 'invalid_argument_url_notempty', 'url'],
    ['clone', { url: 'http://nobody.example/x' }, 400, 'invalid_argument_url', 'url'],
    ['sync', { source: 'no-such-install' }, 404, 'install_not_found', 'source'],
    ['sync', { source: other.body.data.id }, 400, 'invalid_argument_source', 'source'],
    ['sync', { tables: 'no_such_table' }, 400, 'invalid_argument_tables', 'tables'],
  ];
  for (const [cmd, params, status, errcode, errfield] of cases) {
    const v2 = await h.v2('post', `/installs/${origin.id}/${cmd}`).send(params);
    expect({ cmd, params, status: v2.status, errcode: v2.body.errcode, errfield: v2.body.errfield }).toEqual({ cmd, params, status, errcode, errfield });
    const v1 = await h.v1({ cmd, id: origin.id, ...Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)])) });
    expect({ cmd, params, http: v1.status, result: v1.body.result, errcode: v1.body.errcode }).toEqual({ cmd, params, http: 200, result: false, errcode });
  }
  // An install without a stage, and an unknown install to clone.
  const noStage = await h.v2('post', `/installs/${other.body.data.id}/sync`).send({});
  expect({ status: noStage.status, errcode: noStage.body.errcode, errfield: noStage.body.errfield }).toEqual({ status: 400, errcode: 'empty_argument_source', errfield: 'source' });
  const noUser = await h.v2('post', `/installs/${origin.id}/clone`).send({ url: `${h.site}/x`, source_user: 'nobody' });
  expect({ status: noUser.status, errcode: noUser.body.errcode, errfield: noUser.body.errfield }).toEqual({ status: 404, errcode: 'user_not_found', errfield: 'source_user' });
  const notTheirs = await h.v2('post', `/installs/${origin.id}/clone`).send({ url: `${site2}/x`, user: 'vera', source_user: 'vera' });
  expect({ status: notTheirs.status, errcode: notTheirs.body.errcode, errfield: notTheirs.body.errfield }).toEqual({ status: 403, errcode: 'invalid_argument_user', errfield: 'source_user' });
  const unknown = await h.v1({ cmd: 'clone', id: 'nope', url: `${h.site}/x` });
  expect(unknown.body).toMatchObject({ result: false, errcode: 'install_not_found' });
  // Dry runs of a clone pass and make nothing.
  const dry2 = await h.v2('post', `/installs/${origin.id}/clone`).send({ url: `${site2}/dry`, user: 'vera', dryrun: 'all' });
  expect({ status: dry2.status, result: dry2.body.result, errcode: dry2.body.errcode }).toEqual({ status: 200, result: true, errcode: 'complete_dryrun' });
  const dry1 = await h.v1({ cmd: 'clone', id: origin.id, url: `${h.site}/dry`, dryrun: '1' });
  expect(dry1.body).toMatchObject({ result: true, errcode: 'complete_dryrun' });
  // A given database that does not work: refused before anything is made.
  const badDb = await h.v2('post', `/installs/${origin.id}/clone`).send({ url: `${h.site}/baddb`, db_host: h.mariadb.url.replace(/^mysql:\/\/[^@]*@/, '').replace(/\/.*$/, ''), db_name: 'nope', db_user: 'nope', db_pass: 'wrong-pass' });
  expect(badDb.body.result).toBe(false);
  expect(badDb.body.errcode).toMatch(/^invalid_argument_db_/);
  expect(JSON.stringify(badDb.body)).not.toContain('wrong-pass');
  expect(await world(h)).toEqual(snapshot);
});

test('a clone or sync that fails half-way undoes everything: no folder, database, tables or record; the target as it was', async () => {
  const stage = (await h.v2('get', `/installs/${stageId}`)).body.data;
  // A real file whose path fits in the stage's folder but is too long in any folder whose path is longer.
  let deep = path.join(stage.path, 'wp-content', 'deep');
  while (deep.length < 4085 - 210) deep = path.join(deep, 'd'.repeat(200));
  deep = path.join(deep, 'd'.repeat(4085 - deep.length - 2 - 'x.txt'.length));
  fs.mkdirSync(deep, { recursive: true });
  fs.writeFileSync(path.join(deep, 'x.txt'), 'deep');
  expect(path.join(deep, 'x.txt').length).toBe(4085);
  try {
    const before = { sums: await checksums(origin.db_name), files: tree(origin.path), record: (await h.v2('get', `/installs/${origin.id}`)).body.data };
    const s = await h.v2('post', `/installs/${origin.id}/sync`).send({ tables: 'posts', files: ['wp-content'] });
    expect({ status: s.status, errcode: s.body.errcode }).toEqual({ status: 500, errcode: 'failed_filesystem_directory' });
    expect({ sums: await checksums(origin.db_name), files: tree(origin.path), record: (await h.v2('get', `/installs/${origin.id}`)).body.data }).toEqual(before);
    expect((await tablesOf(h, origin.db_name)).filter((t) => t.startsWith('igs'))).toEqual([]);
    expect((await fetchPage(`${PORT_URL()}/`)).body).toContain('Edited On Stage');

    const { tasks: _t, ...snapshot } = await world(h);
    const c = await h.v1({ cmd: 'clone', id: stageId, url: `${h.site}/clone-that-cannot-finish` });
    expect(c.body).toMatchObject({ result: false, errcode: 'failed_filesystem_directory' });
    const { tasks: _t2, ...now } = await world(h);
    expect(now).toEqual(snapshot);
    expect(fs.existsSync(path.join(h.docroot, 'clone-that-cannot-finish'))).toBe(false);
  } finally {
    fs.rmSync(path.join(stage.path, 'wp-content', 'deep'), { recursive: true, force: true });
  }
});

test('a generic application clones in the background (v1) and syncs its files back (v2); the tasks say clone and sync', async () => {
  const app = await h.v2('post', '/browser/testapp-db/install').send({ url: `${h.site}/gen`, user: 'olga', sitetitle: 'Generic Site' });
  expect(app.body.result).toBe(true);
  const started = await h.v1({ cmd: 'clone', id: app.body.data.id, url: `${site2}/gen-copy`, user: 'vera', stage: 'true', background: '1' });
  expect(started.body).toMatchObject({ result: true, errcode: null, task: { cmd: 'clone' } });
  const { task } = await waitForTask(h, started.body.task.id);
  expect({ status: task.status, cmd: task.cmd, user: task.user }).toEqual({ status: 'complete', cmd: 'installs/clone', user: 'vera' });
  const copy = (await h.v2('get', `/installs/${task.install}`)).body.data;
  expect(copy).toMatchObject({ url: `${site2}/gen-copy`, user: 'vera', parent: app.body.data.id, application: 'testapp-db' });
  expect((await fetchPage(`${site2}/gen-copy/`)).body).toContain('<title>Generic Site</title>');
  // A file changed on the stage comes back with files=true, tables=false; the original keeps its own database.
  fs.writeFileSync(path.join(copy.path, 'extra.html'), 'added on the stage');
  // An install nested in the target's folder is not part of it: a full sync neither removes nor replaces it.
  const inner = await h.v2('post', '/browser/testapp-static/install').send({ url: `${h.site}/gen/inner`, user: 'olga', sitetitle: 'Inner Site' });
  expect(inner.body.result).toBe(true);
  const synced = await h.v2('post', `/installs/${app.body.data.id}/sync`).send({ tables: false });
  expect(synced.body).toMatchObject({ result: true, data: { id: app.body.data.id, db_name: app.body.data.db_name } });
  expect(fs.readFileSync(path.join(app.body.data.path, 'extra.html'), 'utf8')).toBe('added on the stage');
  expect((await fetchPage(`${h.site}/gen/`)).body).toContain('<title>Generic Site</title>');
  expect(synced.body.data.files).toContain('extra.html');
  expect(synced.body.data.files).not.toContain('inner');
  expect((await fetchPage(`${h.site}/gen/inner/`)).body).toContain('Inner Site');
});
