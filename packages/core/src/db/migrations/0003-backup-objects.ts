import type { Knex } from 'knex';

/*
 * Where each backup's archive lives: the location it was written to (as the caller named it: `local`, a location
 * id, or a location URI with its credentials), the account folder of `local`, the object key, and the archive's
 * size and sha256, and the task writing it. Kept apart from the backup record because the record is shown to clients and this row may hold
 * credentials. Only archives with a row here are ever deleted by the engine.
 */
async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('backup_objects', (t) => {
    t.string('backup_id', 64).primary();
    t.text('location_ref').notNullable();
    t.string('local_root', 2048).notNullable();
    t.string('object_key', 1024).notNullable();
    t.bigInteger('size').notNullable();
    t.string('sha256', 64).notNullable();
    // The task writing the archive. A row whose backup record is missing is an upload that never finished: once
    // its task is over (failed, or cut off by a restart) its archive is removed (see clean-orphan-archives).
    t.string('task_id', 64).notNullable().defaultTo('');
  });
}

async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('backup_objects');
}

/** Migration 0003: where backup archives are stored. */
export const migration0003BackupObjects = { name: '0003-backup-objects', up, down } as const;
