import type { Knex } from 'knex';

/*
 * `update_notices`: the newest version the owner was already told about, per install and subject (`core`,
 * `plugins:<slug>`, `themes:<slug>`), so that an `update_available` / `plugin_update_available` mail goes out once
 * per version however many scheduler passes and processes see it.
 */
async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('update_notices', (t) => {
    t.string('install_id', 64).notNullable();
    t.string('subject', 191).notNullable();
    t.string('version', 64).notNullable();
    t.bigInteger('notified_at').notNullable();
    t.primary(['install_id', 'subject']);
  });
}

async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('update_notices');
}

/** Migration 0005: which newer versions owners were already told about. */
export const migration0005UpdateNotices = { name: '0005-update-notices', up, down } as const;
