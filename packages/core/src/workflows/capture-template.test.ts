import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ensureMirror } from '@installgate/testkit';
import { ADMIN_SCOPE } from '../access/actor';
import { makePng } from '../testing/make-png';
import { createTempEngine, type TempEngine } from '../testing/temp-engine';
import { errcodeOf } from '../testing/test-accounts';

/**
 * Capturing a template from a real (database-less) install: the archive in the templates folder matches the
 * record's size and sha256; scope defaults and the sharing rule; input errors; a capture that fails half-way
 * leaves no record and no file.
 */
jest.setTimeout(60_000);

const APPS = path.resolve(__dirname, '..', '..', '..', '..', 'apps');
const run = { background: false, dryrun: 'none' } as const;
const gus = { actor: { kind: 'account' as const, id: 'gus', type: 'user' as const } };
let t: TempEngine;
let homes: string;
let install: { id: string; path: string };

beforeAll(async () => {
  homes = fs.mkdtempSync(path.join(os.tmpdir(), 'ig-capture-'));
  t = await createTempEngine({ settings: { homesRoot: homes, appsDir: APPS, mirrorDir: await ensureMirror() } });
  await t.engine.users.create(ADMIN_SCOPE, { id: 'gus', email: 'gus@example.test', websites: [{ vhosts: { 'http://gus.test': 'public_html' } }] });
  install = (await t.engine.apps.install(gus, { application: 'testapp-static', url: 'http://gus.test/site', sitetitle: 'Captured' }, run)).data!;
  fs.writeFileSync(path.join(install.path, 'extra.txt'), 'added after the install');
});
afterAll(async () => {
  await t?.close();
  fs.rmSync(homes, { recursive: true, force: true });
});

const dir = () => t.engine.settings.templatesDir!;

test('a user captures a private template; the archive is the one the record describes', async () => {
  const made = (await t.engine.apps.template(gus, install.id, { name: ' Static starter ', icon: makePng(512, 512).toString('base64') }, run)).data!;
  expect(made).toMatchObject({ template_name: 'Static starter', template_scope: 'user', user: 'gus', template_install: install.id, template_application: 'testapp-static', template_appcategory: '_categories_miscellaneous', template_icon: `${made.id}-icon.png`, template_image: '' });
  expect(made.files).toContain('extra.txt');
  const archive = fs.readFileSync(path.join(dir(), made.template_filename));
  expect(archive.length).toBe(made.template_size);
  expect(createHash('sha256').update(archive).digest('hex')).toBe(made.template_sha256);
  expect(execFileSync('tar', ['tzf', path.join(dir(), made.template_filename)], { encoding: 'utf8' })).toContain('files/extra.txt');
  expect((await t.engine.templates.get(gus, made.id)).template_sha256).toBe(made.template_sha256);
  // The admin's default is `admin` (shared).
  expect((await t.engine.apps.template(ADMIN_SCOPE, install.id, { name: 'Shared' }, run)).data!.template_scope).toBe('admin');
});

test('input errors: name, scope (sharing is for the admin and resellers), appcategory, image; dry runs write nothing', async () => {
  expect(await errcodeOf(t.engine.apps.template(gus, install.id, {}, run))).toBe('empty_argument_name');
  expect(await errcodeOf(t.engine.apps.template(gus, install.id, { name: ' ' }, run))).toBe('empty_argument_name');
  expect(await errcodeOf(t.engine.apps.template(gus, install.id, { name: 'x', scope: 'admin' }, run))).toBe('invalid_argument_scope');
  expect(await errcodeOf(t.engine.apps.template(gus, install.id, { name: 'x', appcategory: 'games' }, run))).toBe('invalid_argument_appcategory');
  expect(await errcodeOf(t.engine.apps.template(gus, install.id, { name: 'x', image: makePng(100, 100).toString('base64') }, run))).toBe('invalid_argument_image');
  expect(await errcodeOf(t.engine.apps.template(gus, 'nosuchinstall', { name: 'x' }, run))).toBe('install_not_found');
  const before = fs.readdirSync(dir()).sort();
  expect(await t.engine.apps.template(gus, install.id, { name: 'dry' }, { background: false, dryrun: 'all' })).toEqual({ data: null, dryrun: true });
  expect(fs.readdirSync(dir()).sort()).toEqual(before);
});

test('a capture that fails half-way (a FIFO the archive cannot hold) lists nothing and leaves no file', async () => {
  const before = fs.readdirSync(dir()).sort();
  const listed = (await t.engine.templates.list(ADMIN_SCOPE, { offset: 0, limit: 50 })).total_count;
  const fifo = path.join(install.path, 'pipe');
  execFileSync('mkfifo', [fifo]);
  try {
    expect(await errcodeOf(t.engine.apps.template(gus, install.id, { name: 'Broken', icon: makePng(512, 512).toString('base64') }, run))).toBe('internal_error');
  } finally {
    fs.rmSync(fifo);
  }
  expect(fs.readdirSync(dir()).sort()).toEqual(before);
  expect((await t.engine.templates.list(ADMIN_SCOPE, { offset: 0, limit: 50 })).total_count).toBe(listed);
});
