import { defineFieldMap, type FieldRule } from './field-map';
import { INSTALL_GENERAL_RULE, INSTALL_RULES } from './install';
import { renames } from './rules';

/** Members a template adds to the install record it was captured from (spec §8.6). */
export const TEMPLATE_OWN_RULES: readonly FieldRule[] = renames(
  'Template members follow the general rule of spec §4.3 [R]: `template_*` in v2 is `template-*` in v1.',
  {
    'template-name': 'template_name',
    'template-desc': 'template_desc',
    'template-scope': 'template_scope',
    'template-application': 'template_application',
    'template-filename': 'template_filename',
    'template-install': 'template_install',
    'template-time': 'template_time',
    'template-image': 'template_image',
    'template-icon': 'template_icon',
    'template-appcategory': 'template_appcategory',
    'template-size': 'template_size',
    'template-sha256': 'template_sha256',
  },
);

export const TEMPLATE_MAP = defineFieldMap('template', {
  note: 'Template records: the install record as captured, plus the template members (spec §8.6).',
  rules: [...TEMPLATE_OWN_RULES, ...INSTALL_RULES],
  unknownKeys: INSTALL_GENERAL_RULE,
});
