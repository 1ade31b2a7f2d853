import { mapFtpError } from './backends/ftp-errors';
import { mapS3Error } from './backends/s3-errors';
import { mapSftpError } from './backends/sftp-session';
import { StorageError, fromFsError, fromNetworkError, maskSecrets } from './storage-error';

const errno = (code: string, message = code): Error => Object.assign(new Error(message), { code });
const ftpReply = (code: number, message: string): Error => Object.assign(new Error(`${code} ${message}`), { code });

describe('StorageError', () => {
  it('masks secrets (raw and URL-encoded) and drops a cause that leaks one', () => {
    const cause = new Error('login as bob with p@ss w0rd failed');
    const err = new StorageError('AUTH', 'login with p@ss w0rd / p%40ss%20w0rd failed', { cause, secrets: ['p@ss w0rd'] });
    expect(err.message).toBe('login with ***** / ***** failed');
    expect(err.cause).toBeUndefined();
    expect(new StorageError('AUTH', 'x', { cause: new Error('clean'), secrets: ['p@ss w0rd'] }).cause).toBeDefined();
    expect(maskSecrets('a b', ['a'])).toBe('a b'); // too short to mask safely
  });

  it('is retryable by default only for CONNECT', () => {
    expect(new StorageError('CONNECT', 'x').retryable).toBe(true);
    expect(new StorageError('PROTOCOL', 'x').retryable).toBe(false);
    expect(new StorageError('PROTOCOL', 'x', { retryable: true }).retryable).toBe(true);
  });

  it('maps socket, timeout and TLS errors', () => {
    for (const code of ['ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT', 'ECONNRESET', 'EHOSTUNREACH']) {
      expect(fromNetworkError(errno(code), 'x')).toMatchObject({ code: 'CONNECT', retryable: true });
    }
    expect(fromNetworkError(new Error('Timeout (control socket)'), 'x')).toMatchObject({ code: 'CONNECT' });
    expect(fromNetworkError(errno('DEPTH_ZERO_SELF_SIGNED_CERT'), 'x')).toMatchObject({ code: 'CONNECT', retryable: false });
    expect(fromNetworkError(new Error('AWS SDK error wrapper for Error: connect ECONNREFUSED 1.2.3.4:9'), 'x')).toMatchObject({ code: 'CONNECT' });
    expect(fromNetworkError(new Error('other'), 'x')).toBeUndefined();
  });

  it('maps file-system errors', () => {
    expect(fromFsError(errno('EACCES'), 'x', 'write').code).toBe('PERMISSION');
    expect(fromFsError(errno('EROFS'), 'x', 'write').code).toBe('PERMISSION');
    expect(fromFsError(errno('ENOSPC'), 'x', 'write').code).toBe('QUOTA');
    expect(fromFsError(errno('EDQUOT'), 'x', 'write').code).toBe('QUOTA');
    expect(fromFsError(errno('ENOENT'), 'x', 'read').code).toBe('NOT_FOUND');
    expect(fromFsError(errno('ENOTDIR'), 'x', 'read').code).toBe('NOT_FOUND');
    expect(fromFsError(errno('ENOTDIR'), 'x', 'write').code).toBe('PERMISSION');
  });

  it('maps FTP replies', () => {
    const map = (e: Error, op: 'read' | 'write' = 'write') => mapFtpError(e, 'x', op, []);
    expect(map(ftpReply(530, 'Login incorrect.'))).toMatchObject({ code: 'AUTH' });
    expect(map(ftpReply(550, 'Permission denied'))).toMatchObject({ code: 'PERMISSION' });
    expect(map(ftpReply(550, 'No such file or directory'))).toMatchObject({ code: 'NOT_FOUND' });
    expect(map(ftpReply(550, 'Failed'), 'read')).toMatchObject({ code: 'NOT_FOUND' });
    expect(map(ftpReply(550, 'Failed'), 'write')).toMatchObject({ code: 'PERMISSION' });
    expect(map(ftpReply(552, 'Exceeded storage allocation'))).toMatchObject({ code: 'QUOTA' });
    expect(map(ftpReply(452, 'Insufficient storage space'))).toMatchObject({ code: 'QUOTA' });
    expect(map(ftpReply(550, 'Disk quota exceeded'))).toMatchObject({ code: 'QUOTA' });
    expect(map(ftpReply(421, 'Too many connections'))).toMatchObject({ code: 'CONNECT', retryable: true });
    expect(map(ftpReply(451, 'ENOENT: no such file'))).toMatchObject({ code: 'NOT_FOUND' });
    expect(map(ftpReply(451, 'Local error'))).toMatchObject({ code: 'PROTOCOL', retryable: true });
    expect(map(ftpReply(451, 'Failure writing to local file.'))).toMatchObject({ code: 'QUOTA', retryable: false }); // vsftpd, disk full
    expect(map(errno('ECONNREFUSED'))).toMatchObject({ code: 'CONNECT' });
  });

  it('maps SFTP statuses and ssh2 levels', () => {
    const sftp = (code: number, message: string) => mapSftpError(Object.assign(new Error(message), { code }), 'x', []);
    expect(sftp(2, 'No such file')).toMatchObject({ code: 'NOT_FOUND' });
    expect(sftp(3, 'Permission denied')).toMatchObject({ code: 'PERMISSION' });
    expect(sftp(4, 'Failure: Disk quota exceeded')).toMatchObject({ code: 'QUOTA' });
    expect(sftp(4, 'Failure')).toMatchObject({ code: 'PROTOCOL' });
    expect(mapSftpError(Object.assign(new Error('All configured authentication methods failed'), { level: 'client-authentication' }), 'x', []).code).toBe('AUTH');
    expect(mapSftpError(Object.assign(new Error('Timed out while waiting for handshake'), { level: 'client-timeout' }), 'x', []).code).toBe('CONNECT');
  });

  it('maps S3 error codes and statuses', () => {
    const s3 = (name: string, status?: number) => mapS3Error(Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } }), 'x', []);
    expect(s3('NoSuchKey').code).toBe('NOT_FOUND');
    expect(s3('SignatureDoesNotMatch').code).toBe('AUTH');
    expect(s3('InvalidAccessKeyId').code).toBe('AUTH');
    expect(s3('AccessDenied').code).toBe('PERMISSION');
    expect(s3('EntityTooLarge').code).toBe('QUOTA');
    expect(s3('QuotaExceeded').code).toBe('QUOTA');
    expect(s3('SlowDown')).toMatchObject({ code: 'PROTOCOL', retryable: true });
    expect(s3('Unknown', 404).code).toBe('NOT_FOUND');
    expect(s3('Unknown', 507)).toMatchObject({ code: 'PROTOCOL', retryable: true });
  });
});
