// Dev-only helpers for tests of real installs: private servers on 127.0.0.1 (stopped by PID) and the app mirror.
export * from './free-port';
export * from './find-binary';
export * from './mariadb-binaries';
export * from './php-binary';
export * from './stop-process';
export * from './mariadb-query';
export * from './mariadb';
export * from './php-server';
export * from './mirror';
export * from './repo-root';
export * from './smtp-sink';
export * from './test-account';
export * from './sshd';
export * from './vsftpd';
export * from './remote-website';
