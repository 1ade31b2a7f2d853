/**
 * Where a driver's PHP helpers run, chosen per install: on this server under PHP CLI (the app's folder is local),
 * or on the website's own server over HTTP (src/remote/: a website reached only through its files and its URL).
 * The helpers and their results are the same either way, so a driver never knows which one it got.
 */
import { phpHelper, runPhp } from '../runtime/php';
import { helperResult } from './php-support';

/** Installgate's helpers built on php/wordpress/bootstrap.php: the ones that can run either way. */
export const PHP_HELPERS = [
  'wordpress/install.php',
  'wordpress/upgrade.php',
  'wordpress/inspect.php',
  'wordpress/set-fields.php',
  'wordpress/addon-state.php',
  'wordpress/relocate.php',
] as const;

export type PhpHelperName = (typeof PHP_HELPERS)[number];

export interface PhpRunOptions {
  /** Names the step in error messages ("The WordPress installer"). */
  what: string;
  /** Masked in every message (passwords the input or the app's config holds). */
  secrets: readonly string[];
  timeoutMs: number;
}

export interface PhpExecutor {
  /**
   * Runs one helper in the app's folder with `input` (the folder itself is the executor's to supply) and answers its
   * result; `{ok:false, field}` → invalid_argument_<field>, no result → internal_error with the (masked) output's end.
   */
  run<T>(helper: PhpHelperName, input: Record<string, unknown>, opts: PhpRunOptions): Promise<T>;
}

/** PHP CLI on this server, in the app's folder `dir` (absolute): exactly the path drivers always took. */
export function localPhpExecutor(dir: string): PhpExecutor {
  return {
    async run<T>(helper: PhpHelperName, input: Record<string, unknown>, opts: PhpRunOptions): Promise<T> {
      const r = await runPhp(phpHelper(helper), { cwd: dir, input: { ...input, dir }, timeoutMs: opts.timeoutMs });
      return helperResult<T>(r, opts.what, opts.secrets);
    },
  };
}
