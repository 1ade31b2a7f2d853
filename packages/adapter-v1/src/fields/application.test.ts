import { toV1Data, toV2Data } from './field-maps';

const V1 = {
  appid: 'wordpress', version: '6.7.2', date: '2025-02-11', upgrade: 'minor', install: 'auto',
  link_site: 'https://wordpress.org', link_faq: 'https://wordpress.org/faq', requirements: { php: '7.2-' },
};
const V2 = {
  id: 'wordpress', version: '6.7.2', time: 1739232000, update: true, update_type: 'minor', install: true,
  links: { site: 'https://wordpress.org', faq: 'https://wordpress.org/faq' }, requirements: { php: '7.2-' },
};

describe('application field map (/browser, spec §4.4)', () => {
  it('translates a v1 version record to v2', () => {
    expect(toV2Data('application', V1)).toStrictEqual(V2);
  });
  it('translates it back', () => {
    expect(toV1Data('application', V2)).toStrictEqual(V1);
  });
  it('upgrade none ↔ update false; install none ↔ false', () => {
    expect(toV2Data('application', { upgrade: 'none', install: 'none' })).toStrictEqual({ update: false, update_type: 'none', install: false });
  });
  it('keeps unknown members under their name', () => {
    expect(toV2Data('application', { appid: 'x', 'cf-foo': 1 })).toStrictEqual({ id: 'x', 'cf-foo': 1 });
  });
  it('maps the versions-available-from answer', () => {
    expect(toV1Data('application', { versions_available: ['6.7.2'], versions_available_minor: [] }))
      .toStrictEqual({ 'versions-available': ['6.7.2'], 'versions-available-minor': [] });
  });
});
