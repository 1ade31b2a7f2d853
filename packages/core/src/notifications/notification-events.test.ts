import { NOTIFICATIONS } from '@installgate/contracts';
import { NOTIFICATION_MAILS, TASK_NOTIFICATIONS, notificationForTask } from './notification-events';

describe('notification tables', () => {
  it('every §8.3 type has words, and every task row names §8.3 types', () => {
    expect(Object.keys(NOTIFICATION_MAILS).sort()).toEqual([...NOTIFICATIONS].sort());
    for (const row of Object.values(TASK_NOTIFICATIONS)) {
      expect(NOTIFICATIONS).toContain(row.complete);
      expect(row.failed).toBe(`${row.complete}_error`);
    }
  });

  it('maps finished tasks to types; commands without a type map to none', () => {
    expect(notificationForTask('browser/install', false)).toBe('install');
    expect(notificationForTask('browser/install', true)).toBe('install_error');
    expect(notificationForTask('backups/restoreto', false)).toBe('restore');
    expect(notificationForTask('installs/sync', true)).toBe('sync_error');
    // An update that leaves the core alone updated plugins/themes only.
    expect(notificationForTask('installs/update', false, { install: 'x', from: '6.5.5', to: '6.5.5' })).toBe('update');
    expect(notificationForTask('installs/update', false, { install: 'x', from: '6.5.5', to: 'current' })).toBe('plugin_update');
    expect(notificationForTask('installs/update', true, { install: 'x', from: '6.5.5', to: 'current' })).toBe('plugin_update_error');
    for (const cmd of ['installs/uninstall', 'browser/import', 'installs/edit', 'backups/delete', 'backups/import', 'toString', '__proto__']) {
      expect(notificationForTask(cmd, false)).toBeNull();
    }
  });
});
