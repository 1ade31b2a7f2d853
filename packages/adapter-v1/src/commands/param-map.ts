import { AUTOUP, AUTOUP_ADDONS, AUTOUP_BACKUP, NOTIFICATION_LIST, YES_NO, asText } from '../fields/codecs';
import { defineFieldMap } from '../fields/field-map';
import { AUTOBK_RULE } from '../fields/install';
import { codec, rename } from '../fields/rules';
import {
  APP_LIST, BACKGROUND, DRYRUN, ONE_ZERO, PRESENCE_FLAG, PRESENT_TRUE, SLUG_LIST, STAGE, TRUE_FALSE, WEBSITES, YES_FLAG,
} from './param-codecs';

const V2_NAME = 'v2 spells the parameter with underscores (spec §2.2, §4.3 general rule).';

/**
 * v1 request parameters ↔ v2 call parameters, the same for every command (a parameter name means the same thing in
 * every v1 command). Parameters without a rule pass unchanged: app custom fields (`login`, `passwd`, `sitetitle`),
 * `url`, `version`, `user`, `q`, … and v1 `source_ftu`/`source_ftu_key`, which the v2 routes accept as aliases.
 */
export const PARAM_MAP = defineFieldMap('request', {
  note: 'Parameters of a v1 command and of the v2 call it becomes (spec §4.5, §1.8, §4.3).',
  rules: [
    codec('filter-version-available', 'filter_version_available', YES_FLAG, `${V2_NAME} ${YES_FLAG.note}`),
    codec('filter-version-available-minor', 'filter_version_available_minor', YES_FLAG, `${V2_NAME} ${YES_FLAG.note}`),
    codec('filter-ownedaccounts', 'filter_ownedaccounts', PRESENCE_FLAG, `${V2_NAME} ${PRESENCE_FLAG.note}`),
    codec('delete-backups', 'delete_backups', TRUE_FALSE, `${V2_NAME} ${TRUE_FALSE.note}`),
    codec('delete', 'delete', TRUE_FALSE),
    rename('from-version', 'from_version', V2_NAME),
    rename('versions-available-from', 'versions_available_from', V2_NAME),
    codec('autoup', 'autoup', asText(AUTOUP)),
    codec('autoup_plugins', 'autoup_plugins', asText(AUTOUP_ADDONS)),
    codec('autoup_themes', 'autoup_themes', asText(AUTOUP_ADDONS)),
    codec('autoup_backup', 'autoup_backup', asText(AUTOUP_BACKUP)),
    AUTOBK_RULE,
    codec('notification', 'notification', NOTIFICATION_LIST),
    codec('revert', 'revert', YES_NO, 'v1 yes/no ↔ boolean; true = restore the pre-update backup if the update fails (spec §9 #4).'),
    codec('dryrun', 'dryrun', DRYRUN),
    codec('background', 'background', BACKGROUND),
    codec('force', 'force', PRESENT_TRUE),
    codec('plugin', 'plugins', SLUG_LIST, `v1 \`plugin\`, v2 \`plugins\` (spec §9 #5). ${SLUG_LIST.note}`, { v1Aliases: ['plugins'] }),
    codec('theme', 'themes', SLUG_LIST, `v1 \`theme\`, v2 \`themes\` (spec §9 #5). ${SLUG_LIST.note}`, { v1Aliases: ['themes'] }),
    codec('stage', 'stage', STAGE),
    codec('addons', 'addons', ONE_ZERO),
    codec('suspended', 'suspended', YES_NO),
    codec('application', 'application', APP_LIST),
    codec('websites', 'websites', WEBSITES),
  ],
});
