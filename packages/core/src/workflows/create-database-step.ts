/**
 * The `create-database` step of install and clone: the caller's database when given (`db_*`), else a new database and
 * user on the configured server, recorded so that uninstall drops exactly what the engine made.
 */
import type { Step } from '../tasks/run-workflow';
import type { AppDeps } from './app-deps';
import type { DbCredentials } from './ports';

interface DatabaseRun {
  plan: { id: string; prefix: string; givenDb: DbCredentials | null; target: { owner: { id: string } } };
  db: DbCredentials | null;
}

export function createDatabaseStep<C extends DatabaseRun>(
  deps: AppDeps,
  opts: {
    percent: readonly [number, number];
    /** False for an application without a database. */
    needed(run: C): boolean;
    /** Names the new database (`<owner>_<app>`). */
    app(run: C): string;
    /** Saves the record with the new credentials (a crash after this step still knows what to drop). */
    save(run: C): Promise<void>;
  },
): Step<C> {
  const database = deps.runtime.database;
  return {
    name: 'create-database', message: '_tasks_shared_creatingdatabase', percent: opts.percent,
    async run(run) {
      if (!opts.needed(run)) return;
      if (run.plan.givenDb) {
        run.db = run.plan.givenDb;
        return;
      }
      const created = await database.createAppDatabase(deps.dbServer!, { hint: `${run.plan.target.owner.id}_${opts.app(run)}` });
      run.db = { ...created, db_prefix: run.plan.prefix };
      await deps.resources.record(run.plan.id, { created_db_name: created.db_name, created_db_user: created.db_user });
      await opts.save(run);
      return async () => { await database.dropAppDatabase(deps.dbServer!, { db_name: created.db_name, db_user: created.db_user }); };
    },
  };
}
