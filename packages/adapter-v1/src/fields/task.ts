import { strEnum } from './codecs';
import { defineFieldMap } from './field-map';
import { codec, sames } from './rules';

/**
 * v1 task `cmd` is the bare v1 verb (`backup`); v2 is `resource/action` (spec §6). One literal, v1 verb → v2 name,
 * for every task operation that has a v1 verb. Operations without one (installs/status, installs/plugins/edit, …)
 * pass through unchanged: a v2 name always contains `/`, so it cannot be mistaken for a v1 verb.
 */
export const TASK_CMD = strEnum(
  {
    install: 'browser/install',
    import: 'browser/import',
    migrate: 'browser/migrate',
    view: 'installs/view',
    edit: 'installs/edit',
    update: 'installs/update',
    backup: 'installs/backup',
    template: 'installs/template',
    clone: 'installs/clone',
    sync: 'installs/sync',
    createadminsso: 'installs/login',
    detach: 'installs/detach',
    uninstall: 'installs/uninstall',
    backups: 'backups/view',
    editbackup: 'backups/edit',
    restore: 'backups/restore',
    restoreto: 'backups/restoreto',
    delete: 'backups/delete',
    importbackup: 'backups/import',
    edittemplate: 'templates/edit',
    deletetemplate: 'templates/delete',
    edituser: 'users/edit',
    guixfer: 'users/login',
    deleteuser: 'users/delete',
  },
  {
    note: 'v1 verb ↔ v2 resource/action (spec §6); `upgrade` reads as installs/update; names without a v1 verb pass through.',
    v1Aliases: { upgrade: 'installs/update' },
    passthrough: true,
  },
);

export const TASK_MAP = defineFieldMap('task', {
  note: 'Task rows of GET /tasks and the `task` member of backgrounded calls (spec §6).',
  rules: [
    ...sames(['id', 'user', 'ws_label', 'url', 'title', 'label', 'status', 'rate', 'percentMin', 'percentMax', 'message']),
    codec('cmd', 'cmd', TASK_CMD),
    ...sames(['install', 'time']),
    ...sames(['errcode', 'time_finished'], 'Ours (not in the v1 sample); same name in both versions.'),
  ],
});
