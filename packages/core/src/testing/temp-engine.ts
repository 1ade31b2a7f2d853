import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../db/connect';
import { createEngine, type Engine } from '../create-engine';
import { DEFAULT_ENGINE_SETTINGS, type EngineSettings } from '../engine-settings';
import type { Logger } from '../engine-context';
import { generateSecretKey } from '../secrets/secret-box';

/** An engine on a fresh SQLite file in a fresh temp dir, with a clock the test controls. */
export interface TempEngine {
  engine: Engine;
  /** The temp dir holding `state.sqlite`. */
  dir: string;
  /** The SQLite file. */
  filename: string;
  /** The key the store's secrets are sealed with (a second engine or a raw repository on the same file needs it). */
  secretKey: Buffer;
  /** The engine's current unix time (seconds). */
  now(): number;
  /** Sets the engine's clock. */
  setNow(t: number): void;
  /** Closes the engine and removes the temp dir. */
  close(): Promise<void>;
}

/** The time a TempEngine starts at: 2023-11-14T22:13:20Z. */
export const TEMP_ENGINE_START = 1_700_000_000;

/**
 * Opens a real engine on a real SQLite file in `os.tmpdir()` (no mocks). For tests of this package and of the
 * packages built on it.
 */
export async function createTempEngine(opts: { settings?: Partial<EngineSettings>; logger?: Logger } = {}): Promise<TempEngine> {
  const dir = mkdtempSync(join(tmpdir(), 'installgate-core-'));
  const filename = join(dir, 'state.sqlite');
  let now = TEMP_ENGINE_START;
  const secretKey = opts.settings?.secretKey ?? generateSecretKey();
  const engine = await createEngine({
    db: openStore({ client: 'sqlite3', filename }),
    settings: { ...DEFAULT_ENGINE_SETTINGS, homesRoot: '/home', templatesDir: join(dir, 'templates'), ...opts.settings, secretKey },
    clock: () => now,
    logger: opts.logger,
  });
  return {
    engine,
    dir,
    filename,
    secretKey,
    now: () => now,
    setNow: (t) => {
      now = t;
    },
    async close() {
      await engine.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
