import type { Knex } from 'knex';

/*
 * The scheduler's state, shared by every server process on one state database.
 *
 * `scheduler_jobs`: one row per (job kind, target) — e.g. ('autobk', install id). A process runs a job only after
 * it has won the row's lease with one conditional UPDATE (lease_until <= now AND retry_after <= now), which the
 * database serialises on every dialect; a process that dies while holding it loses it when lease_until passes.
 * retry_after holds a failed job back (from the next pass on, longer after each further failure: `failures`).
 *
 * `auto_backups`: which backups the scheduler took and which GFS kinds each one still counts as (daily, weekly,
 * monthly). A side table, not a backup field: the API's backup record has no such member. A backup without a row
 * here is a manual one, which the scheduler never deletes.
 */
async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('scheduler_jobs', (t) => {
    t.string('kind', 32).notNullable();
    t.string('target', 64).notNullable();
    t.string('lease_owner', 128).notNullable().defaultTo('');
    t.bigInteger('lease_until').notNullable().defaultTo(0);
    t.bigInteger('retry_after').notNullable().defaultTo(0);
    t.bigInteger('last_run').notNullable().defaultTo(0);
    t.integer('failures').notNullable().defaultTo(0);
    t.primary(['kind', 'target']);
  });
  await knex.schema.createTable('auto_backups', (t) => {
    t.string('backup_id', 64).primary();
    t.string('install_id', 64).notNullable().index();
    t.bigInteger('backup_time').notNullable();
    t.boolean('daily').notNullable();
    t.boolean('weekly').notNullable();
    t.boolean('monthly').notNullable();
  });
}

async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('auto_backups');
  await knex.schema.dropTableIfExists('scheduler_jobs');
}

/** Migration 0004: scheduler job leases and the kinds of automatic backups. */
export const migration0004SchedulerJobs = { name: '0004-scheduler-jobs', up, down } as const;
