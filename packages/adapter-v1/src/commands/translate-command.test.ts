import { EngineError } from '@installgate/contracts';
import { translateCommand } from './translate-command';

const t = (params: Record<string, unknown>) => translateCommand({ api: 'json', key: 'k', ...params });

function errorOf(fn: () => unknown): EngineError {
  try {
    fn();
  } catch (e) {
    if (e instanceof EngineError) return e;
    throw e;
  }
  throw new Error('expected an EngineError');
}

describe('translateCommand: routing', () => {
  it('cmd=installs keeps id and user as filter parameters and strips api/key/api_version/websites', () => {
    expect(t({ cmd: 'installs', user: 'bob', id: 'abc', api_version: '2.0', websites: '[]' })).toStrictEqual({
      op: 'installs.list', method: 'GET', path: '/installs', pathParams: {}, params: { user: 'bob', id: 'abc' },
    });
  });

  it('moves id into the path', () => {
    expect(t({ cmd: 'view', id: 'abc', addons: '1' })).toStrictEqual({
      op: 'installs.get', method: 'GET', path: '/installs/abc', pathParams: { id: 'abc' }, params: { addons: true },
    });
    expect(t({ cmd: 'uninstall', id: 'abc' })).toMatchObject({ op: 'installs.uninstall', method: 'DELETE', path: '/installs/abc' });
  });

  it('URI-encodes path segments and keeps the decoded value in pathParams', () => {
    expect(t({ cmd: 'edit', id: 'a/b c', 'activate-plugin': 'x?y' })).toMatchObject({
      path: '/installs/a%2Fb%20c/plugins/x%3Fy', pathParams: { id: 'a/b c', slug: 'x?y' },
    });
  });

  it.each([
    ['backup', 'installs.backup', 'POST', '/installs/i1/backup'],
    ['update', 'installs.update', 'POST', '/installs/i1/update'],
    ['upgrade', 'installs.update', 'POST', '/installs/i1/update'],
    ['template', 'installs.template', 'POST', '/installs/i1/template'],
    ['clone', 'installs.clone', 'POST', '/installs/i1/clone'],
    ['sync', 'installs.sync', 'POST', '/installs/i1/sync'],
    ['createadminsso', 'installs.login', 'POST', '/installs/i1/login'],
    ['detach', 'installs.detach', 'POST', '/installs/i1/detach'],
    ['edit', 'installs.edit', 'POST', '/installs/i1'],
    ['editbackup', 'backups.edit', 'POST', '/backups/i1'],
    ['restoreto', 'backups.restoreto', 'POST', '/backups/i1/restoreto'],
    ['delete', 'backups.delete', 'DELETE', '/backups/i1'],
    ['edittemplate', 'templates.edit', 'POST', '/templates/i1'],
    ['deletetemplate', 'templates.delete', 'DELETE', '/templates/i1'],
  ])('cmd=%s&id=i1 → %s', (cmd, op, method, path) => {
    expect(t({ cmd, id: 'i1' })).toStrictEqual({ op, method, path, pathParams: { id: 'i1' }, params: {} });
  });

  it('update and upgrade are the same call', () => {
    const q = { id: 'i1', version: 'current', revert: 'yes', plugin: '*', theme: 'a,b', background: 'quick' };
    expect(t({ cmd: 'upgrade', ...q })).toStrictEqual(t({ cmd: 'update', ...q }));
    expect(t({ cmd: 'update', ...q }).params).toStrictEqual({ version: 'current', revert: true, plugins: [], themes: ['a', 'b'], background: 'quick' });
  });

  it.each([
    [{ cmd: 'backups' }, 'backups.list', '/backups'],
    [{ cmd: 'backups', id: 'b1' }, 'backups.get', '/backups/b1'],
    [{ cmd: 'restore', id: 'b1' }, 'backups.restore', '/backups/b1/restore'],
    [{ cmd: 'restore', id: 'b1', url: '' }, 'backups.restore', '/backups/b1/restore'],
    [{ cmd: 'restore', id: 'b1', url: 'https://x.test/' }, 'backups.restoreto', '/backups/b1/restoreto'],
    [{ cmd: 'import', application: 'wordpress', url: 'https://x.test/' }, 'browser.import', '/browser/wordpress/import'],
    [{ cmd: 'import', application: 'wordpress', url: 'https://x.test/', source_url: 'https://old.test/' }, 'browser.migrate', '/browser/wordpress/migrate'],
    [{ cmd: 'migrate', application: 'wordpress' }, 'browser.migrate', '/browser/wordpress/migrate'],
    [{ cmd: 'install', application: 'wordpress' }, 'browser.install', '/browser/wordpress/install'],
    [{ cmd: 'browser' }, 'browser.list', '/browser'],
    [{ cmd: 'browser', application: 'magento' }, 'browser.get', '/browser/magento'],
    [{ cmd: 'browser', application: ['magento'] }, 'browser.get', '/browser/magento'],
    [{ cmd: 'browser', application: ['magento', 'wordpress'] }, 'browser.list', '/browser'],
    [{ cmd: 'browser', application: 'magento,wordpress' }, 'browser.list', '/browser'],
    [{ cmd: 'importbackup', user: 'bob', path: 'backups/a.tar.gz' }, 'backups.import', '/backups/import'],
    [{ cmd: 'templates' }, 'templates.list', '/templates'],
    [{ cmd: 'users', user: 'bob' }, 'users.list', '/users'],
    [{ cmd: 'edituser', user: 'bob' }, 'users.edit', '/users/bob'],
    [{ cmd: 'guixfer', user: 'bob' }, 'users.login', '/users/bob/login'],
    [{ cmd: 'deleteuser', user: 'bob' }, 'users.delete', '/users/bob'],
    [{ cmd: 'logs' }, 'logs.list', '/logs'],
    [{ cmd: 'tasks' }, 'tasks.list', '/tasks'],
  ])('%j → %s %s', (q, op, path) => {
    expect(t(q)).toMatchObject({ op, path });
  });

  it('keeps source_url on a migration and url on a restore elsewhere', () => {
    expect(t({ cmd: 'import', application: 'wordpress', url: 'u', source_url: 's', source_ftu: 'sftp://a:b@h/x', source_ftu_key: '/k' }).params)
      .toStrictEqual({ url: 'u', source_url: 's', source_ftu: 'sftp://a:b@h/x', source_ftu_key: '/k' });
    expect(t({ cmd: 'restore', id: 'b1', url: 'u', db: 'manual' }).params).toStrictEqual({ url: 'u', db: 'manual' });
  });

  it('several applications become an array filter', () => {
    expect(t({ cmd: 'browser', application: 'magento, wordpress' }).params).toStrictEqual({ application: ['magento', 'wordpress'] });
  });

  it('users: user stays a scope parameter; user commands move it into the path', () => {
    expect(t({ cmd: 'users', user: 'bob' }).params).toStrictEqual({ user: 'bob' });
    expect(t({ cmd: 'guixfer', user: 'bob', language: 'en' })).toMatchObject({ pathParams: { id: 'bob' }, params: { language: 'en' } });
  });

  it('edituser keeps its websites as the v2 payload', () => {
    const websites = JSON.stringify([{ label: 'site', path: '/home/bob', suspended: 'no', reseller: 'r1' }]);
    expect(t({ cmd: 'edituser', user: 'bob', websites, suspended: 'yes' }).params).toStrictEqual({
      websites: [{ label: 'site', path: '/home/bob', suspended: false, parent: 'r1' }], suspended: true,
    });
  });

  it('accepts the cmd in any case and as a one-element array', () => {
    expect(t({ cmd: ' Installs ' }).op).toBe('installs.list');
    expect(t({ cmd: ['tasks'] }).op).toBe('tasks.list');
  });
});

