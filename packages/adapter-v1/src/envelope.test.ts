import { v1Envelope } from './envelope';

describe('v1Envelope (spec §1.5, §1.6)', () => {
  it('success: result, errcode, message, data in that order', () => {
    const e = v1Envelope({ result: true, errcode: null, message: 'The task is complete.\n', data: [{ id: 'a' }] });
    expect(e).toStrictEqual({ result: true, errcode: null, message: 'The task is complete.\n', data: [{ id: 'a' }] });
    expect(Object.keys(e)).toEqual(['result', 'errcode', 'message', 'data']);
  });
  it('adds task for a backgrounded call', () => {
    expect(v1Envelope({ result: true, errcode: null, message: 'm', data: null, task: { id: '1' } }))
      .toStrictEqual({ result: true, errcode: null, message: 'm', data: null, task: { id: '1' } });
  });
  it('failure: no data, no v2 members', () => {
    const e = v1Envelope({ result: false, errcode: 'install_not_found', message: 'The install was not found.', data: { x: 1 } });
    expect(e).toStrictEqual({ result: false, errcode: 'install_not_found', message: 'The install was not found.' });
    for (const v2Only of ['status', 'errfield', 'total_count', 'has_more']) expect(e).not.toHaveProperty([v2Only]);
  });
  it('dry run success keeps its errcode', () => {
    expect(v1Envelope({ result: true, errcode: 'complete_dryrun', message: 'm' })).toStrictEqual({ result: true, errcode: 'complete_dryrun', message: 'm' });
  });
});
