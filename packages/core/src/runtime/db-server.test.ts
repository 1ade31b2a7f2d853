import { appDbHost, parseDbHost, parseDbUrl } from './db-server';

describe('parseDbUrl', () => {
  it('reads mysql:// with URL-decoded credentials', () => {
    expect(parseDbUrl('mysql://root:p%40ss%3Aw%2Frd@127.0.0.1:3307')).toEqual({ host: '127.0.0.1', port: 3307, user: 'root', password: 'p@ss:w/rd' });
  });
  it('accepts mariadb://, defaults the port, takes a socket', () => {
    expect(parseDbUrl('mariadb://admin:x@db.example.com')).toEqual({ host: 'db.example.com', port: 3306, user: 'admin', password: 'x' });
    expect(parseDbUrl('mysql://root:x@localhost?socket=/run/mysqld/mysqld.sock')).toMatchObject({ host: 'localhost', socketPath: '/run/mysqld/mysqld.sock' });
  });
  it('unbrackets IPv6 hosts', () => {
    expect(parseDbUrl('mysql://u:p@[::1]:3310')).toMatchObject({ host: '::1', port: 3310 });
  });
  it('refuses other schemes and junk without echoing the password', () => {
    expect(() => parseDbUrl('postgres://u:secret@h')).toThrow(/mysql:\/\//);
    expect(() => parseDbUrl('not a url secret')).toThrow(expect.objectContaining({ errcode: 'service_unavailable' }));
    try {
      parseDbUrl('http://u:secret@h');
    } catch (e) {
      expect(String((e as Error).message)).not.toContain('secret');
    }
  });
});

describe('parseDbHost / appDbHost', () => {
  it.each([
    ['localhost', { host: 'localhost', port: 3306 }],
    ['127.0.0.1:3307', { host: '127.0.0.1', port: 3307 }],
    ['db.example.com', { host: 'db.example.com', port: 3306 }],
    ['[::1]:3310', { host: '::1', port: 3310 }],
    ['localhost:/run/mysqld/mysqld.sock', { host: 'localhost', port: 3306, socketPath: '/run/mysqld/mysqld.sock' }],
  ])('%s', (input, expected) => {
    expect(parseDbHost(input)).toEqual(expected);
  });
  it('refuses junk as invalid_argument_db_host', () => {
    expect(() => parseDbHost("h'; DROP")).toThrow(expect.objectContaining({ errcode: 'invalid_argument_db_host', errfield: 'db_host' }));
    expect(() => parseDbHost('h:99999')).toThrow(expect.objectContaining({ errcode: 'invalid_argument_db_host' }));
  });
  it('writes the port only when it is not 3306', () => {
    expect(appDbHost({ host: '127.0.0.1', port: 3306 })).toBe('127.0.0.1');
    expect(appDbHost({ host: '127.0.0.1', port: 3307 })).toBe('127.0.0.1:3307');
    expect(parseDbHost(appDbHost({ host: '::1', port: 3307 }))).toEqual({ host: '::1', port: 3307 });
  });
});
