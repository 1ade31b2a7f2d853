import type { Knex } from 'knex';
import { migration0001Init } from './0001-init';
import { migration0002InstallResources } from './0002-install-resources';
import { migration0003BackupObjects } from './0003-backup-objects';
import { migration0004SchedulerJobs } from './0004-scheduler-jobs';
import { migration0005UpdateNotices } from './0005-update-notices';

/** A migration with the name knex records in its bookkeeping table. */
export interface NamedMigration extends Knex.Migration {
  name: string;
}

/**
 * Every migration, in order. An explicit list (no directory globbing) so that bundling, ts-jest and the built
 * dist all see exactly the same migrations. Append only; never rename or reorder a shipped entry.
 */
export const MIGRATIONS: readonly NamedMigration[] = [migration0001Init, migration0002InstallResources, migration0003BackupObjects, migration0004SchedulerJobs, migration0005UpdateNotices];

/** The knex migration source over MIGRATIONS (pass as `migrationSource` to `knex.migrate.*`). */
export const migrationSource: Knex.MigrationSource<NamedMigration> = {
  getMigrations: async () => [...MIGRATIONS],
  getMigrationName: (m) => m.name,
  getMigration: async (m) => m,
};

/** Brings the store to the newest schema. Idempotent. */
export async function migrateToLatest(db: Knex): Promise<void> {
  await db.migrate.latest({ migrationSource, tableName: 'installgate_migrations' });
}
