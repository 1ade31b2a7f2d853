import { invalidArgument } from '@installgate/contracts';
import { AUTO_NONE, ISO_DATE_UNIX } from './codecs';
import { defineFieldMap, type Rec } from './field-map';
import { codec, composite, nest, rename, same, sames } from './rules';

/** An application version as `/browser` lists it (spec §4.4, §8.1). */

const NOTES_TABLE = 'Rename table of the API v2 notes for /browser (spec §4.4).';
const UPGRADE_TYPES: readonly unknown[] = ['minor', 'major', 'none'];
const DAY = 86_400;

/** v1 flat `link_*` ↔ v2 `links.*`. `link_faq` is in the v1 field list but not in the notes table (spec §9 #37). */
const LINKS = {
  changelog: 'link_changelog',
  site: 'link_site',
  demo: 'link_demo',
  showcase: 'link_showcase',
  support: 'link_support',
  docs: 'link_docs',
  faq: 'link_faq',
} as const;

/**
 * v1 `upgrade` (`minor`/`major`/`none`) ↔ v2 `update` (boolean, notes) + `update_type` (ours, keeps the string).
 * Spec §4.4: `update = upgrade !== 'none'`.
 */
const UPGRADE_RULE = composite({
  v1: ['upgrade'],
  v2: ['update', 'update_type'],
  note: 'v1 upgrade minor|major|none ↔ v2 update (boolean: upgrade !== none) + update_type (ours: the v1 string) (spec §4.4).',
  lossy: {
    reason: 'v1 has one member: an update flag that contradicts update_type, or an update flag without update_type (read back as minor/none), does not survive.',
    normalise(r: Rec) {
      if (r.update_type !== undefined) r.update = r.update_type !== 'none';
      else if (r.update !== undefined) r.update_type = r.update === true ? 'minor' : 'none';
    },
  },
  toV2(src, out) {
    if (!UPGRADE_TYPES.includes(src.upgrade)) throw invalidArgument('upgrade');
    out.update = src.upgrade !== 'none';
    out.update_type = src.upgrade;
  },
  toV1(src, out) {
    if (src.update_type !== undefined) {
      if (!UPGRADE_TYPES.includes(src.update_type)) throw invalidArgument('update_type');
      out.upgrade = src.update_type;
    } else {
      // CASE: only the boolean is known; `minor` is the narrower claim (listed as lossy).
      out.upgrade = src.update === true ? 'minor' : 'none';
    }
  },
});

export const APPLICATION_MAP = defineFieldMap('application', {
  note: 'Application versions returned by GET /browser and GET /browser/{id} (spec §4.4, §8.1).',
  rules: [
    rename('appid', 'id', NOTES_TABLE),
    ...sames(['version', 'branch', 'name', 'category', 'type']),
    codec('date', 'time', ISO_DATE_UNIX, `${NOTES_TABLE} ${ISO_DATE_UNIX.note}`, {
      lossy: {
        reason: 'v1 keeps the day only: a time that is not midnight UTC reads back as that midnight.',
        normalise(r: Rec) {
          if (typeof r.time === 'number') r.time = Math.floor(r.time / DAY) * DAY;
        },
      },
    }),
    ...sames(['license', 'tags', 'description', 'authordescription', 'changelog']),
    UPGRADE_RULE,
    codec('install', 'install', AUTO_NONE, `${NOTES_TABLE} ${AUTO_NONE.note}`),
    nest('links', LINKS, `${NOTES_TABLE} link_* members nest under links; link_faq → links.faq (spec §9 #37).`, {
      reason: 'an empty links object has no v1 form (no link_* member) and reads back as absent.',
      normalise(r: Rec) {
        if (typeof r.links === 'object' && r.links !== null && Object.keys(r.links).length === 0) delete r.links;
      },
    }),
    ...sames(['requirements', 'languages', 'fields', 'images']),
    same('upgrade_from', 'v1 `from-version` adds upgrade_from to each version; same name and values in v2.'),
    rename('versions-available', 'versions_available', 'v1 `versions-available-from` answers two lists instead of versions (spec §2.1); v2 spells them with underscores.', {
      outsideSchema: 'the answer of GET /browser/{id}?versions_available_from=… is not an application version',
    }),
    rename('versions-available-minor', 'versions_available_minor', 'Second list of the `versions-available-from` answer (spec §2.1).', {
      outsideSchema: 'the answer of GET /browser/{id}?versions_available_from=… is not an application version',
    }),
  ],
});
