/**
 * The contract between install workflows and one kind of application: what it takes to install, read, change and
 * log into a real copy of the application in a folder. Workflows own the folder (extraction, emptiness checks,
 * undo) and the database (creation, dumps); a driver only touches the application's own config and runs the
 * application's own code.
 */
import type { DbCredentials } from '../runtime/db-server';
import type { PhpExecutor } from './php-executor';
import type { AppFiles } from './app-files';

export type DriverName = 'wordpress' | 'php-installer' | 'static-installer';

/**
 * Where the app lives, for apps on a website reached over SFTP/FTP: its files (`files`, a SiteFs folder) and where
 * its PHP helpers run (`php`, over HTTP on the website's own server, src/remote/). Absent = the folder `dir` on this
 * server and PHP CLI there: the drivers never know which one they got.
 */
export interface AppHost {
  php?: PhpExecutor;
  files?: AppFiles;
}

/** The install fields of the API (spec §2.1) that reach the application itself. */
export interface InstallFields {
  login: string;
  passwd: string;
  email: string;
  sitetitle: string;
  sitetagline?: string;
  /** API language code: `en`, or a locale the release ships (WordPress: `de_DE`, or `de` when one `de_*` exists). */
  language: string;
}

export interface AddonInfo {
  /** Slug: the plugin's folder (or file name without .php), the theme's stylesheet folder. */
  id: string;
  version: string;
  activated: boolean;
  autoup: 'none' | 'all';
}

export interface AddonList {
  plugins: AddonInfo[];
  themes: AddonInfo[];
}

/** One plugin or theme as the plugin/theme endpoints show it (spec §8.4), with its file (plugin) or folder (theme). */
export interface AddonItem extends AddonInfo {
  file: string;
  name: string;
  description: string;
  author: string;
}

/** What addonState() reads or changes: `edit` sets activation/autoup, `remove` prepares deleting the files. */
export interface AddonStateInput extends AppHost {
  dir: string;
  url: string;
  kind: 'plugins' | 'themes';
  action: 'list' | 'edit' | 'remove';
  slug?: string;
  activated?: boolean;
  autoup?: 'none' | 'all';
}

/** A plugin or theme that a release ships: its slug, the version its header says, its name in the add-on folder. */
export interface BundledAddon {
  id: string;
  version: string;
  /** `akismet` (a folder) or `hello.php` (a single-file plugin), inside `BundledAddons.dirs`. */
  entry: string;
}

export interface BundledAddons {
  plugins: BundledAddon[];
  themes: BundledAddon[];
}

/**
 * How an update lays a newer release over an install (spec §2.2). Absent: the release's top-level entries replace
 * the live ones of the same name and nothing else runs (an app without a database schema, e.g. testapp-static).
 */
export interface UpdateSupport {
  /** Top-level names of the release that hold the owner's data and are never replaced (WordPress: wp-content). */
  readonly keep: readonly string[];
  /** Where plugins and themes live, relative to the install (WordPress: wp-content/plugins, wp-content/themes). */
  readonly addonDirs?: { readonly plugins: string; readonly themes: string };
  /** The add-ons a release unpacked at `releaseDir` bundles (needs `addonDirs`). */
  bundledAddons?(releaseDir: string): Promise<BundledAddons>;
  /**
   * Runs the application's own database upgrade once the new release's files are in place (WordPress:
   * wp_upgrade()); answers the version now running. Throws internal_error (redacted) when it fails.
   */
  upgradeDatabase?(i: { dir: string; url: string } & AppHost): Promise<{ version: string }>;
}

export interface DriverInstallInput extends AppHost {
  /** The release's files are extracted here already. */
  dir: string;
  /** The install's public URL (no trailing slash needed). */
  url: string;
  /** Required when `usesDatabase`; null otherwise. */
  db: DbCredentials | null;
  fields: InstallFields;
  /** `yes`: the application's sample content; `no`: a blank site. */
  content: 'yes' | 'no';
  /** API `db_host_ip`: reach the database at this host during the install; the config keeps `db.db_host`. */
  dbHostForInstall?: string;
}

