/**
 * The application runtime: MariaDB databases for applications, PHP CLI, and safe release extraction.
 */
export { parseDbUrl, parseDbHost, appDbHost, DEFAULT_DB_PORT, type DbServer, type DbCredentials, type DbEndpoint } from './db-server';
export {
  createAppDatabase,
  dropAppDatabase,
  checkCredentials,
  credentialError,
  listTables,
  dropTables,
  databaseExists,
  userExists,
  serverVersion,
  withAppConnection,
  sanitizeDbName,
  randomDbPassword,
  randomTablePrefix,
  MAX_DB_NAME,
  MAX_DB_USER,
} from './app-database';
export {
  runPhp,
  phpVersion,
  phpBinary,
  phpHelper,
  PHP_HELPERS_DIR,
  PHP_STDOUT_CAP,
  PHP_STDERR_CAP,
  PHP_DEFAULT_TIMEOUT_MS,
  type RunPhpOptions,
  type RunPhpResult,
} from './php';
export { extractRelease, UnsafeArchiveEntry, type ExtractReleaseOptions, type UnsafeReason } from './extract-release';
