import { EngineError, emptyArgument, invalidArgument, type User } from '@installgate/contracts';
import type { WebsiteInput } from './websites';

/**
 * A user as callers send it (spec §2.6): the user members, `language` (the create parameter) as an alias of
 * `locale`, and `reseller` (the request spelling, spec §9 #26) as an alias of `parent`.
 */
export interface UserInput {
  id?: string;
  email?: string;
  language?: string;
  locale?: string;
  package?: string;
  parent?: string;
  reseller?: string;
  suspended?: boolean;
  type?: 'user' | 'reseller';
  websites?: WebsiteInput[];
}

/** The user members a create/edit may set, after aliases are folded in. */
export type UserChanges = Partial<Omit<User, 'id'>>;

const USER_ID = /^[A-Za-z0-9._@-]{1,64}$/;

/**
 * Checks a username: `[A-Za-z0-9._@-]{1,64}`, and not `.`/`..` (a username becomes a directory name under
 * homesRoot). Throws empty_argument_id / invalid_argument_id.
 */
export function checkUserId(id: unknown): string {
  if (id === undefined || id === null || id === '') throw emptyArgument('id');
  if (typeof id !== 'string' || !USER_ID.test(id) || id === '.' || id === '..') throw invalidArgument('id');
  return id;
}

/** Which checks each plain member gets: its type and longest length. */
const TEXT_MEMBERS = { email: 320, locale: 32, package: 255 } as const;

/**
 * Folds aliases and checks member types of a user create/edit. `websites` is returned raw (normalised later
 * against the stored list). Unknown members → invalid_argument_<member>.
 */
export function readUserInput(input: UserInput): { changes: UserChanges; websites?: unknown } {
  const raw = { ...input } as Record<string, unknown>;
  const fold = (alias: string, member: string) => {
    if (raw[alias] === undefined) return;
    if (raw[member] !== undefined && raw[member] !== raw[alias]) throw invalidArgument(member, `${member} and ${alias} differ.`);
    raw[member] = raw[alias];
    delete raw[alias];
  };
  fold('language', 'locale');
  fold('reseller', 'parent');

  const changes: Record<string, unknown> = {};
  let websites: unknown;
  for (const [member, value] of Object.entries(raw)) {
    if (value === undefined || member === 'id') continue;
    if (member === 'websites') {
      websites = value;
    } else if (member in TEXT_MEMBERS) {
      if (typeof value !== 'string' || value.length > TEXT_MEMBERS[member as keyof typeof TEXT_MEMBERS]) throw invalidArgument(member);
      changes[member] = value;
    } else if (member === 'parent') {
      if (typeof value !== 'string') throw invalidArgument('parent');
      changes.parent = value;
    } else if (member === 'suspended') {
      if (typeof value !== 'boolean') throw invalidArgument('suspended');
      changes.suspended = value;
    } else if (member === 'type') {
      if (value !== 'user' && value !== 'reseller') throw invalidArgument('type');
      changes.type = value;
    } else {
      throw invalidArgument(member);
    }
  }
  return { changes: changes as UserChanges, websites };
}

/** The error for an action the actor may not take on an account (403 at the edge). */
export function forbiddenUser(message: string): EngineError {
  return new EngineError('invalid_argument_user', { errfield: 'user', message });
}
