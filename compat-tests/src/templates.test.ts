import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { makeInstallRecord, makePng, makeTemplateRecord } from '@installgate/core';
import { startAppHarness, type AppHarness } from './app-harness';
import { fetchPage, tablesOf, waitForTask } from './install-helpers';
import { isDashboard, wordpressLogin } from './web-client';

/**
 * Templates with real WordPress (spec §2.2 template, §2.5, §8.6, §4.3): a site with a post, a plugin file and a
 * serialized option is captured (v2 and v1); new sites installed from the templates (v2 and v1) show the post
 * under their own title, their own administrator logs in, the option is valid at the new URL; edit and delete
 * (the archive goes too); the errors of the operations.
 */
jest.setTimeout(240_000);

let h: AppHarness;
let source: { id: string; path: string; url: string; db_name: string; tables: string[]; version: string };
const PASS = 'Source-Pa55-word!';
const templatesDir = () => path.join(h.home, 'templates');

/** Runs PHP with WordPress loaded at `dir`; returns the last line the snippet echoes. */
function wp(dir: string, code: string): string {
  return execFileSync('php', ['-r', `define('WP_USE_THEMES', false); require 'wp-load.php'; ${code}`], { cwd: dir, encoding: 'utf8' }).trim().split('\n').pop()!;
}

beforeAll(async () => {
  h = await startAppHarness('tina');
  const r = await h.v2('post', '/browser/wordpress/install').send({ url: `${h.site}/source`, user: 'tina', sitetitle: 'Template Source', login: 'src_admin', passwd: PASS });
  expect(r.body.result).toBe(true);
  source = r.body.data;
  // What a site builder leaves in a template: content, a plugin, settings that hold the site's URL serialized.
  wp(source.path, "wp_insert_post(['post_title' => 'Hello from the template', 'post_content' => 'Template body text', 'post_status' => 'publish']); echo 1;");
  wp(source.path, "update_option('ig_ser', ['link' => home_url('/page/'), 'inner' => serialize(['u' => home_url()]), 'n' => 3]); echo 1;");
  fs.mkdirSync(path.join(source.path, 'wp-content', 'plugins', 'ig-demo'), { recursive: true });
  fs.writeFileSync(path.join(source.path, 'wp-content', 'plugins', 'ig-demo', 'ig-demo.php'), "<?php\n/*\nPlugin Name: IG Demo\nVersion: 1.2.3\n*/\n");
  const home = path.join(h.settings.homes_root, 'uma');
  fs.mkdirSync(path.join(home, 'public_html'), { recursive: true });
  await h.engine.users.create({ actor: { kind: 'admin' } }, { id: 'uma', email: 'uma@example.test', websites: [{ path: home, vhosts: { 'http://uma.example': 'public_html' } }] });
}, 300_000);
afterAll(async () => { await h?.stopAll(); }, 60_000);

let v2Template: Record<string, unknown>;
let v1Template: Record<string, unknown>;

test('capture through v2 and v1: archive in <home>/templates, record with sizes and sha256, v1 member names', async () => {
  const image = makePng(1024, 640).toString('base64');
  // As the admin (no `user`): scope defaults to `admin`, shared with every account; the owner stays tina.
  const r = await h.v2('post', `/installs/${source.id}/template`).send({ name: 'Starter', desc: 'A blog with one post', image });
  expect({ status: r.status, result: r.body.result, errcode: r.body.errcode, message: r.body.message }).toMatchObject({ status: 200, result: true, errcode: null });
  v2Template = r.body.data;
  expect(v2Template).toMatchObject({
    template_name: 'Starter', template_desc: 'A blog with one post', template_scope: 'admin', template_application: 'wordpress',
    template_install: source.id, template_appcategory: '_categories_miscellaneous', template_image: `${v2Template.id}-image.png`,
    application: 'wordpress', version: source.version, user: 'tina', db_pass: '',
  });
  expect(v2Template.template_sha256).toMatch(/^[0-9a-f]{64}$/);
  const archive = path.join(templatesDir(), v2Template.template_filename as string);
  expect(fs.statSync(archive).size).toBe(v2Template.template_size);
  expect(fs.readFileSync(path.join(templatesDir(), `${v2Template.id}-image.png`)).equals(makePng(1024, 640))).toBe(true);
  expect((v2Template.tables as string[]).length).toBeGreaterThan(5);

  // As tina herself: a user's template is private (scope user) by default.
  const v1 = await h.v1({ cmd: 'template', id: source.id, user: 'tina', name: 'Starter v1', appcategory: '_categories_communitysoftware' });
  expect(v1.body).toMatchObject({ result: true, errcode: null });
  v1Template = v1.body.data;
  expect(v1Template).toMatchObject({ 'template-name': 'Starter v1', 'template-scope': 'user', 'template-appcategory': '_categories_communitysoftware', installer: 'wordpress', 'template-install': source.id });
  expect(v1Template).not.toHaveProperty('template_name');
  expect(fs.existsSync(path.join(templatesDir(), v1Template['template-filename'] as string))).toBe(true);
});

