import type { Knex } from 'knex';
import type { SecretBox } from '../secrets/secret-box';
import { RECORD_SECRETS } from '../secrets/stored-secrets';
import { zTemplate, type ListPage, type Template } from '@installgate/contracts';
import { createRecordTable, type RecordRow, type RecordTable } from '../store/record-table';
import { paginate, type PageRequest } from '../store/paginate';
import { whereContains } from '../store/search';
import { installKeyColumns, INSTALL_SEARCH_COLUMNS } from '../installs/install-repository';

/** Template scopes every account may read (spec §8.6: `user` templates are private to their owner). */
export const SHARED_TEMPLATE_SCOPES = ['admin', 'app'] as const;

/** Members `q` searches in templates. */
export const TEMPLATE_SEARCH_COLUMNS = [...INSTALL_SEARCH_COLUMNS, 'template_name'] as const;

/** The template's own key columns on top of the install ones (explicit allowlist). */
function templateKeyColumns(t: Template): Record<string, string | number> {
  return {
    ...installKeyColumns(t),
    template_scope: t.template_scope,
    template_application: t.template_application,
    template_name: t.template_name,
    template_time: t.template_time,
  };
}

/** Filters of a template list: owners (null = all) see their own plus the shared ones. */
export interface TemplateFilter {
  owners: string[] | null;
  q?: string;
}

/** Templates table: whole records, zod-validated, plus the list query. */
export interface TemplateRepository extends RecordTable<Template> {
  /** One page of templates, newest first (template_time, then id descending). */
  list(filter: TemplateFilter, page: PageRequest): Promise<ListPage<Template>>;
}

/** The templates repository. */
export function createTemplateRepository(db: Knex, box: SecretBox): TemplateRepository {
  const table = createRecordTable<Template>(db, { table: 'templates', what: 'template record', schema: zTemplate, keyColumns: templateKeyColumns, sealed: RECORD_SECRETS }, box);
  return {
    ...table,
    list(filter, page) {
      let qb = table.query();
      const owners = filter.owners;
      if (owners !== null) qb = qb.where((w) => w.whereIn('user', owners).orWhereIn('template_scope', SHARED_TEMPLATE_SCOPES));
      qb = whereContains(qb, TEMPLATE_SEARCH_COLUMNS, filter.q);
      return paginate<RecordRow, Template>(qb, page, (o) => o.orderBy([{ column: 'template_time', order: 'desc' }, { column: 'id', order: 'desc' }]), table.fromRow);
    },
  };
}
