import type { ApplicationVersion } from '@installgate/contracts';
import type { DbCredentials, DbServer } from '../runtime/db-server';
import type { AddonItem, AddonList as Addons, AddonStateInput, AppHost, InstallFields, RelocateInput, UpdateSupport } from '../drivers/app-driver';

export type { AddonItem, AddonStateInput, AppHost, DbCredentials, DbServer, InstallFields, Addons, RelocateInput, UpdateSupport };

/*
 * What the install workflows need from the catalog, the database runtime and the application drivers, as narrow
 * interfaces. create-engine passes the real implementations (applications/, runtime/, drivers/); the workflows
 * depend on nothing else, which keeps them testable and the wiring in one place.
 */

/** The manifest members the workflows read (apps/<id>/manifest.json). */
export interface ManifestPort {
  id: string;
  name: string;
  driver: string;
  db: 'mysql' | 'none';
  link_admin: string;
  default_prefix: string;
}

export interface CatalogPort {
  /** Throws application_not_found. */
  manifest(appId: string): ManifestPort;
  /** The versions of an app present in the mirror; with `version`, that one (throws invalid_argument_version). */
  get(appId: string, q: { version?: string }): ApplicationVersion[];
  newestInstallable(appId: string): string;
  release(appId: string, version: string): { archive: string; sha256: string; size: number; version: string };
  updateInfo(appId: string, fromVersion: string): { version_available: string; version_available_minor: string; version_updates_available: number };
  /** Where an update without a version goes from `fromVersion` (policy `all`: newest minor or major); null: nowhere. */
  autoUpdateTarget(appId: string, fromVersion: string, policy: 'none' | 'minor' | 'all'): string | null;
  /** How an install at `from` may reach `to`: minor, major, manual, or none. Throws invalid_argument_version. */
  upgradeFrom(appId: string, from: string, to: string): 'minor' | 'major' | 'manual' | 'none';
}

export interface DatabasePort {
  parseDbUrl(url: string): DbServer;
  createAppDatabase(server: DbServer, opts: { hint: string }): Promise<DbCredentials>;
  dropAppDatabase(server: DbServer, opts: { db_name: string; db_user: string }): Promise<void>;
  checkCredentials(creds: DbCredentials): Promise<void>;
  listTables(creds: DbCredentials, prefix: string): Promise<string[]>;
  dropTables(creds: DbCredentials, tables: string[]): Promise<void>;
  serverVersion(server: DbServer | DbCredentials): Promise<string>;
}

export interface DriverPort {
  readonly name: string;
  readonly usesDatabase: boolean;
  /** Works on websites on other servers (see AppDriver.remoteSites). */
  readonly remoteSites: boolean;
  install(i: { dir: string; url: string; db: DbCredentials | null; fields: InstallFields; content: 'yes' | 'no'; dbHostForInstall?: string }): Promise<{ version: string; tables: string[]; addons?: Addons }>;
  /** `host`: the app's files and PHP on a website on another server (absent: `dir` on this server). */
  detect(dir: string, host?: AppHost): Promise<{ version: string; db: DbCredentials | null; fields: Partial<InstallFields> } | null>;
  /** `login`: the administrator to change (default: the application's first one). */
  setFields(i: { dir: string; url: string; db: DbCredentials | null; changes: Partial<InstallFields>; login?: string } & AppHost): Promise<void>;
  setDatabase(i: { dir: string; db: DbCredentials }): Promise<void>;
  createLoginUrl(i: { dir: string; url: string; db: DbCredentials | null; login: string; redirect?: string; ttlSeconds?: number } & AppHost): Promise<string>;
  addons(i: { dir: string; url: string; db: DbCredentials | null } & AppHost): Promise<Addons>;
  addonState?(i: AddonStateInput): Promise<AddonItem[]>;
  /** `host`: the install's files and PHP on a website on another server (absent: `dir` on this server). */
  version(dir: string, host?: AppHost): Promise<string>;
  relocate?(i: RelocateInput): Promise<void>;
  renewSecrets?(i: { dir: string }): Promise<void>;
  readonly update?: UpdateSupport;
}

export interface RuntimePort {
  database: DatabasePort;
  driverFor(name: string): DriverPort;
  extractRelease(archive: string, destDir: string, opts?: { stripTopFolder?: boolean }): Promise<{ entries: string[] }>;
  phpVersion(): Promise<string>;
}
