import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Template } from '@installgate/contracts';
import { ensureMirror } from '@installgate/testkit';
import { ADMIN_SCOPE } from '../access/actor';
import { createTempEngine, type TempEngine } from '../testing/temp-engine';
import { errcodeOf } from '../testing/test-accounts';

/**
 * Installing with `content=<template id>` for an application without a database: the new site is the template's
 * files with the new title; the template's version is kept; wrong application, version, a changed or missing
 * archive and someone else's private template are refused before anything is written.
 */
jest.setTimeout(60_000);

const APPS = path.resolve(__dirname, '..', '..', '..', '..', 'apps');
const run = { background: false, dryrun: 'none' } as const;
const gus = { actor: { kind: 'account' as const, id: 'gus', type: 'user' as const } };
const ida = { actor: { kind: 'account' as const, id: 'ida', type: 'user' as const } };
let t: TempEngine;
let homes: string;
let template: Template;

beforeAll(async () => {
  homes = fs.mkdtempSync(path.join(os.tmpdir(), 'ig-from-template-'));
  t = await createTempEngine({ settings: { homesRoot: homes, appsDir: APPS, mirrorDir: await ensureMirror() } });
  for (const id of ['gus', 'ida']) await t.engine.users.create(ADMIN_SCOPE, { id, email: `${id}@example.test`, websites: [{ vhosts: { [`http://${id}.test`]: 'public_html' } }] });
  const install = (await t.engine.apps.install(gus, { application: 'testapp-static', version: '1.0.0', url: 'http://gus.test/site', sitetitle: 'Original' }, run)).data!;
  fs.mkdirSync(path.join(install.path, 'assets'));
  fs.writeFileSync(path.join(install.path, 'assets', 'logo.txt'), 'the template logo');
  template = (await t.engine.apps.template(gus, install.id, { name: 'Static' }, run)).data!;
});
afterAll(async () => {
  await t?.close();
  fs.rmSync(homes, { recursive: true, force: true });
});

const siteDir = (user: string, name: string) => path.join(homes, user, 'public_html', name);

test('the new site holds the template\'s files at the template\'s version, under its own title', async () => {
  const r = await t.engine.apps.install(gus, { application: 'testapp-static', url: 'http://gus.test/copy', content: template.id, sitetitle: 'Copy Title' }, run);
  const copy = r.data!;
  expect(copy).toMatchObject({ url: 'http://gus.test/copy', version: '1.0.0', title: 'Copy Title', sitetitle: 'Copy Title', user: 'gus', incomplete: false, path: siteDir('gus', 'copy') });
  expect(copy.id).not.toBe(template.template_install);
  expect(fs.readFileSync(path.join(copy.path, 'assets', 'logo.txt'), 'utf8')).toBe('the template logo');
  const html = fs.readFileSync(path.join(copy.path, 'index.html'), 'utf8');
  expect(html).toContain('<title>Copy Title</title>');
  expect(copy.files).toEqual(expect.arrayContaining(['assets', 'index.html']));
  expect(fs.readdirSync(copy.path).filter((n) => n.startsWith('.ig-'))).toEqual([]);
  // The source is as it was.
  expect(fs.readFileSync(path.join(siteDir('gus', 'site'), 'index.html'), 'utf8')).toContain('<title>Original</title>');
});

test('refusals write nothing: other application, other version, private template, changed or missing archive', async () => {
  const req = (extra: Record<string, string>) => ({ application: 'testapp-static', url: 'http://gus.test/refused', content: template.id, ...extra });
  expect(await errcodeOf(t.engine.apps.install(gus, { ...req({}), application: 'testapp-db' }, run))).toBe('invalid_argument_content');
  expect(await errcodeOf(t.engine.apps.install(gus, req({ version: '1.1.0' }), run))).toBe('invalid_argument_version');
  expect(await errcodeOf(t.engine.apps.install(ida, { ...req({}), url: 'http://ida.test/x' }, run))).toBe('invalid_argument_user');
  expect(await errcodeOf(t.engine.apps.install(ADMIN_SCOPE, { ...req({}), url: 'http://ida.test/x' }, run))).toBe('invalid_argument_user');
  expect(await errcodeOf(t.engine.apps.install(gus, req({ content: 'nosuchtemplate' }), run))).toBe('template_not_found');
  const archive = path.join(t.engine.settings.templatesDir!, template.template_filename);
  const good = fs.readFileSync(archive);
  const flipped = Buffer.from(good);
  flipped[flipped.length - 10] ^= 0xff;
  fs.writeFileSync(archive, flipped);
  expect(await errcodeOf(t.engine.apps.install(gus, req({}), run))).toBe('template_not_found');
  fs.rmSync(archive);
  expect(await errcodeOf(t.engine.apps.install(gus, req({}), run))).toBe('template_not_found');
  fs.writeFileSync(archive, good);
  expect(fs.existsSync(siteDir('gus', 'refused'))).toBe(false);
  expect(fs.existsSync(siteDir('ida', 'x'))).toBe(false);
  expect((await t.engine.installs.list(ADMIN_SCOPE, { offset: 0, limit: 50 })).items.map((i) => i.url).sort()).toEqual(['http://gus.test/copy', 'http://gus.test/site']);
});
