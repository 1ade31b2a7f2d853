import type { Knex } from 'knex';
import { zWebsite, type ListPage, type User, type Website } from '@installgate/contracts';
import { decodeRecord, encodeRecord } from '../store/record-codec';
import { paginate, type PageRequest } from '../store/paginate';
import { whereContains } from '../store/search';
import type { SecretBox } from '../secrets/secret-box';
import { openWebsite, sealWebsite } from '../secrets/stored-secrets';

interface UserRow {
  id: string;
  parent: string;
  type: string;
  suspended: number | boolean;
  locale: string;
  email: string;
  package: string;
}

interface WebsiteRow {
  user_id: string;
  id: string;
  record: string;
}

/** What deleting a user removes (or would remove, in a dry run). */
export interface UserRemoval {
  websites: number;
  installs: number;
  backups: number;
  templates: number;
  tasks: number;
}

/** The user columns (explicit allowlist; websites live in their own table). */
function userColumns(u: User): UserRow {
  return { id: u.id, parent: u.parent, type: u.type, suspended: u.suspended, locale: u.locale, email: u.email, package: u.package };
}

function fromRows(row: UserRow, websites: Website[]): User {
  return {
    id: row.id,
    parent: row.parent,
    type: row.type === 'reseller' ? 'reseller' : 'user',
    suspended: Boolean(row.suspended),
    locale: row.locale,
    email: row.email,
    package: row.package,
    websites,
  };
}

/** Tables holding a user's records, and the column naming the owner. Order matters: children first. */
const OWNED_RECORDS = [
  ['backups', 'user'],
  ['templates', 'user'],
  ['installs', 'user'],
  ['tasks', 'user'],
] as const;

/**
 * Users and their websites. A website's home URI and database passwords are stored sealed (see
 * secrets/stored-secrets) and opened on read; nothing filters on them in SQL (websites are found by user id).
 */
export function createUserRepository(db: Knex, clock: () => number, box: SecretBox) {
  async function websitesOf(userIds: string[], on: Knex = db): Promise<Map<string, Website[]>> {
    const out = new Map<string, Website[]>(userIds.map((id) => [id, []]));
    if (userIds.length === 0) return out;
    const rows = (await on('websites').whereIn('user_id', userIds).orderBy([{ column: 'user_id' }, { column: 'position' }])) as WebsiteRow[];
    for (const r of rows) out.get(r.user_id)?.push(openWebsite(decodeRecord(zWebsite, r.record, `website ${r.id} of ${r.user_id}`), r.user_id, box));
    return out;
  }

  async function writeWebsites(trx: Knex, userId: string, websites: readonly Website[]): Promise<void> {
    await trx('websites').where({ user_id: userId }).delete();
    if (websites.length === 0) return;
    await trx('websites').insert(
      websites.map((w, position) => ({ user_id: userId, id: w.id, position, label: w.label, record: encodeRecord(zWebsite, sealWebsite(w, userId, box.seal), `website ${w.id}`) })),
    );
  }

  return {
    /** The user with its websites, or undefined. */
    async get(id: string): Promise<User | undefined> {
      const row = (await db('users').where({ id }).first()) as UserRow | undefined;
      if (!row) return undefined;
      return fromRows(row, (await websitesOf([id])).get(id) ?? []);
    },

    /** One page of users (owners null = all), ordered by id; `q` searches id and email. */
    async list(owners: string[] | null, q: string | undefined, page: PageRequest): Promise<ListPage<User>> {
      let qb = db('users');
      if (owners !== null) qb = qb.whereIn('id', owners);
      qb = whereContains(qb, ['id', 'email'], q);
      const rows = await paginate<UserRow, UserRow>(qb, page, (o) => o.orderBy('id'), (r) => r);
      const websites = await websitesOf(rows.items.map((r) => r.id));
      return { ...rows, items: rows.items.map((r) => fromRows(r, websites.get(r.id) ?? [])) };
    },

    /** Stores a new user and its websites in one transaction. */
    async insert(user: User): Promise<void> {
      const now = clock();
      await db.transaction(async (trx) => {
        await trx('users').insert({ ...userColumns(user), created_at: now, updated_at: now });
        await writeWebsites(trx, user.id, user.websites);
      });
    },

    /** Replaces a stored user and its whole website list in one transaction. */
    async update(user: User): Promise<void> {
      await db.transaction(async (trx) => {
        await trx('users').where({ id: user.id }).update({ ...userColumns(user), updated_at: clock() });
        await writeWebsites(trx, user.id, user.websites);
      });
    },

    /** Counts what deleting the user would remove. */
    async countOwned(id: string): Promise<UserRemoval> {
      const count = async (table: string, column: string) => Number(((await db(table).where(column, id).count({ n: '*' })) as Array<{ n: number | string }>)[0].n);
      return {
        websites: await count('websites', 'user_id'),
        installs: await count('installs', 'user'),
        backups: await count('backups', 'user'),
        templates: await count('templates', 'user'),
        tasks: await count('tasks', 'user'),
      };
    },

    /**
     * Removes the user and every record it owns (database only; sites and archives stay). Accounts it was the
     * parent of move up to its own parent so they stay within reach of the same resellers. Logs are kept.
     */
    async removeWithRecords(id: string, newParentOfChildren: string): Promise<void> {
      await db.transaction(async (trx) => {
        const installIds = (await trx('installs').where({ user: id }).select('id')) as Array<{ id: string }>;
        if (installIds.length > 0) await trx('install_locks').whereIn('install_id', installIds.map((r) => r.id)).delete();
        for (const [table, column] of OWNED_RECORDS) await trx(table).where(column, id).delete();
        await trx('websites').where({ user_id: id }).delete();
        await trx('users').where({ parent: id }).update({ parent: newParentOfChildren, updated_at: clock() });
        await trx('users').where({ id }).delete();
      });
    },
  };
}

/** The users repository (type of createUserRepository). */
export type UserRepository = ReturnType<typeof createUserRepository>;
