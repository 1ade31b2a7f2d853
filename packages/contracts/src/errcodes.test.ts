import { ERRCODES, defaultMessage, isErrcode, statusOf } from './errcodes';
import { EngineError, invalidArgument } from './engine-error';
import { DATA_RESOURCE, V2_ROUTES } from './routes';

describe('errcode catalogue', () => {
  test('the documented statuses (spec §1.11)', () => {
    expect(statusOf('complete_dryrun')).toBe(200);
    expect(statusOf('invalid_api_key')).toBe(403);
    expect(statusOf('invalid_argument_id')).toBe(403);
    expect(statusOf('install_not_found')).toBe(404);
    expect(statusOf('failed_filesystem_login')).toBe(500);
    expect(statusOf('invalid_argument_version_noupdate')).toBe(400);
  });
  test('field errors are 400; anything unknown is a 500', () => {
    expect(statusOf('invalid_argument_sitetitle')).toBe(400);
    expect(statusOf('empty_argument_url')).toBe(400);
    expect(isErrcode('invalid_argument_sitetitle')).toBe(true);
    expect(isErrcode('something_else')).toBe(false);
    expect(statusOf('something_else')).toBe(500);
  });
  test('every entry has a message; messages of field errors name the field', () => {
    for (const [code, e] of Object.entries(ERRCODES)) expect([code, e.message.length > 0]).toEqual([code, true]);
    expect(defaultMessage('empty_argument_url')).toBe('No URL was given.');
    expect(defaultMessage('empty_argument_login')).toBe('login is required.');
    expect(invalidArgument('db-name')).toMatchObject({ errcode: 'invalid_argument_db_name', errfield: 'db-name' });
    expect(new EngineError('install_not_found', { errfield: 'id' }).message).toBe(ERRCODES.install_not_found.message);
  });
});

describe('route table', () => {
  test('44 endpoints, each with a data resource decision', () => {
    expect(V2_ROUTES).toHaveLength(44);
    for (const r of V2_ROUTES) expect(r.op in DATA_RESOURCE).toBe(true);
    expect(new Set(V2_ROUTES.map((r) => `${r.method} ${r.path}`)).size).toBe(44);
  });
});
