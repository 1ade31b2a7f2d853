import type { LocationConfig } from './location-config';
import type { BackendScheme, StorageBackend } from './storage-backend';

/** The config variant a backend scheme takes. */
export type ConfigFor<S extends BackendScheme> = Extract<LocationConfig, { scheme: S }>;

/** Options every factory receives from `openBackend`. */
export interface OpenBackendOptions {
  /** Folder of the literal `local` location (the account's own backup folder). Required for it, unused otherwise. */
  localRoot?: string;
  /** Private key for `ssh://user:public-key@…` locations whose config names no key. */
  sshPrivateKeyPath?: string;
  /** Connect and idle timeout of network backends, ms. Default 30 000. */
  timeoutMs?: number;
  /**
   * S3 multipart part size, bytes (min 5 MiB; default 16 MiB). Parts are buffered in memory (two at a time), and a
   * body of unknown size can have at most 10 000 parts: 16 MiB allows ~156 GiB.
   */
  s3PartSizeBytes?: number;
}

/**
 * Opens one protocol's backend (restic's registry Factory). `open` resolves only after the location answered:
 * wrong credentials → AUTH, unreachable host → CONNECT, so "test this location" is just open + close.
 */
export interface BackendFactory<S extends BackendScheme = BackendScheme> {
  readonly scheme: S;
  open(config: ConfigFor<S>, opts: OpenBackendOptions): Promise<StorageBackend>;
}

/** A factory of any one scheme. */
export type AnyBackendFactory = { [S in BackendScheme]: BackendFactory<S> }[BackendScheme];

/** Scheme → factory. There is no plugin loading: the built-in backends are registered by `openBackend`'s module. */
export class BackendRegistry {
  // `any`: each entry is keyed by its own scheme, which register() guarantees.
  private readonly factories = new Map<BackendScheme, BackendFactory<any>>();

  constructor(factories: readonly AnyBackendFactory[] = []) {
    for (const f of factories) this.register<BackendScheme>(f as BackendFactory<BackendScheme>);
  }

  /** Adds a factory. Throws (a programming error, not a StorageError) when its scheme is already registered. */
  register<S extends BackendScheme>(factory: BackendFactory<S>): void {
    if (this.factories.has(factory.scheme)) throw new Error(`storage backend "${factory.scheme}" is already registered`);
    this.factories.set(factory.scheme, factory);
  }

  /** The factory for `scheme`, or undefined. */
  get<S extends BackendScheme>(scheme: S): BackendFactory<S> | undefined {
    return this.factories.get(scheme);
  }

  /** Registered schemes, in registration order. */
  schemes(): BackendScheme[] {
    return [...this.factories.keys()];
  }

  /** Opens `config` with its scheme's factory. Rejects (plain Error) when no factory is registered for it. */
  async open(config: LocationConfig, opts: OpenBackendOptions = {}): Promise<StorageBackend> {
    const factory = this.factories.get(config.scheme);
    if (!factory) throw new Error(`no storage backend registered for "${config.scheme}"`);
    return factory.open(config, opts);
  }
}
