import type { Addon, Backup, Install, Template } from '@installgate/contracts';
import type { Scope } from '../access/actor';
import type { AppDeps, RunOptions } from './app-deps';
import { installApplication, type OperationResult } from './install-application';
import type { InstallRequest } from './install-request';
import { importApplication, type ImportRequest } from './import-application';
import { migrateInstall, type MigrateRequest } from './migrate-install';
import { uninstallApplication } from './uninstall-application';
import { adminLoginUrl, editApplication, type AppEdit } from './edit-application';
import { backupInstall, type BackupRequest } from './backup-install';
import { deleteBackup } from './delete-backup';
import { restoreBackup } from './restore-backup';
import type { RestoreRequest } from './restore-plan';
import { cleanOrphanArchives } from './clean-orphan-archives';
import { pruneExpiredBackups } from './prune-expired-backups';
import { runScheduledJobs, type JobReport, type PassOptions } from '../scheduler/run-scheduled-jobs';
import { importBackups, type ImportBackupsRequest, type ImportBackupsResult } from './import-backups';
import { cloneInstall, type CloneRequest } from './clone-install';
import { syncInstall } from './sync-install';
import type { SyncRequest } from './sync-plan';
import type { SyncPreview } from './sync-changes';
import { captureTemplate, type TemplateRequest } from './capture-template';
import { updateApplication, type UpdateRequest } from './update-application';
import { editAddon, getAddon, listAddons, uninstallAddon, type AddonEdit } from './addon-operations';
import type { AddonKind } from './update-addons';

/** The operations that change real applications (files, databases, the app's own settings). */
export interface ApplicationsService {
  install(scope: Scope, req: InstallRequest, opts: RunOptions): Promise<OperationResult<Install>>;
  import(scope: Scope, req: ImportRequest, opts: RunOptions): Promise<OperationResult<Install>>;
  /** Copies a WordPress site from another server (files over FTP/SFTP, tables through a one-time helper) and manages it. */
  migrate(scope: Scope, req: MigrateRequest, opts: RunOptions): Promise<OperationResult<Install>>;
  uninstall(scope: Scope, id: string, opts: RunOptions & { force: boolean }): Promise<OperationResult<Install>>;
  edit(scope: Scope, id: string, edit: AppEdit): Promise<Install>;
  loginUrl(scope: Scope, id: string, opts: { redirect?: string }): Promise<string>;
  backup(scope: Scope, id: string, req: BackupRequest, opts: RunOptions): Promise<OperationResult<Backup>>;
  /** Core and/or bundled plugins/themes to a newer release; a failure puts the site back as it was. */
  update(scope: Scope, id: string, req: UpdateRequest, opts: RunOptions): Promise<OperationResult<Install>>;
  /** WordPress plugins/themes of an install (spec §2.3): list, one, install-or-edit, uninstall. */
  addons: {
    list(scope: Scope, id: string, kind: AddonKind): Promise<Addon[]>;
    get(scope: Scope, id: string, kind: AddonKind, slug: string): Promise<Addon>;
    edit(scope: Scope, id: string, kind: AddonKind, slug: string, edit: AddonEdit, opts: Pick<RunOptions, 'dryrun'>): Promise<OperationResult<Addon>>;
    uninstall(scope: Scope, id: string, kind: AddonKind, slug: string, opts: Pick<RunOptions, 'dryrun'>): Promise<OperationResult<Addon>>;
  };
  /** In place (`restore`) or to a new URL (`restoreto`; also `restore` with a url, the old v1 form). */
  restore(scope: Scope, backupId: string, req: RestoreRequest, opts: RunOptions, mode: 'restore' | 'restoreto'): Promise<OperationResult<Install>>;
  /** Makes a template from an install (spec §2.2 `POST /installs/{id}/template`). */
  template(scope: Scope, id: string, req: TemplateRequest, opts: RunOptions): Promise<OperationResult<Template>>;
  deleteBackup(scope: Scope, backupId: string, opts: RunOptions & { force: boolean }): Promise<OperationResult<Backup>>;
  importBackups(scope: Scope, req: ImportBackupsRequest, opts: RunOptions): Promise<ImportBackupsResult>;
  /** Copies install `id` (as `sourceScope` sees it) to `req.url` for the account of `scope` (spec §2.2 clone). */
  clone(scope: Scope, sourceScope: Scope, id: string, req: CloneRequest, opts: RunOptions): Promise<OperationResult<Install>>;
  /** Pulls files/tables of a source (default: the stage) into install `id`; a dry run answers the changes. */
  sync(scope: Scope, id: string, req: SyncRequest, opts: RunOptions): Promise<OperationResult<Install | SyncPreview>>;
  /** Removes archives of backups cut off before their record was written (run at start, after task recovery). */
  cleanOrphanArchives(): Promise<number>;
  /** Deletes backups whose expiry has passed (the scheduler runs it); returns their ids. */
  pruneExpiredBackups(): Promise<string[]>;
  /** Runs the scheduled jobs (automatic backups, automatic updates) this process can claim; returns what it ran. */
  runScheduledJobs(opts: PassOptions): Promise<JobReport[]>;
  /** Whether application databases can be created (a database server is configured). */
  readonly canCreateDatabases: boolean;
  /** Waits for running operations (graceful stop). */
  drain(): Promise<void>;
}

export function createApplicationsService(deps: AppDeps): ApplicationsService {
  return {
    install: (scope, req, opts) => installApplication(deps, scope, req, opts),
    import: (scope, req, opts) => importApplication(deps, scope, req, opts),
    migrate: (scope, req, opts) => migrateInstall(deps, scope, req, opts),
    uninstall: (scope, id, opts) => uninstallApplication(deps, scope, id, opts),
    edit: (scope, id, edit) => editApplication(deps, scope, id, edit),
    loginUrl: (scope, id, opts) => adminLoginUrl(deps, scope, id, opts),
    backup: (scope, id, req, opts) => backupInstall(deps, scope, id, req, opts),
    update: (scope, id, req, opts) => updateApplication(deps, scope, id, req, opts),
    addons: {
      list: (scope, id, kind) => listAddons(deps, scope, id, kind),
      get: (scope, id, kind, slug) => getAddon(deps, scope, id, kind, slug),
      edit: (scope, id, kind, slug, edit, opts) => editAddon(deps, scope, id, kind, slug, edit, opts),
      uninstall: (scope, id, kind, slug, opts) => uninstallAddon(deps, scope, id, kind, slug, opts),
    },
    restore: (scope, id, req, opts, mode) => restoreBackup(deps, scope, id, req, opts, mode),
    template: (scope, id, req, opts) => captureTemplate(deps, scope, id, req, opts),
    deleteBackup: (scope, id, opts) => deleteBackup(deps, scope, id, opts),
    importBackups: (scope, req, opts) => importBackups(deps, scope, req, opts),
    clone: (scope, sourceScope, id, req, opts) => cloneInstall(deps, scope, sourceScope, id, req, opts),
    sync: (scope, id, req, opts) => syncInstall(deps, scope, id, req, opts),
    cleanOrphanArchives: () => cleanOrphanArchives(deps),
    pruneExpiredBackups: () => pruneExpiredBackups(deps),
    runScheduledJobs: (opts) => runScheduledJobs(deps, opts),
    canCreateDatabases: deps.dbServer !== null,
    drain: () => deps.runner.drain(),
  };
}
