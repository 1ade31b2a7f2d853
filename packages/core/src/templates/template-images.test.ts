import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { User } from '@installgate/contracts';
import { makePng } from '../testing/make-png';
import { checkTemplateImage, readTemplateImage, storeTemplateImage } from './template-images';
import { removeTemplateFiles, templateFilePath } from './template-files';

const errOf = async (p: Promise<unknown>) => p.then(() => null, (e: { errcode?: string; errfield?: string }) => ({ errcode: e.errcode, errfield: e.errfield }));

describe('template images', () => {
  let dir: string;
  let owner: User;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ig-tpl-img-'));
    fs.mkdirSync(path.join(dir, 'site'));
    owner = { id: 'u1', websites: [{ path: path.join(dir, 'site') }] } as unknown as User;
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('accepts the spec sizes as base64, as a data: URI, and as a file in the website', async () => {
    const image = makePng(1024, 640);
    expect((await readTemplateImage('image', image.toString('base64'), owner)).equals(image)).toBe(true);
    expect((await readTemplateImage('image', `data:image/png;base64,${makePng(2048, 1280).toString('base64')}`, owner)).length).toBeGreaterThan(0);
    fs.writeFileSync(path.join(dir, 'site', 'icon.png'), makePng(512, 512));
    expect((await readTemplateImage('icon', path.join(dir, 'site', 'icon.png'), owner)).equals(makePng(512, 512))).toBe(true);
  });

  it('refuses other sizes, non-PNG data, files outside the websites, URLs and oversize data', async () => {
    expect(await errOf(readTemplateImage('image', makePng(512, 512).toString('base64'), owner))).toEqual({ errcode: 'invalid_argument_image', errfield: 'image' });
    expect(await errOf(readTemplateImage('icon', makePng(1024, 640).toString('base64'), owner))).toEqual({ errcode: 'invalid_argument_icon', errfield: 'icon' });
    expect(await errOf(readTemplateImage('image', Buffer.from('GIF89a not a png').toString('base64'), owner))).toMatchObject({ errcode: 'invalid_argument_image' });
    expect(await errOf(readTemplateImage('image', 'https://img.example/x.png', owner))).toMatchObject({ errcode: 'invalid_argument_image' });
    fs.writeFileSync(path.join(dir, 'outside.png'), makePng(1024, 640));
    expect(await errOf(readTemplateImage('image', path.join(dir, 'outside.png'), owner))).toMatchObject({ errcode: 'invalid_argument_image' });
    // A symlink inside the website pointing out of it is outside too.
    fs.symlinkSync(path.join(dir, 'outside.png'), path.join(dir, 'site', 'link.png'));
    expect(await errOf(readTemplateImage('image', path.join(dir, 'site', 'link.png'), owner))).toMatchObject({ errcode: 'invalid_argument_image' });
    const big = Buffer.concat([makePng(1024, 640), Buffer.alloc(1024 * 1024)]);
    expect(() => checkTemplateImage('image', big)).toThrow(/smaller than 1024 KB/);
    expect(() => checkTemplateImage('icon', Buffer.concat([makePng(512, 512), Buffer.alloc(300 * 1024)]))).toThrow(/smaller than 300 KB/);
  });

  it('stores images under the template id and removes a template\'s files by the record\'s names only', async () => {
    const name = await storeTemplateImage(path.join(dir, 'templates'), 'tpl1', 'icon', makePng(512, 512));
    expect(name).toBe('tpl1-icon.png');
    fs.writeFileSync(path.join(dir, 'templates', 'a.tar.gz'), 'x');
    expect(fs.readdirSync(path.join(dir, 'templates')).sort()).toEqual(['a.tar.gz', 'tpl1-icon.png']);
    expect(templateFilePath(dir, '../etc/passwd')).toBeNull();
    expect(templateFilePath(dir, '')).toBeNull();
    await removeTemplateFiles(path.join(dir, 'templates'), { template_filename: 'a.tar.gz', template_image: '', template_icon: name });
    expect(fs.readdirSync(path.join(dir, 'templates'))).toEqual([]);
    // A record naming a path elsewhere removes nothing there.
    fs.writeFileSync(path.join(dir, 'keep.txt'), 'x');
    await removeTemplateFiles(path.join(dir, 'templates'), { template_filename: '../keep.txt', template_image: '', template_icon: '' });
    expect(fs.existsSync(path.join(dir, 'keep.txt'))).toBe(true);
  });
});
