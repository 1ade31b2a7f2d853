import type { Knex } from 'knex';
import { EngineError } from '@installgate/contracts';
import type { Actor } from './actor';

/**
 * Parent chains deeper than this are treated as broken data (a cycle, or a runaway chain): stop walking.
 * Real hierarchies are admin → reseller → user, occasionally one level more.
 */
const MAX_DEPTH = 32;

/**
 * Who may see whose records (spec §1.9 [R]): the main admin sees everything; a reseller sees itself and every
 * account whose `parent` chain reaches it; a user sees only itself.
 */
export interface Visibility {
  /** True when `actor` may see the records of account `ownerId` (the account need not exist). */
  canSee(actor: Actor, ownerId: string): Promise<boolean>;
  /** Every account whose parent chain reaches `userId` (not including it). Empty for a leaf. */
  descendantsOf(userId: string): Promise<string[]>;
  /**
   * The owners an actor's records may belong to: null = everyone (admin), else the actor and, for a reseller,
   * its descendants.
   */
  ownersVisibleTo(actor: Actor): Promise<string[] | null>;
  /**
   * Checks that account `userId` exists and is visible. Throws user_not_found (unknown) or
   * invalid_argument_user (exists but outside the actor's reach); `errfield` names the input field.
   */
  requireUser(actor: Actor, userId: string, errfield?: string): Promise<void>;
  /** Checks that records owned by `ownerId` are visible. Throws invalid_argument_user otherwise. */
  requireOwner(actor: Actor, ownerId: string): Promise<void>;
  /** The stored account `userId` (id, type, parent), or undefined. */
  accountOf(userId: string): Promise<{ id: string; type: 'user' | 'reseller'; parent: string } | undefined>;
}

/** Visibility over the `users` table. Reads only. */
export function createVisibility(db: Knex): Visibility {
  async function parentOf(userId: string): Promise<string | undefined> {
    const row = (await db('users').where({ id: userId }).first('parent')) as { parent: string } | undefined;
    return row?.parent;
  }

  async function isAncestor(ancestorId: string, userId: string): Promise<boolean> {
    let current = userId;
    const seen = new Set<string>([current]);
    for (let depth = 0; depth < MAX_DEPTH; depth++) {
      const parent = await parentOf(current);
      if (!parent || seen.has(parent)) return false;
      if (parent === ancestorId) return true;
      seen.add(parent);
      current = parent;
    }
    return false;
  }

  async function descendantsOf(userId: string): Promise<string[]> {
    const found = new Set<string>([userId]);
    let frontier = [userId];
    for (let depth = 0; depth < MAX_DEPTH && frontier.length > 0; depth++) {
      const rows = (await db('users').whereIn('parent', frontier).select('id')) as Array<{ id: string }>;
      frontier = rows.map((r) => r.id).filter((id) => !found.has(id));
      for (const id of frontier) found.add(id);
    }
    found.delete(userId);
    return [...found].sort();
  }

  async function canSee(actor: Actor, ownerId: string): Promise<boolean> {
    if (actor.kind === 'admin') return true;
    if (ownerId === actor.id) return true;
    if (actor.type !== 'reseller') return false;
    return isAncestor(actor.id, ownerId);
  }

  return {
    canSee,
    async accountOf(userId) {
      const row = (await db('users').where({ id: userId }).first('id', 'type', 'parent')) as { id: string; type: string; parent: string } | undefined;
      return row ? { id: row.id, type: row.type === 'reseller' ? 'reseller' : 'user', parent: row.parent } : undefined;
    },
    descendantsOf,
    async ownersVisibleTo(actor) {
      if (actor.kind === 'admin') return null;
      if (actor.type === 'user') return [actor.id];
      return [actor.id, ...(await descendantsOf(actor.id))];
    },
    async requireUser(actor, userId, errfield = 'user') {
      const exists = await db('users').where({ id: userId }).first('id');
      if (!exists) throw new EngineError('user_not_found', { errfield });
      if (!(await canSee(actor, userId))) throw new EngineError('invalid_argument_user', { errfield });
    },
    async requireOwner(actor, ownerId) {
      if (!(await canSee(actor, ownerId))) throw new EngineError('invalid_argument_user', { errfield: 'user' });
    },
  };
}
