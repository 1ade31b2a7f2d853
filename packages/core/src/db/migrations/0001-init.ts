import type { Knex } from 'knex';

/*
 * The first schema. Only portable schema-builder calls, so the same migration runs on SQLite, MariaDB and
 * PostgreSQL (several nodes can share one MariaDB/PostgreSQL state):
 * - every indexed varchar has a length ≤ 191 (utf8mb4 index prefix limit of older MariaDB/MySQL);
 * - JSON is stored as text (`record`, `payload`, `meta`), validated by the repositories, never queried inside;
 * - no defaults on text columns (MariaDB < 10.2 rejects them);
 * - reserved words are avoided as column names where a dialect would trip on them (`description`, `is_default`);
 *   `user` and `time` are kept because knex always quotes identifiers.
 * Installs, backups and templates keep their full record in `record` and copy the members lists filter on into
 * key columns (the repositories write both from one allowlist).
 */

const ID = 64; // install/backup/template/location/schedule ids, usernames
const URL = 2048;
const TITLE = 1024;

/** Key columns shared by the three install-shaped record tables. */
function installKeyColumns(t: Knex.CreateTableBuilder): void {
  t.string('id', ID).primary();
  t.string('user', ID).notNullable().index();
  t.string('application', ID).notNullable().index();
  t.string('url', URL).notNullable();
  t.string('url_domain', 191).notNullable().index();
  t.string('title', TITLE).notNullable();
  t.string('version', ID).notNullable();
  t.string('version_available', ID).notNullable();
  t.string('version_available_minor', ID).notNullable();
  t.integer('version_updates_available').notNullable();
  t.bigInteger('time_created').notNullable();
  // longtext on MariaDB (records with long file lists outgrow TEXT's 64 KB); ignored by the other dialects.
  t.text('record', 'longtext').notNullable();
}

async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('users', (t) => {
    t.string('id', ID).primary();
    t.string('parent', ID).notNullable().index();
    t.string('type', 16).notNullable();
    t.boolean('suspended').notNullable();
    t.string('locale', 32).notNullable();
    t.string('email', 320).notNullable();
    t.string('package', 255).notNullable();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('updated_at').notNullable();
  });

  await knex.schema.createTable('websites', (t) => {
    t.string('user_id', ID).notNullable().references('id').inTable('users').onDelete('CASCADE');
    t.string('id', ID).notNullable();
    t.integer('position').notNullable();
    t.string('label', 255).notNullable();
    t.text('record').notNullable();
    t.primary(['user_id', 'id']);
  });

  await knex.schema.createTable('installs', (t) => {
    installKeyColumns(t);
    t.index(['time_created', 'id']);
  });

  await knex.schema.createTable('backups', (t) => {
    installKeyColumns(t);
    t.string('backup_install', ID).notNullable().index();
    t.bigInteger('backup_time').notNullable().index();
    t.bigInteger('backup_expires').notNullable().index();
    t.string('backup_filename', TITLE).notNullable();
    t.text('backup_note').notNullable();
  });

  await knex.schema.createTable('templates', (t) => {
    installKeyColumns(t);
    t.string('template_scope', 16).notNullable().index();
    t.string('template_application', ID).notNullable().index();
    t.string('template_name', 255).notNullable();
    t.bigInteger('template_time').notNullable().index();
  });

  await knex.schema.createTable('tasks', (t) => {
    t.string('id', 32).primary(); // numeric string (spec §1.10), kept as text: 19 digits overflow JS numbers
    t.string('cmd', ID).notNullable();
    t.string('install_id', ID).notNullable().index();
    t.string('user', ID).notNullable().index();
    t.string('ws_label', 255).notNullable();
    t.string('url', URL).notNullable();
    t.string('title', TITLE).notNullable();
    t.text('payload').notNullable();
    t.string('status', 16).notNullable().index();
    t.string('label', 255).notNullable();
    t.string('message', 1024).notNullable();
    t.integer('percent_min').notNullable();
    t.integer('percent_max').notNullable();
    t.bigInteger('rate').notNullable();
    t.integer('attempts').notNullable();
    t.integer('max_attempts').notNullable();
    t.text('last_error');
    t.string('errcode', 128);
    t.string('locked_by', 191);
    t.bigInteger('locked_at');
    t.bigInteger('created_at').notNullable().index();
    t.bigInteger('started_at');
    t.bigInteger('finished_at');
  });

  // One mutating task per install, enforced by the primary key: a second lock on the same install is a
  // unique violation in every dialect, so two nodes sharing the database cannot both change one install.
  await knex.schema.createTable('install_locks', (t) => {
    t.string('install_id', ID).primary();
    t.string('task_id', 32).notNullable().references('id').inTable('tasks').onDelete('CASCADE');
    t.bigInteger('locked_at').notNullable();
  });

  await knex.schema.createTable('logs', (t) => {
    t.increments('id'); // increments is the primary key already (adding .primary() breaks PostgreSQL)
    t.bigInteger('time').notNullable().index();
    t.string('severity', 16).notNullable();
    t.string('user', ID).notNullable().index();
    t.string('install', ID).notNullable().index();
    t.string('cmd', ID).notNullable();
    t.string('url', URL).notNullable();
    t.string('title', TITLE).notNullable();
    t.string('source_url', URL).notNullable();
    t.string('source_title', TITLE).notNullable();
    t.string('ext_name', 255).notNullable();
    t.string('theme_name', 255).notNullable();
    t.string('plugin_name', 255).notNullable();
    t.string('backup_schedule', ID).notNullable();
    t.string('backup_location', TITLE).notNullable();
    t.text('message').notNullable();
    t.text('meta');
  });

  await knex.schema.createTable('backup_locations', (t) => {
    t.string('id', ID).primary();
    t.string('user', ID).notNullable().index();
    t.string('name', 255).notNullable();
    t.text('description').notNullable();
    t.text('uri').notNullable();
    t.string('scope', 16).notNullable();
    t.boolean('enabled').notNullable();
    t.boolean('is_default').notNullable();
    t.bigInteger('created_at').notNullable();
  });

  await knex.schema.createTable('backup_schedules', (t) => {
    t.string('id', ID).primary();
    t.string('user', ID).notNullable();
    t.string('name', 255).notNullable();
    t.integer('daily').notNullable();
    t.integer('weekly').notNullable();
    t.integer('monthly').notNullable();
    t.boolean('enabled').notNullable();
    t.boolean('forced').notNullable();
    t.string('location', 255).notNullable();
    t.bigInteger('created_at').notNullable();
  });
}

async function down(knex: Knex): Promise<void> {
  // Reverse order of creation: children before the tables they reference.
  for (const table of ['backup_schedules', 'backup_locations', 'logs', 'install_locks', 'tasks', 'templates', 'backups', 'installs', 'websites', 'users']) {
    await knex.schema.dropTableIfExists(table);
  }
}

/** Migration 0001: all tables of the first release. */
export const migration0001Init = { name: '0001-init', up, down } as const;
