import { LocalSiteFs, type SiteFs } from '@installgate/storage';
import { EngineError } from '@installgate/contracts';
import { isRemoteHome, publicHome } from './site-home';
import { siteFailure } from './site-failure';

/** Opens a website's files from its home (`path`): a local folder, or a connection to another server. */
export interface SiteOpener {
  open(home: string): Promise<SiteFs>;
}

/** Opens remote homes (sftp://, ssh://, ftp://, ftps://); injected so that the engine needs no protocol code. */
export type RemoteSiteOpener = (home: string) => Promise<SiteFs>;

/**
 * The engine's opener: local homes → LocalSiteFs; URIs → `remote` (the storage package's openSiteFs at the
 * composition root). Failures come out as EngineErrors naming the website without its password.
 */
export function createSiteOpener(remote: RemoteSiteOpener | null): SiteOpener {
  return {
    async open(home) {
      if (!isRemoteHome(home)) return new LocalSiteFs(home);
      if (!remote) throw new EngineError('not_implemented', { errfield: 'path', message: `Website ${publicHome(home)}: websites on other servers are not enabled on this server.` });
      try {
        return await remote(home);
      } catch (e) {
        throw siteFailure(e, publicHome(home));
      }
    },
  };
}
