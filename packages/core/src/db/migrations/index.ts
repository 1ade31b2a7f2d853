import type { Knex } from 'knex';
import type { SecretBox } from '../../secrets/secret-box';
import { migration0001Init } from './0001-init';
import { migration0002InstallResources } from './0002-install-resources';
import { migration0003BackupObjects } from './0003-backup-objects';
import { migration0004SchedulerJobs } from './0004-scheduler-jobs';
import { migration0005UpdateNotices } from './0005-update-notices';
import { migration0006SealSecrets } from './0006-seal-secrets';

/** What a migration may need besides the connection: the key that seals secrets (migration 0006). */
export interface MigrationContext {
  secrets: SecretBox;
}

/** A migration with the name knex records in its bookkeeping table. */
export interface NamedMigration {
  name: string;
  up(knex: Knex, ctx: MigrationContext): Promise<void>;
  down(knex: Knex, ctx: MigrationContext): Promise<void>;
}

/**
 * Every migration, in order. An explicit list (no directory globbing) so that bundling, ts-jest and the built
 * dist all see exactly the same migrations. Append only; never rename or reorder a shipped entry.
 */
export const MIGRATIONS: readonly NamedMigration[] = [migration0001Init, migration0002InstallResources, migration0003BackupObjects, migration0004SchedulerJobs, migration0005UpdateNotices, migration0006SealSecrets];

/**
 * The knex migration source over MIGRATIONS (pass as `migrationSource` to `knex.migrate.*`). knex calls a
 * migration with the connection only, so the context is bound here.
 */
export function migrationSource(ctx: MigrationContext): Knex.MigrationSource<NamedMigration> {
  return {
    getMigrations: async () => [...MIGRATIONS],
    getMigrationName: (m) => m.name,
    getMigration: async (m) => ({ up: (knex: Knex) => m.up(knex, ctx), down: (knex: Knex) => m.down(knex, ctx) }),
  };
}

/** Brings the store to the newest schema. Idempotent. */
export async function migrateToLatest(db: Knex, ctx: MigrationContext): Promise<void> {
  await db.migrate.latest({ migrationSource: migrationSource(ctx), tableName: 'installgate_migrations' });
}
