import { toV1Data, toV2Data } from './field-maps';
import { SEED_BACKUP_V2 } from '../test/seed-backup';

/** The published GET /backups/{id} record, translated to v1 and back (golden example). */
describe('seed backup record (shared/seeds/backups-view.txt)', () => {
  const v1 = toV1Data('backup', SEED_BACKUP_V2) as Record<string, unknown>;

  it('uses the v1 names and encodings', () => {
    expect(v1['list-files']).toEqual(SEED_BACKUP_V2.files);
    expect(v1.installer).toBe('wordpress');
    expect(v1['cf-login']).toBe('admin123');
    expect(v1.time).toBe(1611356510);
    expect(v1.autoup).toBe(1);
    expect(v1['autoup-plugins']).toBe(0);
    expect(v1['autoup-backup']).toBe(1);
    expect(v1.autobk).toBe('1234567890abcdefghij1234567890ab');
    expect(v1['list-notification']).toBe('');
    expect(v1.owner).toBe('useraccountname');
    expect(v1['url-domain']).toBe('website.com');
    expect(v1['backup-filename']).toBe('app__My-blog_2020-12-31_23-59-59.tar.gz');
    expect(v1['cache-numerrors']).toBe(1);
    expect(v1['version-updates-available']).toBe(3);
    expect(v1['list-themes']).toEqual([
      { id: 'twentytwentythree', version: '1.6', active: false, autoup: 'all' },
      { id: 'twentytwentyfive', version: '1.1', active: false, autoup: 'all' },
    ]);
    expect((v1['list-plugins'] as unknown[])[1]).toEqual({ id: 'limit-login-attempts-reloaded', version: '2.26.18', activated: true, autoup: 'all' });
  });

  it('has no v2 name left', () => {
    for (const v2Only of ['files', 'application', 'login', 'time_created', 'user', 'notification', 'autobk_schedule', 'backup_filename', 'themes']) {
      expect(v1).not.toHaveProperty([v2Only]);
    }
  });

  it('comes back as the seed, themes normalised to the v2 `activated`', () => {
    const themes = (SEED_BACKUP_V2.themes as Array<Record<string, unknown>>).map(({ active, ...rest }) => ({ ...rest, activated: active }));
    expect(toV2Data('backup', v1)).toStrictEqual({ ...SEED_BACKUP_V2, themes });
  });
});
