/**
 * A SiteFs for tests: a real one underneath (LocalSiteFs on a temp folder), with every call recorded and a failure
 * injected at a chosen call (the 3rd write, the 2nd rename…), or the bytes read or written altered.
 */
import type { Readable } from 'node:stream';
import { StorageError, type SiteEntry, type SiteFs, type SiteFsFeatures } from '@installgate/storage';

export type SiteOp = 'stat' | 'list' | 'read' | 'write' | 'mkdir' | 'rename' | 'unlink' | 'rmdir' | 'chmod' | 'readlink' | 'symlink';

export interface ScriptOptions {
  /** Throws at the `nth` call (1-based) of `op` (default error: StorageError CONNECT). */
  failOn?: { op: SiteOp; nth: number; error?: () => Error };
  features?: Partial<SiteFsFeatures>;
  kind?: SiteFs['kind'];
  /** Replaces what `read` returns. */
  read?: (path: string, body: Readable) => Readable;
  /** Replaces what `write` stores. */
  write?: (path: string, body: Readable | Buffer | string) => Readable | Buffer | string;
}

export class ScriptedSiteFs implements SiteFs {
  readonly kind: SiteFs['kind'];
  readonly label: string;
  readonly features: SiteFsFeatures;
  readonly calls: { op: SiteOp; path: string }[] = [];
  private readonly counts = new Map<SiteOp, number>();

  constructor(private readonly inner: SiteFs, private readonly opts: ScriptOptions = {}) {
    this.kind = opts.kind ?? inner.kind;
    this.label = `scripted:${inner.label}`;
    this.features = { ...inner.features, ...opts.features };
  }

  /** The calls that change the website. */
  get changes(): { op: SiteOp; path: string }[] {
    return this.calls.filter((c) => !['stat', 'list', 'read', 'readlink'].includes(c.op));
  }

  private async call<T>(op: SiteOp, path: string, run: () => Promise<T>): Promise<T> {
    this.calls.push({ op, path });
    const n = (this.counts.get(op) ?? 0) + 1;
    this.counts.set(op, n);
    const f = this.opts.failOn;
    if (f && f.op === op && f.nth === n) throw f.error?.() ?? new StorageError('CONNECT', `${this.label}: injected failure at ${op} ${path}`);
    return run();
  }

  stat(p: string): Promise<SiteEntry | null> { return this.call('stat', p, () => this.inner.stat(p)); }
  list(p: string): Promise<SiteEntry[]> { return this.call('list', p, () => this.inner.list(p)); }
  read(p: string): Promise<Readable> {
    return this.call('read', p, async () => {
      const body = await this.inner.read(p);
      return this.opts.read ? this.opts.read(p, body) : body;
    });
  }
  write(p: string, body: Readable | Buffer | string, o?: { mode?: number }): Promise<void> {
    return this.call('write', p, () => this.inner.write(p, this.opts.write ? this.opts.write(p, body) : body, o));
  }
  mkdir(p: string, o?: { recursive?: boolean; mode?: number }): Promise<void> { return this.call('mkdir', p, () => this.inner.mkdir(p, o)); }
  rename(a: string, b: string): Promise<void> { return this.call('rename', a, () => this.inner.rename(a, b)); }
  unlink(p: string): Promise<void> { return this.call('unlink', p, () => this.inner.unlink(p)); }
  rmdir(p: string): Promise<void> { return this.call('rmdir', p, () => this.inner.rmdir(p)); }
  chmod(p: string, m: number): Promise<void> { return this.call('chmod', p, () => this.inner.chmod(p, m)); }
  readlink(p: string): Promise<string> { return this.call('readlink', p, () => this.inner.readlink(p)); }
  symlink(t: string, p: string): Promise<void> { return this.call('symlink', p, () => this.inner.symlink(t, p)); }
  close(): Promise<void> { return this.inner.close(); }
}
