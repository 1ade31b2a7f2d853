import * as runtime from '../runtime';
import { driverFor } from '../drivers';
import type { RuntimePort } from './ports';

/** The real runtime (MariaDB, PHP, release extraction, drivers) behind the workflows' ports. */
export const REAL_RUNTIME: RuntimePort = {
  database: {
    parseDbUrl: runtime.parseDbUrl,
    createAppDatabase: runtime.createAppDatabase,
    dropAppDatabase: runtime.dropAppDatabase,
    checkCredentials: runtime.checkCredentials,
    listTables: runtime.listTables,
    dropTables: runtime.dropTables,
    serverVersion: runtime.serverVersion,
  },
  driverFor,
  extractRelease: runtime.extractRelease,
  phpVersion: runtime.phpVersion,
};