describe('translateCommand: cmd=edit selectors (spec §4.2)', () => {
  describe.each(['plugin', 'theme'])('%ss', (kind) => {
    const base = { cmd: 'edit', id: 'i1' };
    const one = (params: Record<string, unknown>) => t({ ...base, ...params });
    it(`list-${kind}s=1 → GET /installs/i1/${kind}s`, () => {
      expect(one({ [`list-${kind}s`]: '1' })).toStrictEqual({
        op: `${kind}s.list`, method: 'GET', path: `/installs/i1/${kind}s`, pathParams: { id: 'i1' }, params: {},
      });
    });
    it.each([
      [`install-${kind}`, {}],
      [`activate-${kind}`, { activated: true }],
      [`deactivate-${kind}`, { activated: false }],
      [`auotup-${kind}`, { autoup: 'all' }],
      [`autoup-${kind}`, { autoup: 'all' }],
      [`noautoup-${kind}`, { autoup: 'none' }],
    ])('%s=S → POST /installs/i1/%ss/S %j', (selector, params) => {
      expect(one({ [selector]: 'akismet' })).toStrictEqual({
        op: `${kind}s.edit`, method: 'POST', path: `/installs/i1/${kind}s/akismet`, pathParams: { id: 'i1', slug: 'akismet' }, params,
      });
    });
    it(`uninstall-${kind}=S → DELETE`, () => {
      expect(one({ [`uninstall-${kind}`]: 'akismet', dryrun: '1' })).toStrictEqual({
        op: `${kind}s.uninstall`, method: 'DELETE', path: `/installs/i1/${kind}s/akismet`, pathParams: { id: 'i1', slug: 'akismet' }, params: { dryrun: 'input' },
      });
    });
    it('combines agreeing selectors into one edit', () => {
      expect(one({ [`activate-${kind}`]: 's', [`auotup-${kind}`]: 's' }).params).toStrictEqual({ activated: true, autoup: 'all' });
    });
    it('refuses contradicting selectors', () => {
      expect(errorOf(() => one({ [`activate-${kind}`]: 's', [`deactivate-${kind}`]: 's' })).errcode).toMatch(/^invalid_argument_/);
      expect(errorOf(() => one({ [`activate-${kind}`]: 's', [`auotup-${kind}`]: 't' })).errfield).toBe(`auotup-${kind}`);
      expect(errorOf(() => one({ [`list-${kind}s`]: '1', [`uninstall-${kind}`]: 's' })).errfield).toBe(`uninstall-${kind}`);
    });
    it('refuses a selector without a slug', () => {
      expect(errorOf(() => one({ [`activate-${kind}`]: [] })).errcode).toBe(`invalid_argument_activate_${kind}`);
    });
  });
  it('refuses a plugin and a theme selector in one request', () => {
    expect(errorOf(() => t({ cmd: 'edit', id: 'i', 'activate-plugin': 'a', 'activate-theme': 'b' })).errfield).toBe('activate-theme');
  });
});

