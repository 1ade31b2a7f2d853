import { ADMIN_SCOPE } from '../access/actor';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { makeTemplateRecord } from '../testing/fixtures';
import { makePng } from '../testing/make-png';
import { createTempEngine, type TempEngine } from '../testing/temp-engine';
import { errcodeOf, seedAccounts } from '../testing/test-accounts';

describe('templates service', () => {
  let t: TempEngine;
  let s: Awaited<ReturnType<typeof seedAccounts>>;
  const page = { offset: 0, limit: 50 };
  const ids = (l: { items: Array<{ id: string }> }) => l.items.map((x) => x.id);

  beforeEach(async () => {
    t = await createTempEngine();
    s = await seedAccounts(t.engine);
    const { templates } = t.engine;
    await templates.insert(makeTemplateRecord({ id: 't-u1', user: 'u1', template_time: 10, template_name: 'Mine' }));
    await templates.insert(makeTemplateRecord({ id: 't-u2', user: 'u2', template_time: 20 }));
    await templates.insert(makeTemplateRecord({ id: 't-adm', user: 'r1', template_time: 30, template_scope: 'admin', template_name: 'Agency Starter' }));
    await templates.insert(makeTemplateRecord({ id: 't-app', user: 'u3', template_time: 40, template_scope: 'app' }));
  });
  afterEach(() => t.close());

  it('lists own plus shared templates, newest first', async () => {
    const { templates } = t.engine;
    expect(ids(await templates.list(ADMIN_SCOPE, page))).toEqual(['t-app', 't-adm', 't-u2', 't-u1']);
    expect(ids(await templates.list(s.u1, page))).toEqual(['t-app', 't-adm', 't-u1']);
    expect(ids(await templates.list(ADMIN_SCOPE, { ...page, user: 'u2' }))).toEqual(['t-app', 't-adm', 't-u2']);
    expect(ids(await templates.list(s.u1, { ...page, q: 'starter' }))).toEqual(['t-adm']);
    expect(await errcodeOf(templates.list(s.u1, { ...page, user: 'u2' }))).toBe('invalid_argument_user');
  });

  it('gets own and shared templates only', async () => {
    const { templates } = t.engine;
    expect((await templates.get(s.u1, 't-app')).id).toBe('t-app');
    expect((await templates.get(s.r1, 't-u1')).id).toBe('t-u1');
    expect(await errcodeOf(templates.get(s.u1, 't-u2'))).toBe('invalid_argument_user');
    expect(await errcodeOf(templates.get(s.u1, 'nope'))).toBe('template_not_found');
  });

  it('edits template members; shared templates stay read-only to others; only admin/resellers share', async () => {
    const { templates } = t.engine;
    const before = await templates.get(ADMIN_SCOPE, 't-u1');
    const after = await templates.edit(s.u1, 't-u1', { name: 'Renamed', desc: 'd', image: makePng(1024, 640).toString('base64'), appcategory: 'blog' });
    expect(after).toEqual({ ...before, template_name: 'Renamed', template_desc: 'd', template_image: 't-u1-image.png', template_appcategory: 'blog' });
    const dir = t.engine.settings.templatesDir!;
    expect(fs.readFileSync(path.join(dir, 't-u1-image.png')).equals(makePng(1024, 640))).toBe(true);
    expect(await errcodeOf(templates.edit(s.u1, 't-u1', { image: 'https://img.example/x.png' }))).toBe('invalid_argument_image');
    expect(await errcodeOf(templates.edit(s.u1, 't-u1', { icon: makePng(1024, 640).toString('base64') }))).toBe('invalid_argument_icon');
    expect((await templates.edit(s.u1, 't-u1', { image: '' })).template_image).toBe('');
    expect(fs.existsSync(path.join(dir, 't-u1-image.png'))).toBe(false);
    await templates.edit(s.u1, 't-u1', { image: makePng(1024, 640).toString('base64') });
    expect((await templates.get(ADMIN_SCOPE, 't-u1')).template_image).toEqual(after.template_image);
    expect(await errcodeOf(templates.edit(s.u1, 't-app', { name: 'x' }))).toBe('invalid_argument_user');
    expect(await errcodeOf(templates.edit(s.u1, 't-u1', { scope: 'app' }))).toBe('invalid_argument_scope');
    expect(await errcodeOf(templates.edit(s.u1, 't-u1', { scope: 'world' as 'app' }))).toBe('invalid_argument_scope');
    expect(await errcodeOf(templates.edit(s.u1, 't-u1', { name: ' ' }))).toBe('invalid_argument_name');
    expect(await errcodeOf(templates.edit(s.u1, 't-u1', { template_name: 'x' } as never))).toBe('invalid_argument_template_name');
    expect((await templates.edit(s.r1, 't-u1', { scope: 'admin' })).template_scope).toBe('admin');
  });

  it('deletes the record, its archive and its images', async () => {
    const { templates } = t.engine;
    const dir = t.engine.settings.templatesDir!;
    fs.mkdirSync(dir, { recursive: true });
    await templates.edit(s.u1, 't-u1', { icon: makePng(512, 512).toString('base64') });
    const archive = (await templates.get(ADMIN_SCOPE, 't-u1')).template_filename;
    fs.writeFileSync(path.join(dir, archive), 'archive bytes');
    expect(await errcodeOf(templates.delete(s.u1, 't-adm'))).toBe('invalid_argument_user');
    expect((await templates.delete(s.u1, 't-u1')).id).toBe('t-u1');
    expect(await errcodeOf(templates.get(ADMIN_SCOPE, 't-u1'))).toBe('template_not_found');
    expect(fs.readdirSync(dir)).toEqual([]);
    expect(await errcodeOf(templates.delete(s.u1, 't-u1'))).toBe('template_not_found');
    const logged = await t.engine.logs.list(ADMIN_SCOPE, { ...page, user: 'u1' });
    expect(logged.items.map((e) => e.cmd)).toEqual(['templates/delete', 'templates/edit', 'users/create']);
  });
});
