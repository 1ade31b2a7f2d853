import { zBackup, zInstall, zTemplate } from '@installgate/contracts';
import { makeBackupRecord, makeInstallRecord, makeTemplateRecord } from './fixtures';

describe('record fixtures', () => {
  it('build complete, zod-valid records with fresh ids', () => {
    const a = makeInstallRecord();
    const b = makeInstallRecord();
    expect(zInstall.parse(a)).toEqual(a);
    expect(a.id).not.toBe(b.id);
    expect(a).toMatchObject({ application: 'wordpress', url_domain: 'website.com', user: 'useraccountname', db_pass: 'dAtAbAsEpAs5//0rD' });
    expect(zBackup.parse(makeBackupRecord())).toBeTruthy();
    expect(zTemplate.parse(makeTemplateRecord())).toBeTruthy();
  });

  it('keep derived members consistent with overrides', () => {
    const i = makeInstallRecord({ id: 'abc', user: 'bob', url: 'https://shop.example/store', db_prefix: 'x_' });
    expect(i).toMatchObject({ url_domain: 'shop.example', path: '/home/bob/public_html/blog', file: '/home/bob/.appdata/current/abc' });
    expect(i.tables.every((tbl) => tbl.startsWith('x_'))).toBe(true);
    const b = makeBackupRecord({ id: 'bk', backup_install: 'abc', backup_note: 'n', title: 'My Shop' });
    expect(b).toMatchObject({ id: 'bk', backup_install: 'abc', backup_note: 'n', backup_filename: 'app_website-com_My-Shop_2021-01-01_12-00-00.tar.gz' });
    expect(makeTemplateRecord({ template_scope: 'app' }).template_scope).toBe('app');
  });

  it('refuse overrides that break the schema', () => {
    expect(() => makeInstallRecord({ autoup: 'often' as 'all' })).toThrow(expect.objectContaining({ errcode: 'internal_error' }));
  });
});