test('list through v2 and v1 (v1 and v2 member names, §4.3)', async () => {
  const v2 = await h.v2('get', '/templates?user=tina').expect(200);
  expect(v2.body.data.map((t: { id: string }) => t.id).sort()).toEqual([v1Template.id, v2Template.id].sort());
  expect(v2.body.data.find((t: { id: string }) => t.id === v2Template.id)).toMatchObject({ template_name: 'Starter', application: 'wordpress', url_domain: '127.0.0.1' });
  expect(v2.body.data[0]).not.toHaveProperty('template-name');
  const v1 = await h.v1({ cmd: 'templates', user: 'tina' });
  expect(v1.body.result).toBe(true);
  const names = v1.body.data.map((t: Record<string, unknown>) => t['template-name']);
  expect(names).toEqual(expect.arrayContaining(['Starter', 'Starter v1']));
  expect(v1.body.data[0]).toHaveProperty('installer', 'wordpress');
  // Another account sees the shared (admin) template, not tina's private one.
  const uma = await h.v2('get', '/templates?user=uma').expect(200);
  expect(uma.body.data.map((t: { id: string }) => t.id)).toEqual([v2Template.id]);
});

test('dry runs change nothing; a background capture is a task that ends in a listed template', async () => {
  const count = async () => (await h.v2('get', '/templates?user=tina').expect(200)).body.data.length as number;
  const files = fs.readdirSync(templatesDir()).sort();
  const n = await count();
  const dry = await h.v1({ cmd: 'template', id: source.id, user: 'tina', name: 'Dry', dryrun: '2' });
  expect(dry.body).toMatchObject({ result: true, errcode: 'complete_dryrun' });
  const dryInstall = await h.v2('post', '/browser/wordpress/install').send({ url: `${h.site}/dry`, user: 'tina', content: v2Template.id, dryrun: 'all' });
  expect(dryInstall.body).toMatchObject({ result: true, errcode: 'complete_dryrun' });
  expect(fs.existsSync(path.join(h.docroot, 'dry'))).toBe(false);
  expect([await count(), fs.readdirSync(templatesDir()).sort()]).toEqual([n, files]);

  const bg = await h.v2('post', `/installs/${source.id}/template`).send({ user: 'tina', name: 'Background', background: true });
  expect(bg.body).toMatchObject({ result: true, errcode: null, data: null });
  const { task } = await waitForTask(h, bg.body.task.id);
  expect(task).toMatchObject({ status: 'complete', cmd: 'installs/template', install: source.id });
  const made = (await h.v2('get', '/templates?user=tina&q=Background').expect(200)).body.data;
  expect(made.map((t: { template_name: string }) => t.template_name)).toEqual(['Background']);
  expect((await h.v2('delete', `/templates/${made[0].id}`).expect(200)).body.data.id).toBe(made[0].id);
  expect(fs.readdirSync(templatesDir()).sort()).toEqual(files);
});

/** What a site installed from the template must show. */
async function expectTemplateSite(install: { id: string; path: string; url: string; db_name: string }, opts: { title: string; login: string; passwd: string; prefix: string }): Promise<void> {
  const { url } = install;
  const page = await fetchPage(`${url}/`);
  expect(page.status).toBe(200);
  expect(page.body).toContain('Hello from the template');
  expect(page.body).toContain(opts.title);
  expect(page.body).not.toContain('Template Source');
  expect(page.body).not.toContain(`${h.site}/source`);
  expect(isDashboard(await wordpressLogin(url, opts.login, opts.passwd))).toBe(true);
  expect(isDashboard(await wordpressLogin(url, 'src_admin', PASS))).toBe(false);
  expect(wp(install.path, "echo get_option('home');")).toBe(url);
  const ser = JSON.parse(wp(install.path, "echo wp_json_encode(get_option('ig_ser'));"));
  expect(ser).toEqual({ link: `${url}/page/`, inner: expect.any(String), n: 3 });
  expect(JSON.parse(wp(install.path, "echo wp_json_encode(unserialize(get_option('ig_ser')['inner']));"))).toEqual({ u: url });
  expect(fs.existsSync(path.join(install.path, 'wp-content', 'plugins', 'ig-demo', 'ig-demo.php'))).toBe(true);
  // Secrets of its own: the template's cookie keys are not shared with the sites made from it.
  expect(wp(install.path, 'echo AUTH_KEY;')).not.toBe(wp(source.path, 'echo AUTH_KEY;'));
  expect(install.db_name).not.toBe(source.db_name);
  expect((await tablesOf(h, install.db_name)).every((t) => t.startsWith(opts.prefix))).toBe(true);
}

