/**
 * A PhpExecutor for an install on a website reached only through its files and its URL: each helper run is one
 * runRemotePhp (placed, called over HTTP, removed). Built per install by whoever knows the website's SiteFs.
 */
import type { SiteFs } from '@installgate/storage';
import type { Logger } from '../engine-context';
import type { PhpExecutor, PhpHelperName, PhpRunOptions } from '../drivers/php-executor';
import { runRemotePhp } from './run-remote-php';

export interface RemoteSite {
  site: SiteFs;
  /** The app's folder relative to the website home; `siteUrl` must serve it. */
  dir: string;
  siteUrl: string;
  urlIp?: string;
  /** Cancels the run in progress (a task being stopped). */
  signal?: AbortSignal;
  logger?: Logger;
}

export function remotePhpExecutor(r: RemoteSite): PhpExecutor {
  return {
    run<T>(helper: PhpHelperName, input: Record<string, unknown>, opts: PhpRunOptions): Promise<T> {
      return runRemotePhp<T>({ ...r, helper, input, timeoutMs: opts.timeoutMs, secrets: opts.secrets, what: opts.what });
    },
  };
}
