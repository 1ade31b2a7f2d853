import { EngineError, invalidArgument, zBackupLocation, type BackupLocation } from '@installgate/contracts';
import type { EngineContext } from '../engine-context';
import type { Actor, Scope } from '../access/actor';
import type { Visibility } from '../access/visibility';
import { redactUri } from '../secrets/redact';
import { newRecordId } from '../store/new-record-id';
import { checkRecord } from '../store/record-codec';
import type { SecretBox } from '../secrets/secret-box';
import { openColumn, SEALED_COLUMNS, sealColumn } from '../secrets/stored-secrets';

/** The id of the built-in location: the user's own hosting account. */
export const LOCAL_LOCATION_ID = 'local';

/** The built-in `local` location (spec §5.2); `default` is decided per listing. */
const LOCAL_LOCATION: Omit<BackupLocation, 'default'> = Object.freeze({
  id: LOCAL_LOCATION_ID,
  name: "Local (the user's account)",
  desc: '',
  uri: 'local',
  scope: 'user',
  enabled: true,
  user: '',
});

/** A location to store. Omitted members take the documented defaults (spec §5.2). */
export interface LocationInsert {
  id?: string;
  name: string;
  desc?: string;
  /** Stored encrypted (the whole URI); always masked on the way out. */
  uri: string;
  scope?: 'user' | 'admin';
  enabled?: boolean;
  default?: boolean;
  /** Creator; '' = the main admin. */
  user?: string;
}

interface LocationRow {
  id: string;
  user: string;
  name: string;
  description: string;
  uri: string;
  scope: string;
  enabled: number | boolean;
  is_default: number | boolean;
}

/** Backup locations: the built-in `local` plus stored ones. */
export interface LocationsService {
  /**
   * Locations visible to the scope, `local` first (spec §2.9). Admin: all; an account: `user`-scoped ones and
   * its own. `user` narrows to that account's view (must be visible). `group` is accepted and ignored: settings
   * groups are not modelled. Every `uri` is masked (`user:*****@`).
   */
  list(scope: Scope, q?: { user?: string; group?: string }): Promise<BackupLocation[]>;
  /**
   * One location; `local` is built in. Unknown → location_not_found. The uri is masked unless `withSecrets`
   * (engine use only: a backup needs the credentials; never render that result).
   */
  get(id: string, opts?: { withSecrets?: boolean }): Promise<BackupLocation>;
  /** True when the actor may use location `id` (exists, enabled, visible). */
  isUsableBy(actor: Actor, id: string): Promise<boolean>;
  /** Stores a location (repository level: callers check rights). Returns it with the uri masked. */
  insert(row: LocationInsert): Promise<BackupLocation>;
}

const URI = SEALED_COLUMNS.locationUri;

function fromRow(row: LocationRow, box: SecretBox): BackupLocation {
  return {
    id: row.id,
    name: row.name,
    desc: row.description,
    uri: openColumn(URI, row.id, row.uri, box),
    scope: row.scope === 'user' ? 'user' : 'admin',
    enabled: Boolean(row.enabled),
    default: Boolean(row.is_default),
    user: row.user,
  };
}

const masked = (l: BackupLocation): BackupLocation => ({ ...l, uri: redactUri(l.uri) });

function visibleTo(actorId: string | null, l: BackupLocation): boolean {
  return actorId === null || l.scope === 'user' || l.user === actorId;
}

/** The locations service over `backup_locations`. */
export function createLocationsService(ctx: EngineContext, vis: Visibility): LocationsService {
  const { db, secrets } = ctx;
  const all = async () => ((await db('backup_locations').select('*').orderBy([{ column: 'name' }, { column: 'id' }])) as LocationRow[]).map((r) => fromRow(r, secrets));
  const viewerOf = async (actor: Actor, user?: string): Promise<string | null> => {
    if (user === undefined || user === '') return actor.kind === 'admin' ? null : actor.id;
    if (user === ctx.settings.admin && actor.kind === 'admin') return null;
    await vis.requireUser(actor, user);
    return user;
  };

  return {
    async list(scope, q = {}) {
      const viewer = await viewerOf(scope.actor, q.user);
      const stored = (await all()).filter((l) => visibleTo(viewer, l));
      const local: BackupLocation = { ...LOCAL_LOCATION, default: !stored.some((l) => l.default && l.enabled) };
      return [local, ...stored].map(masked);
    },

    async get(id, opts = {}) {
      if (id === LOCAL_LOCATION_ID) return { ...LOCAL_LOCATION, default: true };
      const row = (await db('backup_locations').where({ id }).first()) as LocationRow | undefined;
      if (!row) throw new EngineError('location_not_found', { errfield: 'bkloc' });
      const l = fromRow(row, secrets);
      return opts.withSecrets ? l : masked(l);
    },

    async isUsableBy(actor, id) {
      if (id === LOCAL_LOCATION_ID) return true;
      const row = (await db('backup_locations').where({ id }).first()) as LocationRow | undefined;
      if (!row) return false;
      const l = fromRow(row, secrets);
      return l.enabled && visibleTo(actor.kind === 'admin' ? null : actor.id, l);
    },

    async insert(input) {
      const id = input.id ?? newRecordId();
      if (!/^[A-Za-z0-9_-]{1,64}$/.test(id) || id === LOCAL_LOCATION_ID) throw invalidArgument('id');
      if (!input.name || input.name.length > 255) throw invalidArgument('name');
      if (!/^[a-z][a-z0-9+.-]*:\/\/./i.test(input.uri)) throw new EngineError('invalid_argument_uri', { errfield: 'uri' });
      const location = checkRecord(zBackupLocation, {
        id,
        name: input.name,
        desc: input.desc ?? '',
        uri: input.uri,
        scope: input.scope ?? 'admin',
        enabled: input.enabled ?? true,
        default: input.default ?? false,
        user: input.user ?? '',
      }, 'backup location');
      await db('backup_locations').insert({
        id: location.id,
        user: location.user,
        name: location.name,
        description: location.desc,
        uri: sealColumn(URI, location.id, location.uri, secrets.seal),
        scope: location.scope,
        enabled: location.enabled,
        is_default: location.default,
        created_at: ctx.clock(),
      });
      return masked(location);
    },
  };
}
