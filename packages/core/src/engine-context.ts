import type { Knex } from 'knex';
import type { EngineSettings } from './engine-settings';
import type { SecretBox } from './secrets/secret-box';

/** Where the engine reports operational events. Meta is redacted by the engine before it is passed here. */
export interface Logger {
  info(msg: string, meta?: Record<string, unknown>): void;
  warn(msg: string, meta?: Record<string, unknown>): void;
  error(msg: string, meta?: Record<string, unknown>): void;
}

/** The logger used when the host gives none: the engine must run quietly in tests and tools. */
export const SILENT_LOGGER: Logger = Object.freeze({ info() {}, warn() {}, error() {} });

/** What every repository and service is built from. One object so wiring stays a few lines in create-engine. */
export interface EngineContext {
  db: Knex;
  settings: EngineSettings;
  /** Current unix time in seconds (injected so tests control time). */
  clock: () => number;
  logger: Logger;
  /** Seals secrets on their way into the store and opens them on the way out (repositories only). */
  secrets: SecretBox;
}
