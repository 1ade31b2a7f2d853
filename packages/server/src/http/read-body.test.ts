import { parseBody, parseQueryString } from './read-body';

describe('parseBody', () => {
  test('JSON and form bodies, PHP-style arrays', () => {
    expect(parseBody('application/json; charset=utf-8', '{"a":1,"b":["x"]}')).toEqual({ a: 1, b: ['x'] });
    expect(parseBody('application/x-www-form-urlencoded', 'notification[]=a&notification[]=b&x=1')).toEqual({ notification: ['a', 'b'], x: '1' });
    expect(parseBody('application/x-www-form-urlencoded', 'websites[0][path]=/home/a&websites[0][vhosts][a.com]=public_html'))
      .toEqual({ websites: [{ path: '/home/a', vhosts: { 'a.com': 'public_html' } }] });
  });
  test('v1 raw JSON document without a content type', () => {
    expect(parseBody(undefined, '{"cmd":"installs"}')).toEqual({ cmd: 'installs' });
    expect(parseBody('text/plain', 'cmd=installs&api=json')).toEqual({ cmd: 'installs', api: 'json' });
  });
  test('malformed JSON is invalid_json; a non-object JSON is invalid_body; an unknown type is 415', () => {
    expect(() => parseBody('application/json', '{"a":')).toThrow(expect.objectContaining({ errcode: 'invalid_json' }));
    expect(() => parseBody('application/json', '[1,2]')).toThrow(expect.objectContaining({ errcode: 'invalid_body' }));
    expect(() => parseBody('multipart/form-data; boundary=x', 'a')).toThrow(expect.objectContaining({ errcode: 'unsupported_media_type' }));
  });
  test('regression: __proto__ keys never reach the prototype', () => {
    const p = parseQueryString('__proto__[polluted]=1&constructor[prototype][x]=1');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(p)).toBe(Object.prototype);
  });
});
