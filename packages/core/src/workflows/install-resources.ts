import type { Knex } from 'knex';

/** What the engine created for one install (empty strings: nothing of that kind). */
export interface InstallResources {
  created_db_name: string;
  created_db_user: string;
  created_path: string;
}

const NONE: InstallResources = { created_db_name: '', created_db_user: '', created_path: '' };

/** The `install_resources` table: written by install/clone/restore-to, read by uninstall. */
export function createInstallResources(db: Knex) {
  return {
    async get(installId: string): Promise<InstallResources> {
      const row = (await db('install_resources').where({ install_id: installId }).first()) as (InstallResources & { install_id: string }) | undefined;
      return row ? { created_db_name: row.created_db_name, created_db_user: row.created_db_user, created_path: row.created_path } : { ...NONE };
    },
    /** Merges `patch` into the install's row (creating it). */
    async record(installId: string, patch: Partial<InstallResources>): Promise<void> {
      const current = await this.get(installId);
      const next = { ...current, ...patch };
      const n = await db('install_resources').where({ install_id: installId }).update(next);
      if (Number(n) === 0) await db('install_resources').insert({ install_id: installId, ...next });
    },
    async forget(installId: string): Promise<void> {
      await db('install_resources').where({ install_id: installId }).delete();
    },
  };
}

export type InstallResourcesRepo = ReturnType<typeof createInstallResources>;
