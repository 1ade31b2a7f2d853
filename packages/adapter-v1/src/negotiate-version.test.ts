import { EngineError } from '@installgate/contracts';
import { negotiateVersion } from './negotiate-version';

function errorOf(fn: () => unknown): EngineError {
  try {
    fn();
  } catch (e) {
    if (e instanceof EngineError) return e;
    throw e;
  }
  throw new Error('expected an EngineError');
}

describe('negotiateVersion (spec §4.6)', () => {
  it.each([
    ['cmd', undefined, undefined, '1.0'],
    ['rest', undefined, undefined, '2.0'],
    ['cmd', '2.0', undefined, '2.0'],
    ['rest', '1.0', undefined, '1.0'],
    ['cmd', undefined, { api_version: '2.0' }, '2.0'],
    ['rest', undefined, { api_version: '1.0' }, '1.0'],
    ['cmd', undefined, '2.0', '2.0'],
    ['rest', '2.0', { api_version: '1.0' }, '2.0'],
    ['cmd', '1.0', { api_version: '2.0' }, '1.0'],
    ['cmd', 'V2', undefined, '2.0'],
    ['rest', ' 1 ', undefined, '1.0'],
    ['rest', 'v1', undefined, '1.0'],
    ['cmd', ['2.0'], undefined, '2.0'],
    ['cmd', '2.0, 2.0', undefined, '2.0'],
    ['cmd', '', { api_version: '2.0' }, '2.0'],
    ['rest', undefined, { api_version: '' }, '2.0'],
    ['cmd', undefined, { other: 'x' }, '1.0'],
    ['cmd', undefined, { api_version: 2 }, '2.0'],
  ] as const)('style %s, header %j, query %j → %s', (style, header, query, expected) => {
    expect(negotiateVersion({ style, header: header as string | string[] | undefined, query })).toBe(expected);
  });

  it.each([
    ['3.0', undefined],
    ['latest', undefined],
    [['1.0', '2.0'], undefined],
    [undefined, { api_version: '1.5' }],
    [undefined, { api_version: ['1.0', '2.0'] }],
    [undefined, { api_version: { x: 1 } }],
  ] as const)('header %j, query %j → invalid_argument_api_version', (header, query) => {
    const e = errorOf(() => negotiateVersion({ style: 'cmd', header: header as string | string[] | undefined, query }));
    expect([e.errcode, e.errfield]).toEqual(['invalid_argument_api_version', 'api_version']);
  });

  it('a bad header fails even when the query is good (the header wins)', () => {
    expect(() => negotiateVersion({ style: 'rest', header: '9', query: { api_version: '1.0' } })).toThrow(EngineError);
  });
});
