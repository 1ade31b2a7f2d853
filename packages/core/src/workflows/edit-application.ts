import { invalidArgument, type Install } from '@installgate/contracts';
import type { Scope } from '../access/actor';
import { withInstallFolder } from '../sites/install-folder';
import { withInstallHost } from '../sites/install-host';
import { checkInstallServed } from '../sites/install-served';
import { refuseRemoteInstall } from '../sites/remote-refusal';
import type { AppDeps } from './app-deps';
import { givenDatabase, tablePrefix } from './install-request';
import type { InstallFields } from './ports';
import { recordDb } from './uninstall-application';
import { moveInstall, planMove } from './move-install';
import { folderLockKey, folderBusy } from './resolve-target';

/** The members of `POST /installs/{id}` that change the application itself (spec §2.2). */
export interface AppEdit {
  login?: string;
  passwd?: string;
  email?: string;
  sitetitle?: string;
  db_host?: string;
  db_name?: string;
  db_user?: string;
  db_pass?: string;
  db_prefix?: string;
  /** Move the install to this URL of its owner (files and the application's stored URLs). */
  url?: string;
  /** The application's language (WordPress: its locale; other applications have only `en`). */
  language?: string;
}

const FIELD_MEMBERS = ['login', 'passwd', 'email', 'sitetitle'] as const;
const DB_MEMBERS = ['db_host', 'db_name', 'db_user', 'db_pass', 'db_prefix'] as const;

/**
 * Applies application-level edits to the real application, then to the record: the admin account and site title
 * through the application's own APIs (WordPress: wp_set_password, wp_update_user, blogname), database settings by
 * rewriting its config after checking that the new database answers; a new `url` moves the files and the
 * application's stored URLs (move-install.ts); `language` goes to the application. Runs under the install's lock.
 */
export async function editApplication(deps: AppDeps, scope: Scope, id: string, edit: AppEdit): Promise<Install> {
  const install = await deps.installs.get(scope, id);
  // On a website on another server only the application's own fields change (through its PHP over HTTP).
  if (edit.url !== undefined && edit.url !== install.url) refuseRemoteInstall(install, 'move');
  const dbMember = DB_MEMBERS.find((k) => edit[k] !== undefined);
  if (dbMember) refuseRemoteInstall(install, 'database', dbMember);
  await withInstallFolder(deps, install, async () => undefined); // gone → failed_filesystem_directory before the task
  const manifest = deps.catalog.manifest(install.application);
  const driver = deps.runtime.driverFor(manifest.driver);
  const changes: Partial<InstallFields> = {};
  for (const k of FIELD_MEMBERS) if (edit[k] !== undefined) changes[k] = edit[k];
  const dbTouched = DB_MEMBERS.some((k) => edit[k] !== undefined);
  const current = recordDb(install);
  const nextDb = dbTouched
    ? givenDatabase({ db_host: edit.db_host ?? current?.db_host, db_name: edit.db_name ?? current?.db_name, db_user: edit.db_user ?? current?.db_user, db_pass: edit.db_pass ?? current?.db_pass }, tablePrefix({ db_prefix: edit.db_prefix ?? install.db_prefix }, install.db_prefix))
    : null;
  const move = edit.url !== undefined && edit.url !== install.url ? await planMove(deps, scope, install, edit.url) : null;
  if (edit.language !== undefined && edit.language !== install.language) {
    if (driver.name === 'wordpress') changes.language = edit.language;
    else if (!/^en([_-]us)?$/i.test(edit.language)) throw invalidArgument('language', `${manifest.name} is available in en only.`);
  }
  const secrets = [edit.passwd ?? '', edit.db_pass ?? '', install.db_pass].filter((s) => s !== '');
  await deps.runner.run({
    cmd: 'installs/edit', user: install.user, installId: id, url: install.url, title: install.title, label: '_tasks_editing',
    payload: { install: id, members: Object.keys(edit) }, lockInstall: move ? [id, folderLockKey(move.dir)] : id, secrets,
  }, async () => {
    const moved = move ? await moveInstall(deps, install, move) : null;
    const at = moved ?? { url: install.url, path: install.path };
    if (nextDb) {
      await deps.runtime.database.checkCredentials(nextDb);
      await driver.setDatabase({ dir: at.path, db: nextDb });
    }
    // Moves and database changes are local only (refused above), so `at` is the install's own place when remote.
    if (Object.keys(changes).length > 0) {
      await withInstallHost(deps, { ...install, ...at }, (h) => driver.setFields({ dir: h.dir, url: at.url, db: nextDb ?? current, changes, ...h.host }));
    }
    const fresh = (await deps.installsRepo.get(id)) ?? install;
    const next: Install = {
      ...fresh,
      ...(changes.login !== undefined ? { login: changes.login } : {}),
      ...(changes.email !== undefined ? { email: changes.email } : {}),
      ...(changes.sitetitle !== undefined ? { sitetitle: changes.sitetitle, title: changes.sitetitle } : {}),
      ...(edit.language !== undefined ? { language: edit.language } : {}),
      ...(moved ?? {}),
      ...(nextDb ? { db_host: nextDb.db_host, db_name: nextDb.db_name, db_user: nextDb.db_user, db_pass: nextDb.db_pass, db_prefix: nextDb.db_prefix, db_type: 'mysql' } : {}),
      time_updated: deps.clock(),
    };
    await deps.installsRepo.replace(next);
    await deps.logs.write({ user: install.user, cmd: 'installs/edit', install: id, url: next.url, title: next.title,
      message: moved ? `Moved ${next.title} from ${install.url} to ${next.url}${Object.keys(edit).length > 1 ? `; changed ${Object.keys(edit).filter((k) => k !== 'url').join(', ')}` : ''}.` : `Changed ${Object.keys(edit).join(', ')} of ${next.title}.` }, secrets);
  }, { background: false }).catch((e: unknown) => { throw move ? folderBusy(e, move.dir) : e; });
  return deps.installs.get(scope, id);
}

/** `POST /installs/{id}/login` (v1 `createadminsso`): a one-time URL into the application's admin area. */
export async function adminLoginUrl(deps: AppDeps, scope: Scope, id: string, opts: { redirect?: string }): Promise<string> {
  const install = await deps.installs.get(scope, id);
  const driver = deps.runtime.driverFor(deps.catalog.manifest(install.application).driver);
  // The link works only where the install's URL reaches the folder the login file is written to.
  await checkInstallServed(deps, install);
  const url = await withInstallFolder(deps, install, (h) => driver.createLoginUrl({ dir: h.dir, url: install.url, db: recordDb(install), login: install.login, redirect: opts.redirect, ...h.host }));
  await deps.logs.write({ user: install.user, cmd: 'installs/login', install: id, url: install.url, title: install.title, message: `Created a one-time admin login for ${install.title}.` });
  return url;
}
