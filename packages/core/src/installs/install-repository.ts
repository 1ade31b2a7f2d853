import type { Knex } from 'knex';
import type { SecretBox } from '../secrets/secret-box';
import { RECORD_SECRETS } from '../secrets/stored-secrets';
import { zInstall, type Install, type ListPage } from '@installgate/contracts';
import { createRecordTable, type RecordRow, type RecordTable } from '../store/record-table';
import { paginate, type PageRequest } from '../store/paginate';
import { whereContains } from '../store/search';

/** The install members shared by installs, backups and templates that get their own column (the allowlist). */
export type InstallKeyRecord = Pick<
  Install,
  'user' | 'application' | 'url' | 'url_domain' | 'title' | 'version' | 'version_available' | 'version_available_minor' | 'version_updates_available' | 'time_created'
>;

/** Copies the filterable install members into key columns. Explicit on purpose: never spread a record. */
export function installKeyColumns(r: InstallKeyRecord): Record<string, string | number> {
  return {
    user: r.user,
    application: r.application,
    url: r.url,
    url_domain: r.url_domain,
    title: r.title,
    version: r.version,
    version_available: r.version_available,
    version_available_minor: r.version_available_minor,
    version_updates_available: r.version_updates_available,
    time_created: r.time_created,
  };
}

/** Members `q` searches in installs (v1: "title, url, id, installer, owner"). */
export const INSTALL_SEARCH_COLUMNS = ['title', 'url', 'id', 'application', 'user'] as const;

/** Filters shared by the install-shaped lists (installs, backups). */
export interface InstallFilter {
  /** null = every owner. */
  owners: string[] | null;
  q?: string;
  id?: string;
  /** Only records with any newer version. */
  versionAvailable?: boolean;
  /** Only records with a newer minor version (the auto-update target). */
  versionAvailableMinor?: boolean;
}

/**
 * Applies an InstallFilter to a query over any install-shaped table. `searchColumns` lets backups search their
 * own members too.
 */
export function applyInstallFilter(qb: Knex.QueryBuilder, f: InstallFilter, searchColumns: readonly string[] = INSTALL_SEARCH_COLUMNS): Knex.QueryBuilder {
  if (f.owners !== null) qb = qb.whereIn('user', f.owners);
  if (f.id !== undefined && f.id !== '') qb = qb.where('id', f.id);
  qb = whereContains(qb, searchColumns, f.q);
  if (f.versionAvailable) {
    // Either the catalogue counted newer versions, or it named one that differs from the current version.
    qb = qb.where((w) =>
      w.where('version_updates_available', '>', 0).orWhere((v) => v.whereNot('version_available', '').whereRaw('?? <> ??', ['version_available', 'version'])),
    );
  }
  if (f.versionAvailableMinor) {
    qb = qb.whereNot('version_available_minor', '').whereRaw('?? <> ??', ['version_available_minor', 'version']);
  }
  return qb;
}

/** Installs table: whole records, zod-validated, plus the list query. */
export interface InstallRepository extends RecordTable<Install> {
  /** One page of installs, oldest first (time_created, then id: a total, stable order). */
  list(filter: InstallFilter, page: PageRequest): Promise<ListPage<Install>>;
}

/** The installs repository. */
export function createInstallRepository(db: Knex, box: SecretBox): InstallRepository {
  const table = createRecordTable<Install>(db, { table: 'installs', what: 'install record', schema: zInstall, keyColumns: installKeyColumns, sealed: RECORD_SECRETS }, box);
  return {
    ...table,
    list(filter, page) {
      return paginate<RecordRow, Install>(
        applyInstallFilter(table.query(), filter),
        page,
        (qb) => qb.orderBy([{ column: 'time_created', order: 'asc' }, { column: 'id', order: 'asc' }]),
        table.fromRow,
      );
    },
  };
}
