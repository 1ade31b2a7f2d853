import { invalidArgument } from '@installgate/contracts';
import { boolEnum, type Codec } from '../fields/codecs';
import { isRecord } from '../fields/field-map';
import { WEBSITE_MAP } from '../fields/user';

/**
 * Codecs for v1 request parameters whose meaning depends on presence or on loose spellings (spec §1.4, §1.8).
 * `toV1` writes the canonical v1 spelling used by `fromV2Call`; `undefined` means "leave the parameter out".
 */

const LOOSE_BOOLEANS = { true: true, false: false, yes: true, no: false, '1': true, '0': false } as const;

/** `filter-version-available=yes` (spec §2.2: "when set equal to yes"); an empty value filters nothing. */
export const YES_FLAG = boolEnum({ yes: true, no: false }, {
  note: 'v1 `yes` ↔ true; no/""/false/0 ↔ false.',
  v1Aliases: { ...LOOSE_BOOLEANS, '': false },
});

/** `filter-ownedaccounts=` (spec §1.9: present with an empty value) ↔ true. */
export const PRESENCE_FLAG = boolEnum({ '': true, no: false }, {
  note: 'v1 present (usually empty, `filter-ownedaccounts=`) ↔ true; no/false/0 ↔ false.',
  v1Aliases: LOOSE_BOOLEANS,
});

/** `delete=true`, `delete-backups=true` (spec §2.2), `stage=true` (spec §9 #40). */
export const TRUE_FALSE = boolEnum({ true: true, false: false }, {
  note: 'v1 `true`/`false` (also yes/no/1/0) ↔ boolean.',
  v1Aliases: LOOSE_BOOLEANS,
});

/** `stage`: `true` marks the clone as a stage (spec §9 #40); any other value (an install id) passes unchanged. */
export const STAGE = boolEnum({ true: true, false: false }, {
  note: 'v1 `true`/`false` ↔ boolean; other values (an install id) pass unchanged.',
  v1Aliases: LOOSE_BOOLEANS,
  passthrough: true,
});

/** `addons=1` (spec §2.2, view). */
export const ONE_ZERO = boolEnum({ '1': true, '0': false }, { note: 'v1 `1`/`0` (also true/false/yes/no) ↔ boolean.', v1Aliases: LOOSE_BOOLEANS });

/** Presence flags such as `force` (spec §2.2: "include this argument"): any value is true; JSON `false` stays false. */
export const PRESENT_TRUE: Codec = {
  note: 'v1 present (any value) ↔ true; absent ↔ not sent. A JSON false (v2 encoding) stays false.',
  toV2: (value) => value !== false,
  toV1: (value, field) => {
    if (typeof value !== 'boolean') throw invalidArgument(field);
    return value ? '1' : undefined;
  },
};

/** spec §1.8: present ⇒ dry run; `1` = input, `2` = all, any other value (even empty) = all. v2 names pass. */
export const DRYRUN: Codec = {
  note: 'v1 present ⇒ dry run: 1 → input, 2 → all, any other value (also "") → all (spec §1.8); v2 none/input/all pass.',
  toV2(value) {
    if (value === 'none' || value === 'input' || value === 'all') return value;
    if (value === false) return 'none';
    const text = String(value).trim();
    return text === '1' ? 'input' : 'all';
  },
  toV1(value, field) {
    if (value === 'input') return '1';
    if (value === 'all') return '2';
    if (value === 'none') return undefined;
    throw invalidArgument(field);
  },
};

/** spec §1.8: present ⇒ background; `quick` detaches before the preflight checks. A JSON false stays false. */
export const BACKGROUND: Codec = {
  note: 'v1 present ⇒ true; `quick` ⇒ quick (detach before preflight) (spec §1.8); JSON false stays false.',
  toV2(value) {
    if (typeof value === 'string' && value.trim().toLowerCase() === 'quick') return 'quick';
    return value !== false;
  },
  toV1(value, field) {
    if (value === 'quick') return 'quick';
    if (value === true) return '1';
    if (value === false) return undefined;
    throw invalidArgument(field);
  },
};

/** update `plugin`/`theme` (spec §2.2): `*` = all = v2 `[]`; a comma list = the slugs. Arrays accepted. */
export const SLUG_LIST: Codec = {
  note: 'v1 `*` ↔ [] (all installed); comma list ↔ array of slugs (spec §2.2, §9 #5).',
  toV2(value, field) {
    if (Array.isArray(value)) return value.map(String).filter((s) => s !== '*');
    if (typeof value !== 'string') throw invalidArgument(field);
    return value.trim() === '*' ? [] : value.split(',').map((s) => s.trim()).filter((s) => s !== '');
  },
  toV1(value, field) {
    if (!Array.isArray(value)) throw invalidArgument(field);
    return value.length === 0 ? '*' : value.map(String).join(',');
  },
};

/** browser `application`: one id, an array, or a comma list (spec §2.1). A list becomes an array; one id stays. */
export const APP_LIST: Codec = {
  note: 'v1 array or comma list ↔ array; a single id stays a string (spec §2.1).',
  toV2(value, field) {
    if (Array.isArray(value)) return value.map(String);
    if (typeof value !== 'string') throw invalidArgument(field);
    return value.includes(',') ? value.split(',').map((s) => s.trim()).filter((s) => s !== '') : value;
  },
  toV1: (value) => value,
};

/**
 * `websites` (spec §4.7, §8.2): a JSON array (raw JSON body, or a JSON string in a form field), or a PHP-style form
 * array (`websites[0][path]=…`, which body parsers may turn into an object with numeric keys). Each website is
 * translated by the website field map (suspended yes/no ↔ boolean, `reseller` read as `parent`).
 */
export const WEBSITES: Codec = {
  note: 'v1 websites (JSON or form array; suspended yes/no) ↔ v2 array of websites (suspended boolean) (spec §4.7, §8.2).',
  toV2(value, field) {
    let list: unknown = value;
    if (typeof list === 'string') {
      try {
        list = JSON.parse(list);
      } catch {
        throw invalidArgument(field);
      }
    }
    if (isRecord(list)) list = Object.keys(list).every((k) => /^\d+$/.test(k)) ? Object.values(list) : [list];
    if (!Array.isArray(list) || !list.every(isRecord)) throw invalidArgument(field);
    return WEBSITE_MAP.toV2(list);
  },
  toV1(value, field) {
    if (!Array.isArray(value)) throw invalidArgument(field);
    return WEBSITE_MAP.toV1(value);
  },
};