describe('translateCommand: errors', () => {
  it('unknown cmd → invalid_argument_cmd (errfield cmd)', () => {
    const e = errorOf(() => t({ cmd: 'frobnicate' }));
    expect([e.errcode, e.errfield]).toEqual(['invalid_argument_cmd', 'cmd']);
  });
  it('missing cmd → empty_argument_cmd', () => {
    expect(errorOf(() => t({})).errcode).toBe('empty_argument_cmd');
    expect(errorOf(() => t({ cmd: '' })).errcode).toBe('empty_argument_cmd');
    expect(errorOf(() => t({ cmd: { a: 1 } })).errcode).toBe('invalid_argument_cmd');
  });
  it.each(['view', 'edit', 'backup', 'update', 'upgrade', 'clone', 'uninstall', 'editbackup', 'restore', 'delete', 'deletetemplate'])(
    'cmd=%s without id → empty_argument_id',
    (cmd) => {
      const e = errorOf(() => t({ cmd }));
      expect([e.errcode, e.errfield]).toEqual(['empty_argument_id', 'id']);
    },
  );
  it.each(['edituser', 'guixfer', 'deleteuser'])('cmd=%s without user → empty_argument_user', (cmd) => {
    const e = errorOf(() => t({ cmd, user: '' }));
    expect([e.errcode, e.errfield]).toEqual(['empty_argument_user', 'user']);
  });
  it('cmd=install without application → empty_argument_application', () => {
    expect(errorOf(() => t({ cmd: 'install', url: 'u' })).errcode).toBe('empty_argument_application');
  });
  it('an id that is not one string → invalid_argument_id', () => {
    expect(errorOf(() => t({ cmd: 'view', id: ['a', 'b'] })).errcode).toBe('invalid_argument_id');
  });
  it('an autoup integer outside the table → invalid_argument_autoup', () => {
    const e = errorOf(() => t({ cmd: 'edit', id: 'i', autoup: '5' }));
    expect([e.errcode, e.errfield]).toEqual(['invalid_argument_autoup', 'autoup']);
    expect(errorOf(() => t({ cmd: 'install', application: 'w', autoup_plugins: '3' })).errfield).toBe('autoup_plugins');
  });
  it('a selector-implied value contradicted by an explicit parameter is refused', () => {
    expect(errorOf(() => t({ cmd: 'edit', id: 'i', 'activate-plugin': 's', activated: false })).errfield).toBe('activated');
  });
});