test('install from the v2-captured template through v2: the post, the new title and admin, valid serialized options', async () => {
  const url = `${h.site}/from-v2`;
  const r = await h.v2('post', '/browser/wordpress/install').send({ url, user: 'tina', content: v2Template.id, sitetitle: 'Fresh From Template', login: 'newadmin', passwd: 'New-Adm1n-pass!', email: 'new@example.test' });
  expect({ result: r.body.result, errcode: r.body.errcode, message: r.body.message }).toMatchObject({ result: true, errcode: null });
  expect(r.body.data).toMatchObject({ url, version: source.version, sitetitle: 'Fresh From Template', title: 'Fresh From Template', login: 'newadmin', email: 'new@example.test', user: 'tina', incomplete: false, db_prefix: 'wp_' });
  expect(r.body.data.id).not.toBe(source.id);
  expect(r.body.data.plugins.map((p: { id: string }) => p.id)).toContain('ig-demo');
  await expectTemplateSite(r.body.data, { title: 'Fresh From Template', login: 'newadmin', passwd: 'New-Adm1n-pass!', prefix: 'wp_' });
  expect(wp(r.body.data.path, "echo get_option('admin_email');")).toBe('new@example.test');
  // The source is untouched.
  expect(wp(source.path, "echo get_option('blogname');")).toBe('Template Source');
  expect(isDashboard(await wordpressLogin(source.url, 'src_admin', PASS))).toBe(true);
});

test('install from the v1-captured template through v1 with another prefix', async () => {
  const url = `${h.site}/from-v1`;
  const r = await h.v1({ cmd: 'install', application: 'wordpress', url, user: 'tina', content: v1Template.id as string, sitetitle: 'V1 Made Site', login: 'v1admin', passwd: 'V1-Adm1n-pass!', db_prefix: 'tp_' });
  expect({ result: r.body.result, errcode: r.body.errcode, message: r.body.message }).toMatchObject({ result: true, errcode: null });
  expect(r.body.data).toMatchObject({ 'cf-sitetitle': 'V1 Made Site', 'cf-login': 'v1admin', 'db-prefix': 'tp_', installer: 'wordpress' });
  await expectTemplateSite({ id: r.body.data.id, path: r.body.data.path, url, db_name: r.body.data['db-name'] }, { title: 'V1 Made Site', login: 'v1admin', passwd: 'V1-Adm1n-pass!', prefix: 'tp_' });
});

