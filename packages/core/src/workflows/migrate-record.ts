/** The install record of a migration, from what the run has found so far (`incomplete` until the last step). */
import type { Install } from '@installgate/contracts';
import type { AppDeps } from './app-deps';
import type { Addons, DbCredentials, InstallFields } from './ports';
import type { ParsedSource } from './migrate-source';
import type { InstallTarget } from './resolve-target';

/** What a migration carries from step to step. */
export interface MigrateRun {
  plan: {
    id: string;
    application: string;
    /** Destination URL, no trailing '/'. */
    url: string;
    target: InstallTarget;
    source: ParsedSource;
    /** The version the caller expects, if any. */
    version?: string;
  };
  /** The source site's database settings (its wp-config.php). */
  sourceDb: DbCredentials | null;
  /** The new database (the source's prefix). */
  db: DbCredentials | null;
  files: string[];
  tables: string[];
  /** The source's folder on its own server (the helper reports it), for rewriting stored paths. */
  sourcePath: string;
  version: string;
  fields: Partial<InstallFields>;
  addons: Addons;
  /** Everything to mask in logs and task messages: source password, source db password, helper secret. */
  secrets: string[];
}

export function migrateRecord(deps: AppDeps, run: MigrateRun): Install {
  const { plan, db, fields } = run;
  const manifest = deps.catalog.manifest(plan.application);
  const info = run.version ? deps.catalog.updateInfo(plan.application, run.version) : { version_available: '', version_available_minor: '', version_updates_available: 0 };
  const now = deps.clock();
  const title = fields.sitetitle ?? manifest.name;
  return {
    id: plan.id, agent: deps.agent, application: plan.application, autobk: 'none', autobk_schedule: '', autobk_daily: 0, autobk_weekly: 0,
    autobk_monthly: 0, autoup: deps.settings.defaultAutoup, autoup_backup: 'all', autoup_plugins: 'all', autoup_themes: 'all',
    bkloc: 'local', cache_files: 0, cache_numbackups: 0, cache_preview: 0, cache_tables: 0, cache_time: 0, cache_numerrors: 0,
    cache_numwarnings: 0, db_host: db?.db_host ?? '', db_type: db ? 'mysql' : '', db_name: db?.db_name ?? '',
    db_user: db?.db_user ?? '', db_pass: db?.db_pass ?? '', db_prefix: db?.db_prefix ?? '',
    login: fields.login ?? '', email: fields.email ?? '', language: fields.language ?? 'en', sitetitle: title,
    sitetagline: fields.sitetagline ?? '', limitloginattempts: 'no', twofactor: 'no', exclude_files: [], failures: [], file: '',
    files: [...run.files].sort(), incomplete: true, link_admin: manifest.link_admin, notification: [], parent: '', path: plan.target.dir,
    path_created: '', plugins: run.addons.plugins, stage: '', tables: [...run.tables].sort(), themes: run.addons.themes,
    time_created: now, time_updated: now, title, url: plan.url, url_domain: plan.target.resolved.domain, user: plan.target.owner.id,
    version: run.version, version_autouped: '', version_autouped_attempts: 0,
    version_available: info.version_available, version_available_minor: info.version_available_minor,
    version_updates_available: info.version_updates_available,
  };
}
