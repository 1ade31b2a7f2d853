import { choose } from './sync-plan';

const asIs = (n: string) => n;

test('true or absent: everything either side has; what only the target has is removed', () => {
  expect(choose(undefined, ['a', 'b'], ['b', 'c'], 'files', asIs)).toEqual({ copy: ['a', 'b'], remove: ['c'] });
  expect(choose(true, ['a'], [], 'files', asIs)).toEqual({ copy: ['a'], remove: [] });
  expect(choose(false, ['a'], ['b'], 'files', asIs)).toEqual({ copy: [], remove: [] });
});

test('a list: those names (normalised, once); a name neither side has is invalid_argument_<field>', () => {
  const strip = (n: string) => n.replace(/^wp_/, '');
  expect(choose(['wp_posts', 'posts', 'old'], ['posts', 'options'], ['posts', 'old'], 'tables', strip)).toEqual({ copy: ['posts'], remove: ['old'] });
  expect(() => choose(['nope'], ['posts'], ['posts'], 'tables', strip)).toThrow(expect.objectContaining({ errcode: 'invalid_argument_tables', errfield: 'tables' }));
});