export interface DriverInstallResult {
  version: string;
  /** Tables the application created (all of them start with `db.db_prefix`). */
  tables: string[];
  /** Top-level names the driver added to `dir` (configs, generated pages), for the record's `files` and undo. */
  files: string[];
  /**
   * The plugins and themes right after the install, when the installer could read them on the way (WordPress:
   * install.php has WordPress loaded already); absent, the workflow asks addons(), which may cost a second run.
   */
  addons?: AddonList;
}

export interface DetectedInstall {
  version: string;
  /** From the application's config; null without a database or when the config's values are not literals. */
  db: DbCredentials | null;
  /** What could be read from the running application (empty when its database is unreachable). */
  fields: Partial<InstallFields>;
}

export interface AppDriver {
  readonly name: DriverName;
  readonly usesDatabase: boolean;
  /**
   * Whether the driver works on websites on other servers (its files through AppHost.files, its PHP over HTTP through
   * AppHost.php). Drivers that run an app's own installer with PHP CLI on this server cannot.
   */
  readonly remoteSites: boolean;
  /** Admin path relative to the URL for the install record's `link_admin` ('' when there is none). */
  readonly adminPath: string;
  /**
   * Writes the app's config and runs the app's own installer. On failure it removes what it added (config file,
   * tables with the prefix) and throws an EngineError: `invalid_argument_<field>` for input the app refused,
   * `invalid_argument_db_*` for database settings that do not work, `internal_error` otherwise (message redacted).
   */
  install(i: DriverInstallInput): Promise<DriverInstallResult>;
  /** Reads an existing install (import); null when `dir` holds no such application. */
  detect(dir: string, opts?: AppHost): Promise<DetectedInstall | null>;
  /**
   * Applies changed fields to the running application (WordPress: admin login/password/email via its APIs,
   * blogname, blogdescription). `login`: the administrator to change (default: the first administrator).
   */
  setFields(i: { dir: string; url: string; db: DbCredentials | null; changes: Partial<InstallFields>; login?: string } & AppHost): Promise<void>;
  /** Rewrites the database settings in the app's config (after the caller moved or changed the database). */
  setDatabase(i: { dir: string; db: DbCredentials } & AppHost): Promise<void>;
  /** A one-time, short-lived URL that logs the caller into the admin area; `not_implemented` where unsupported. */
  createLoginUrl(i: { dir: string; url: string; db: DbCredentials | null; login: string; redirect?: string; ttlSeconds?: number } & AppHost): Promise<string>;
  /** Installed plugins and themes (WordPress); empty lists for the others. */
  addons(i: { dir: string; url: string; db: DbCredentials | null } & AppHost): Promise<AddonList>;
  /** Plugins or themes with details, after the change asked (WordPress only; absent: the app has none). */
  addonState?(i: AddonStateInput): Promise<AddonItem[]>;
  /** The version the files say (wp-includes/version.php, VERSION). */
  version(dir: string, host?: AppHost): Promise<string>;
  /**
   * Moves the app's stored data to a new URL, folder and/or table prefix after its files and tables were put
   * there (restore-to, clone, URL change). Absent for apps that store none of these (the config's database
   * settings are setDatabase's job).
   */
  relocate?(i: RelocateInput): Promise<void>;
  /** Replaces the site's own secrets (WordPress: keys and salts) with fresh ones: a copy made from a template must not share them. */
  renewSecrets?(i: { dir: string }): Promise<void>;
  /** How updates work for this app (see UpdateSupport). */
  readonly update?: UpdateSupport;
}

/** Where an app was and where it is now; the tables already carry `to.prefix`. */
export interface RelocateInput extends AppHost {
  dir: string;
  from: { url: string; path: string; prefix: string };
  to: { url: string; path: string; prefix: string };
  /** Only these tables (names with `to.prefix`); absent: every table with the prefix. Sync relocates only what it copied. */
  tables?: readonly string[];
}
