import type { Website } from '@installgate/contracts';
import { isSealed, type SecretBox } from './secret-box';

/*
 * What is encrypted at rest, in one place: the repositories seal on write and open on read with these tables,
 * and migration 0006 seals the plain rows written before, with the same tables, so both always agree on the
 * member list and on the aad that binds a value to its row.
 *
 * Values are sealed whole. A member marked `only: isUri` is sealed when it is a URI (a remote website home or a
 * location URI carries user and password in it); a local path, `local` or a location id stays readable, because
 * it holds no credential and operators read those columns when something goes wrong.
 */

/** True for `scheme://…`: a remote website home or a location URI, as opposed to a local path or an id. */
export function isUri(value: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(value);
}

/** One string member that is stored sealed: always, or only when `only` says this value can hold credentials. */
export interface SealedMember {
  member: string;
  only?: (plain: string) => boolean;
}

/** Turns a plain value into its stored form (the repositories pass box.seal; the migration sealLegacy). */
export type Sealer = (plain: string, aad: string) => string;

/** Install, backup and template records (their `record` JSON): the application's database password and a remote path. */
export const RECORD_SECRETS: readonly SealedMember[] = [{ member: 'db_pass' }, { member: 'path', only: isUri }];

/** The record tables sealed with RECORD_SECRETS. */
export const SEALED_RECORD_TABLES = ['installs', 'backups', 'templates'] as const;

/** A website's home (spec §8.2: "whole URI AES-encrypted in the DB"). */
const WEBSITE_SECRETS: readonly SealedMember[] = [{ member: 'path', only: isUri }];
/** A website database entry's password. */
const WEBSITE_DATABASE_SECRETS: readonly SealedMember[] = [{ member: 'pass' }];

/** Plain columns that are sealed: `key` is the row's key column, which the aad names. */
export interface SealedColumn extends SealedMember {
  table: string;
  key: string;
}

/**
 * Location credentials outside records: stored backup locations (always whole: spec §5.2 URIs carry keys in user,
 * password or query), and where each archive is (`location_ref` is a URI when the caller named one).
 * `backup_schedules.location` names a location id (no write API stores anything else), so it stays plain.
 */
export const SEALED_COLUMNS = {
  locationUri: { table: 'backup_locations', key: 'id', member: 'uri' },
  objectLocation: { table: 'backup_objects', key: 'backup_id', member: 'location_ref', only: isUri },
} as const satisfies Record<string, SealedColumn>;

/** The aad of one stored value: table, member and row, so a sealed value opens nowhere else. */
export function aadOf(table: string, member: string, rowKey: string): string {
  return `${table}.${member}:${rowKey}`;
}

/** Seals `value` unless it is sealed already: the migration's sealer, safe to run over half-migrated data. */
export function legacySealer(box: SecretBox): Sealer {
  return (plain, aad) => (isSealed(plain) ? plain : box.seal(plain, aad));
}

const applies = (m: SealedMember, value: unknown): value is string => typeof value === 'string' && value !== '' && (m.only?.(value) ?? true);

/** A copy of `record` with its secret members sealed (the record itself is left alone). */
export function sealMembers<T extends object>(record: T, members: readonly SealedMember[], seal: Sealer, aad: (member: string) => string): T {
  const out: Record<string, unknown> = { ...(record as Record<string, unknown>) };
  for (const m of members) if (applies(m, out[m.member])) out[m.member] = seal(out[m.member] as string, aad(m.member));
  return out as T;
}

/**
 * `record` with its secret members opened. Returns the same object when nothing was sealed; otherwise a frozen
 * copy, because decoded records are immutable values (see decodeRecord).
 */
export function openMembers<T extends object>(record: T, members: readonly SealedMember[], box: SecretBox, aad: (member: string) => string): T {
  let out: Record<string, unknown> | undefined;
  for (const m of members) {
    const value = (record as Record<string, unknown>)[m.member];
    if (typeof value !== 'string' || !isSealed(value)) continue;
    out ??= { ...(record as Record<string, unknown>) };
    out[m.member] = box.open(value, aad(m.member));
  }
  return out ? (Object.freeze(out) as T) : record;
}

/** A plain column value in its stored form. */
export function sealColumn(c: SealedColumn, rowKey: string, value: string, seal: Sealer): string {
  return applies(c, value) ? seal(value, aadOf(c.table, c.member, rowKey)) : value;
}

/** A stored column value opened (legacy plain values come back as they are). */
export function openColumn(c: SealedColumn, rowKey: string, stored: string, box: SecretBox): string {
  return box.open(stored, aadOf(c.table, c.member, rowKey));
}

const websiteAad = (userId: string, websiteId: string) => (member: string) => aadOf('websites', member, `${userId}/${websiteId}`);
const databaseAad = (userId: string, websiteId: string, index: number) => (member: string) => aadOf('websites', `databases.${member}`, `${userId}/${websiteId}/${index}`);

/** A website of `userId` in its stored form: home URI and database passwords sealed. */
export function sealWebsite<W extends Pick<Website, 'id' | 'databases'>>(w: W, userId: string, seal: Sealer): W {
  const sealed = sealMembers(w, WEBSITE_SECRETS, seal, websiteAad(userId, w.id));
  return { ...sealed, databases: w.databases.map((d, i) => sealMembers(d, WEBSITE_DATABASE_SECRETS, seal, databaseAad(userId, w.id, i))) };
}

/** A stored website of `userId` opened. Frozen like every decoded record. */
export function openWebsite(w: Website, userId: string, box: SecretBox): Website {
  const opened = openMembers(w, WEBSITE_SECRETS, box, websiteAad(userId, w.id));
  const databases = w.databases.map((d, i) => openMembers(d, WEBSITE_DATABASE_SECRETS, box, databaseAad(userId, w.id, i)));
  if (opened === w && databases.every((d, i) => d === w.databases[i])) return w;
  return Object.freeze({ ...opened, databases: Object.freeze(databases) as Website['databases'] });
}
