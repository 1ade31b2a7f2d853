/**
 * The operations that read or change an existing install's application (edits, single sign-on, plugins and themes)
 * first make sure its folder is still there, wherever it lives: a folder on this server, or a folder of a website
 * on another server (checked over its SiteFs). A folder that is gone must fail before anything is written.
 */
import * as fs from 'node:fs';
import { EngineError, type Install } from '@installgate/contracts';
import type { AppDeps } from '../workflows/app-deps';
import { withInstallHost, type InstallHost } from './install-host';

/** Whether the install's folder exists (`h` from withInstallHost). */
export async function installFolderExists(h: InstallHost): Promise<boolean> {
  return h.site ? (await h.site.stat(h.dir))?.type === 'dir' : fs.existsSync(h.dir);
}

/** failed_filesystem_directory unless the install's folder exists (`h` from withInstallHost). */
export async function checkInstallFolder(h: InstallHost, install: Pick<Install, 'path'>): Promise<void> {
  if (!(await installFolderExists(h))) throw new EngineError('failed_filesystem_directory', { message: `The folder of this install (${install.path}) no longer exists.` });
}

/** withInstallHost, once the install's folder is known to be there. */
export function withInstallFolder<T>(deps: Pick<AppDeps, 'users' | 'sites' | 'logger'>, install: Pick<Install, 'user' | 'path' | 'url'>, fn: (h: InstallHost) => Promise<T>): Promise<T> {
  return withInstallHost(deps, install, async (h) => {
    await checkInstallFolder(h, install);
    return fn(h);
  });
}
