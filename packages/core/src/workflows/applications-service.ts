import type { Install } from '@installgate/contracts';
import type { Scope } from '../access/actor';
import type { AppDeps, RunOptions } from './app-deps';
import { installApplication, type OperationResult } from './install-application';
import type { InstallRequest } from './install-request';
import { importApplication, type ImportRequest } from './import-application';
import { uninstallApplication } from './uninstall-application';
import { adminLoginUrl, editApplication, type AppEdit } from './edit-application';

/** The operations that change real applications (files, databases, the app's own settings). */
export interface ApplicationsService {
  install(scope: Scope, req: InstallRequest, opts: RunOptions): Promise<OperationResult<Install>>;
  import(scope: Scope, req: ImportRequest, opts: RunOptions): Promise<OperationResult<Install>>;
  uninstall(scope: Scope, id: string, opts: RunOptions & { force: boolean }): Promise<OperationResult<Install>>;
  edit(scope: Scope, id: string, edit: AppEdit): Promise<Install>;
  loginUrl(scope: Scope, id: string, opts: { redirect?: string }): Promise<string>;
  /** Whether application databases can be created (a database server is configured). */
  readonly canCreateDatabases: boolean;
  /** Waits for running operations (graceful stop). */
  drain(): Promise<void>;
}

export function createApplicationsService(deps: AppDeps): ApplicationsService {
  return {
    install: (scope, req, opts) => installApplication(deps, scope, req, opts),
    import: (scope, req, opts) => importApplication(deps, scope, req, opts),
    uninstall: (scope, id, opts) => uninstallApplication(deps, scope, id, opts),
    edit: (scope, id, edit) => editApplication(deps, scope, id, edit),
    loginUrl: (scope, id, opts) => adminLoginUrl(deps, scope, id, opts),
    canCreateDatabases: deps.dbServer !== null,
    drain: () => deps.runner.drain(),
  };
}
