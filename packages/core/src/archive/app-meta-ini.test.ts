import { makeBackupRecord, makeInstallRecord } from '../testing/fixtures';
import { readAppMeta, writeAppMeta } from './app-meta-ini';

const extra = { format_version: 1 as const, created_by: 'installgate/test', manifest_sha256: '', dump_file: 'database.sql', files_root: 'files' };

describe('APP-META.INI', () => {
  test.each([
    ['= and ;', 'a = b; c # d'],
    ['newlines and quotes', 'line 1\nline "2"\r\n\'three\''],
    ['emoji', '😀🎉 Blog — ünïcødé'],
    ['brackets and spaces', ' [section] '],
    ['looks like a boolean', 'true'],
    ['looks like null', 'null'],
    ['backslashes', 'C:\\path\\;x'],
  ])('round-trips a title with %s', (_name, title) => {
    const rec = makeBackupRecord({ title, sitetitle: title, backup_note: `${title}!`, exclude_files: ['wp-content/cache', 'a=b;c'], plugins: [{ id: 'akismet', version: '5.0', activated: true, autoup: 'all' }] });
    const text = writeAppMeta(rec, extra);
    const back = readAppMeta(text);
    expect(back.kind).toBe('backup');
    expect(back.record).toEqual({ ...rec, db_pass: '' });
    expect(back.format_version).toBe(1);
  });

  test('db_pass is never written', () => {
    const rec = makeInstallRecord({ db_pass: 'S3cret-Pass_word' });
    const text = writeAppMeta(rec, extra);
    expect(text).not.toContain('S3cret-Pass_word');
    expect(text).not.toMatch(/^db_pass/m);
    const back = readAppMeta(text);
    expect(back.kind).toBe('install');
    expect(back.record).toEqual({ ...rec, db_pass: '' });
  });

  test('invalid meta → failed_backup_format', () => {
    expect(() => readAppMeta('hello')).toThrow(expect.objectContaining({ errcode: 'failed_backup_format' }));
    const text = writeAppMeta(makeInstallRecord(), extra).replace(/^time_created=.*$/m, 'time_created=soon');
    expect(() => readAppMeta(text)).toThrow(expect.objectContaining({ errcode: 'failed_backup_format' }));
  });
});
