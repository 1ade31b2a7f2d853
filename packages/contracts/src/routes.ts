/**
 * The v2 endpoints (spec §2.0): method, path template and the name of the operation behind it.
 * The v1 command table points at these operations, the server registers one handler per operation, and the
 * compat suites walk this list. `task` is the task `cmd` name used for long operations (spec §6).
 */
export const V2_ROUTES = [
  { op: 'browser.list', method: 'GET', path: '/browser' },
  { op: 'browser.get', method: 'GET', path: '/browser/:id' },
  { op: 'browser.install', method: 'POST', path: '/browser/:id/install' },
  { op: 'browser.import', method: 'POST', path: '/browser/:id/import' },
  { op: 'browser.migrate', method: 'POST', path: '/browser/:id/migrate' },
  { op: 'installs.list', method: 'GET', path: '/installs' },
  { op: 'installs.get', method: 'GET', path: '/installs/:id' },
  { op: 'installs.edit', method: 'POST', path: '/installs/:id' },
  { op: 'installs.update', method: 'POST', path: '/installs/:id/update' },
  { op: 'installs.backup', method: 'POST', path: '/installs/:id/backup' },
  { op: 'installs.template', method: 'POST', path: '/installs/:id/template' },
  { op: 'installs.clone', method: 'POST', path: '/installs/:id/clone' },
  { op: 'installs.sync', method: 'POST', path: '/installs/:id/sync' },
  { op: 'installs.login', method: 'POST', path: '/installs/:id/login' },
  { op: 'installs.detach', method: 'POST', path: '/installs/:id/detach' },
  { op: 'installs.uninstall', method: 'DELETE', path: '/installs/:id' },
  { op: 'plugins.list', method: 'GET', path: '/installs/:id/plugins' },
  { op: 'plugins.get', method: 'GET', path: '/installs/:id/plugins/:slug' },
  { op: 'plugins.edit', method: 'POST', path: '/installs/:id/plugins/:slug' },
  { op: 'plugins.uninstall', method: 'DELETE', path: '/installs/:id/plugins/:slug' },
  { op: 'themes.list', method: 'GET', path: '/installs/:id/themes' },
  { op: 'themes.get', method: 'GET', path: '/installs/:id/themes/:slug' },
  { op: 'themes.edit', method: 'POST', path: '/installs/:id/themes/:slug' },
  { op: 'themes.uninstall', method: 'DELETE', path: '/installs/:id/themes/:slug' },
  { op: 'backups.list', method: 'GET', path: '/backups' },
  // /backups/import must be matched before /backups/:id.
  { op: 'backups.import', method: 'POST', path: '/backups/import' },
  { op: 'backups.get', method: 'GET', path: '/backups/:id' },
  { op: 'backups.edit', method: 'POST', path: '/backups/:id' },
  { op: 'backups.restore', method: 'POST', path: '/backups/:id/restore' },
  { op: 'backups.restoreto', method: 'POST', path: '/backups/:id/restoreto' },
  { op: 'backups.delete', method: 'DELETE', path: '/backups/:id' },
  { op: 'templates.list', method: 'GET', path: '/templates' },
  { op: 'templates.edit', method: 'POST', path: '/templates/:id' },
  { op: 'templates.delete', method: 'DELETE', path: '/templates/:id' },
  { op: 'users.list', method: 'GET', path: '/users' },
  { op: 'users.create', method: 'POST', path: '/users' },
  { op: 'users.get', method: 'GET', path: '/users/:id' },
  { op: 'users.edit', method: 'POST', path: '/users/:id' },
  { op: 'users.login', method: 'POST', path: '/users/:id/login' },
  { op: 'users.delete', method: 'DELETE', path: '/users/:id' },
  { op: 'logs.list', method: 'GET', path: '/logs' },
  { op: 'tasks.list', method: 'GET', path: '/tasks' },
  { op: 'locations.list', method: 'GET', path: '/set/backup_locations' },
  { op: 'schedules.list', method: 'GET', path: '/set/backup_schedules' },
] as const;

export type V2Route = (typeof V2_ROUTES)[number];
export type OperationName = V2Route['op'];
export type HttpMethod = 'GET' | 'POST' | 'DELETE';

/**
 * The resource whose field map shapes an operation's `data` (null: data passes through unchanged, e.g. a URL string).
 * The v1 adapter uses it to pick the field map when it translates data to v1.
 */
export const DATA_RESOURCE = {
  'browser.list': 'application', 'browser.get': 'application',
  'browser.install': 'install', 'browser.import': 'install', 'browser.migrate': 'install',
  'installs.list': 'install', 'installs.get': 'install', 'installs.edit': 'install', 'installs.update': 'install',
  'installs.backup': 'backup', 'installs.template': 'template', 'installs.clone': 'install', 'installs.sync': 'install',
  'installs.login': null, 'installs.detach': 'install', 'installs.uninstall': 'install',
  'plugins.list': 'plugin', 'plugins.get': 'plugin', 'plugins.edit': 'plugin', 'plugins.uninstall': 'plugin',
  'themes.list': 'theme', 'themes.get': 'theme', 'themes.edit': 'theme', 'themes.uninstall': 'theme',
  'backups.list': 'backup', 'backups.import': 'backup', 'backups.get': 'backup', 'backups.edit': 'backup',
  'backups.restore': 'install', 'backups.restoreto': 'install', 'backups.delete': 'backup',
  'templates.list': 'template', 'templates.edit': 'template', 'templates.delete': 'template',
  'users.list': 'user', 'users.create': 'user', 'users.get': 'user', 'users.edit': 'user', 'users.login': null,
  'users.delete': 'user',
  'logs.list': 'log', 'tasks.list': 'task', 'locations.list': 'location', 'schedules.list': 'schedule',
} as const satisfies Record<OperationName, string | null>;

export type DataResource = Exclude<(typeof DATA_RESOURCE)[OperationName], null>;
