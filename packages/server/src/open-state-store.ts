import { openStore } from '@installgate/core';
import type { Knex } from 'knex';

/** Opens the state database named by settings: a sqlite file by default, or a shared MariaDB/PostgreSQL URL. */
export function openStateStore(stateDb: string): Knex {
  if (/^mysql:\/\//i.test(stateDb) || /^mariadb:\/\//i.test(stateDb)) {
    return openStore({ client: 'mysql2', connection: stateDb.replace(/^mariadb:/i, 'mysql:') });
  }
  if (/^postgres(ql)?:\/\//i.test(stateDb)) return openStore({ client: 'pg', connection: stateDb });
  return openStore({ client: 'sqlite3', filename: stateDb });
}
