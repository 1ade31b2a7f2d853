import { describeRules } from './describe-rules';
import { describeParams } from '../commands/describe-commands';

describe('describeRules', () => {
  const rules = describeRules();
  it('has rows for every resource, each with a note', () => {
    for (const rows of Object.values(rules)) {
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.filter((r) => !r.note.trim())).toEqual([]);
    }
  });
  it('describes renames, sub-records, lossy rules and the unknown-member rule', () => {
    expect(rules.install).toContainEqual(expect.objectContaining({ v1: 'list-files', v2: 'files', lossy: false }));
    expect(rules.install).toContainEqual(expect.objectContaining({ v1: 'list-themes[].active | list-themes[].activated', v2: 'themes[].activated | themes[].active' }));
    expect(rules.install).toContainEqual(expect.objectContaining({ v1: 'autobk | autobk_schedule', v2: 'autobk + autobk_schedule', lossy: true }));
    expect(rules.install).toContainEqual(expect.objectContaining({ v1: 'cf-<field>', v2: '<field>', kind: 'unknown' }));
    expect(rules.application).toContainEqual(expect.objectContaining({ v2: 'links', lossy: true }));
  });
  it('describes the request parameters', () => {
    expect(describeParams()).toContainEqual(expect.objectContaining({ v1: 'plugin | plugins', v2: 'plugins' }));
  });
});
