import type { BackendScheme } from './storage-backend';
import type { BackendFactory } from './registry';

/**
 * A factory whose module is loaded on first use: the S3 SDK, ssh2 and basic-ftp cost a server ~25 MB of memory
 * at start even when no location of that kind is ever used.
 */
export function lazyFactory<S extends BackendScheme>(scheme: S, load: () => BackendFactory<S>): BackendFactory<S> {
  let loaded: BackendFactory<S> | undefined;
  return {
    scheme,
    open(config, opts) {
      loaded ??= load();
      return loaded.open(config, opts);
    },
  };
}
