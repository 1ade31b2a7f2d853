import type { Knex } from 'knex';

/*
 * What the engine itself created for an install (its database, its database user, its folder), so that an
 * uninstall removes exactly those and never a database or folder the customer brought. One row per install;
 * kept apart from the install record because clients never see it.
 */
async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('install_resources', (t) => {
    t.string('install_id', 64).primary();
    t.string('created_db_name', 64).notNullable();
    t.string('created_db_user', 80).notNullable();
    t.string('created_path', 2048).notNullable();
  });
}

async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('install_resources');
}

/** Migration 0002: engine-created resources of installs. */
export const migration0002InstallResources = { name: '0002-install-resources', up, down } as const;
