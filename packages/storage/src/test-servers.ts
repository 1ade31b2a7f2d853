/**
 * Loopback test servers for every location protocol (ssh2 SFTP, ftp-srv FTP/FTPS, webdav-server, s3rver), for
 * suites outside this package: `import … from '@installgate/storage/dist/test-servers'`. Not part of the runtime
 * API (the servers are dev dependencies).
 */
export { startSftpServer, type SftpTestServer } from './test/servers/sftp-server';
export { startFtpServer, type FtpTestServer } from './test/servers/ftp-server';
export { startWebdavServer, type WebdavTestServer } from './test/servers/webdav-server';
export { startS3Server, type S3TestServer } from './test/servers/s3-server';
export { testCertificate, type TestCertificate } from './test/servers/self-signed';
export { freePort, closedPort } from './test/servers/free-port';