test('errors: missing name, unknown template, someone else\'s private template, sharing as a user, bad image, unavailable version', async () => {
  const noName = await h.v2('post', `/installs/${source.id}/template`).send({ user: 'tina' });
  expect({ status: noName.status, errcode: noName.body.errcode, errfield: noName.body.errfield }).toEqual({ status: 400, errcode: 'empty_argument_name', errfield: 'name' });
  expect((await h.v1({ cmd: 'template', id: source.id, user: 'tina' })).body).toMatchObject({ result: false, errcode: 'empty_argument_name' });
  const scoped = await h.v2('post', `/installs/${source.id}/template`).send({ user: 'tina', name: 'x', image: 'https://img.example/x.png' });
  expect({ status: scoped.status, errcode: scoped.body.errcode, errfield: scoped.body.errfield }).toEqual({ status: 400, errcode: 'invalid_argument_image', errfield: 'image' });

  const unknown = await h.v2('post', '/browser/wordpress/install').send({ url: `${h.site}/nope`, user: 'tina', content: 'notatemplate000000000000' });
  expect({ status: unknown.status, errcode: unknown.body.errcode, errfield: unknown.body.errfield }).toEqual({ status: 404, errcode: 'template_not_found', errfield: 'content' });
  expect((await h.v1({ cmd: 'install', application: 'wordpress', url: `${h.site}/nope`, user: 'tina', content: 'notatemplate000000000000' })).body).toMatchObject({ result: false, errcode: 'template_not_found' });

  // tina's private template: not for uma, neither as uma nor by the admin into uma's website.
  const asUma = await h.v2('post', '/browser/wordpress/install').send({ url: 'http://uma.example/blog', user: 'uma', content: v1Template.id });
  expect({ status: asUma.status, errcode: asUma.body.errcode, errfield: asUma.body.errfield }).toEqual({ status: 403, errcode: 'invalid_argument_user', errfield: 'content' });
  const forUma = await h.v1({ cmd: 'install', application: 'wordpress', url: 'http://uma.example/blog', content: v1Template.id as string });
  expect(forUma.body).toMatchObject({ result: false, errcode: 'invalid_argument_user' });
  expect(fs.readdirSync(path.join(h.settings.homes_root, 'uma', 'public_html'))).toEqual([]);

  // A plain user may not share (scope admin/app is for the admin and resellers).
  const umaInstall = makeInstallRecord({ id: 'umainstall000000000000001', user: 'uma', url: 'http://uma.example/old', url_domain: 'uma.example', path: path.join(h.settings.homes_root, 'uma', 'public_html', 'old') });
  await h.engine.installs.insert(umaInstall);
  const share = await h.v2('post', `/installs/${umaInstall.id}/template`).send({ user: 'uma', name: 'Mine', scope: 'app' });
  expect({ status: share.status, errcode: share.body.errcode, errfield: share.body.errfield }).toEqual({ status: 400, errcode: 'invalid_argument_scope', errfield: 'scope' });
  // A capture that fails (the install's folder is gone) lists nothing and leaves no file.
  const before = fs.readdirSync(templatesDir()).sort();
  const failed = await h.v2('post', `/installs/${umaInstall.id}/template`).send({ user: 'uma', name: 'Mine' });
  expect({ status: failed.status, errcode: failed.body.errcode }).toEqual({ status: 500, errcode: 'failed_filesystem_directory' });
  expect(fs.readdirSync(templatesDir()).sort()).toEqual(before);
  expect((await h.v2('get', '/templates?user=uma').expect(200)).body.data.map((t: { template_name: string }) => t.template_name)).not.toContain('Mine');

  // A template of a release the mirror no longer has is refused before anything is written.
  const old = makeTemplateRecord({ id: 'oldtemplate00000000000001', user: 'tina', application: 'wordpress', template_application: 'wordpress', version: '4.0.1', template_scope: 'user' });
  await h.engine.templates.insert(old);
  const tooOld = await h.v2('post', '/browser/wordpress/install').send({ url: `${h.site}/old`, user: 'tina', content: old.id });
  expect({ status: tooOld.status, errcode: tooOld.body.errcode, errfield: tooOld.body.errfield }).toEqual({ status: 400, errcode: 'invalid_argument_version', errfield: 'version' });
  await h.v2('delete', `/templates/${old.id}`).expect(200);
});

test('edit through v2 and v1; delete through v2 and v1 removes the archive and the image', async () => {
  const e2 = await h.v2('post', `/templates/${v2Template.id}`).send({ name: 'Renamed Starter', icon: makePng(512, 512).toString('base64') });
  expect(e2.body).toMatchObject({ result: true, data: { template_name: 'Renamed Starter', template_icon: `${v2Template.id}-icon.png` } });
  const e1 = await h.v1({ cmd: 'edittemplate', id: v1Template.id as string, desc: 'edited in v1' });
  expect(e1.body).toMatchObject({ result: true, data: { 'template-desc': 'edited in v1', 'template-name': 'Starter v1' } });
  const notOwner = await h.v2('delete', `/templates/${v1Template.id}?user=uma`);
  expect({ status: notOwner.status, errcode: notOwner.body.errcode }).toEqual({ status: 403, errcode: 'invalid_argument_user' });

  const files2 = [v2Template.template_filename as string, `${v2Template.id}-image.png`, `${v2Template.id}-icon.png`];
  for (const f of files2) expect(fs.existsSync(path.join(templatesDir(), f))).toBe(true);
  expect((await h.v2('delete', `/templates/${v2Template.id}`).expect(200)).body.data.id).toBe(v2Template.id);
  for (const f of files2) expect(fs.existsSync(path.join(templatesDir(), f))).toBe(false);
  expect((await h.v1({ cmd: 'deletetemplate', id: v1Template.id as string })).body).toMatchObject({ result: true });
  expect(fs.existsSync(path.join(templatesDir(), v1Template['template-filename'] as string))).toBe(false);
  expect(fs.readdirSync(templatesDir())).toEqual([]);
  expect((await h.v2('get', '/templates?user=tina').expect(200)).body.data).toEqual([]);
  const gone = await h.v2('post', '/browser/wordpress/install').send({ url: `${h.site}/after`, user: 'tina', content: v2Template.id });
  expect({ status: gone.status, errcode: gone.body.errcode }).toEqual({ status: 404, errcode: 'template_not_found' });
  // Sites installed from a deleted template keep working.
  expect((await fetchPage(`${h.site}/from-v2/`)).body).toContain('Hello from the template');
});
