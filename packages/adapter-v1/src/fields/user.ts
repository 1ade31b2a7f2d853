import { YES_NO } from './codecs';
import { defineFieldMap } from './field-map';
import { codec, each, same, sames } from './rules';

const SUSPENDED = 'API v2 notes: suspended "has been changed to a boolean"; v1 website definitions use yes/no.';

/** A website of a user (spec §8.2). */
export const WEBSITE_MAP = defineFieldMap('user.websites[]', {
  note: 'A website inside a user record, and each website of a v1 `websites` parameter.',
  rules: [
    ...sames(['id', 'label', 'path', 'server', 'email', 'vhosts', 'databases']),
    same('parent', 'Same name; a request may say `reseller` instead (users/edit example, spec §9 #26).', { v1Aliases: ['reseller'] }),
    ...sames(['url_ip', 'path_backups', 'mysql_host', 'language']),
    codec('suspended', 'suspended', YES_NO, SUSPENDED),
  ],
});

export const USER_MAP = defineFieldMap('user', {
  note: 'User records of /users (spec §8.5).',
  rules: [
    ...sames(['id', 'parent', 'type']),
    codec('suspended', 'suspended', YES_NO, SUSPENDED),
    ...sames(['locale', 'email', 'package']),
    each('websites', 'websites', WEBSITE_MAP, 'Same name; each website maps its own members (suspended yes/no ↔ boolean).'),
  ],
});
