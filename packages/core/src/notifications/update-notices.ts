import type { Knex } from 'knex';

/** The `update_notices` table: the version an owner was last told about, per install and subject. */
export function createUpdateNotices(db: Knex) {
  return {
    async last(installId: string, subject: string): Promise<string | null> {
      const row = (await db('update_notices').where({ install_id: installId, subject }).first('version')) as { version: string } | undefined;
      return row?.version ?? null;
    },
    async record(installId: string, subject: string, version: string, at: number): Promise<void> {
      await db('update_notices').insert({ install_id: installId, subject, version, notified_at: at }).onConflict(['install_id', 'subject']).merge(['version', 'notified_at']);
    },
  };
}

export type UpdateNoticesRepo = ReturnType<typeof createUpdateNotices>;
