/**
 * Operations on an existing install that do not work yet when the install lives on a website on another server
 * (its record's `path` is an sftp://, ssh://, ftp:// or ftps:// URI): they copy, move or pack the install's folder
 * with this server's file system calls, which would take the URI for a local folder. They are refused with
 * not_implemented before anything is read or written; docs/remote-websites.md lists them.
 */
import { EngineError, type Install } from '@installgate/contracts';
import { isRemoteHome } from './site-home';

/** Each refused operation: the parameter that brings the remote install in, and how the message names it. */
export const NOT_YET_ON_REMOTE = {
  clone: { errfield: 'id', what: 'Cloning an install' },
  sync: { errfield: 'id', what: 'Syncing an install' },
  syncSource: { errfield: 'source', what: 'Syncing from an install' },
  template: { errfield: 'id', what: 'Making a template from an install' },
  move: { errfield: 'url', what: 'Moving an install to another URL' },
  // A database check from this server would not show that the other server's PHP reaches the new database.
  database: { errfield: 'db_host', what: 'Changing the database settings of an install' },
} as const satisfies Record<string, { errfield: string; what: string }>;

export type RemoteRefusal = keyof typeof NOT_YET_ON_REMOTE;

/** True when the install's folder is on a website on another server. */
export const isRemoteInstall = (install: Pick<Install, 'path'>): boolean => isRemoteHome(install.path);

/** Throws not_implemented (errfield per operation) when `install` is on a website on another server. */
export function refuseRemoteInstall(install: Pick<Install, 'id' | 'path'>, op: RemoteRefusal, errfield: string = NOT_YET_ON_REMOTE[op].errfield): void {
  if (!isRemoteInstall(install)) return;
  throw new EngineError('not_implemented', {
    errfield,
    message: `${NOT_YET_ON_REMOTE[op].what} is not supported yet when it is on a website on another server (install ${install.id}); nothing was changed.`,
  });
}
