import { findBinary, SYSTEM_DEPS_HINT } from './find-binary';

export interface MariaDbBinaries {
  /** true when every binary below was found. */
  ok: boolean;
  installDb?: string;
  server?: string;
  client?: string;
  dump?: string;
  /** Names of the missing binaries. */
  missing: string[];
  /** A sentence saying what is missing and how to install it ('' when ok). */
  message: string;
}

/** Whether the MariaDB binaries that startMariaDb() and dumps need are installed. */
export function mariadbBinaries(): MariaDbBinaries {
  const found = {
    installDb: findBinary('mariadb-install-db', 'mysql_install_db'),
    server: findBinary('mariadbd', 'mysqld'),
    client: findBinary('mariadb', 'mysql'),
    dump: findBinary('mariadb-dump', 'mysqldump'),
  };
  const names: Record<keyof typeof found, string> = {
    installDb: 'mariadb-install-db',
    server: 'mariadbd',
    client: 'mariadb',
    dump: 'mariadb-dump',
  };
  const missing = (Object.keys(found) as (keyof typeof found)[]).filter((k) => !found[k]).map((k) => names[k]);
  const ok = missing.length === 0;
  return { ok, ...found, missing, message: ok ? '' : `MariaDB binaries missing (${missing.join(', ')}): ${SYSTEM_DEPS_HINT}` };
}

/**
 * The MariaDB binaries, or an Error telling how to install them. Tests call this instead of skipping: a machine
 * without MariaDB must fail loudly, not pass quietly.
 */
export function requireMariaDbBinaries(): Required<Omit<MariaDbBinaries, 'missing' | 'message'>> {
  const b = mariadbBinaries();
  if (!b.ok || !b.installDb || !b.server || !b.client || !b.dump) throw new Error(b.message);
  return { ok: true, installDb: b.installDb, server: b.server, client: b.client, dump: b.dump };
}
