/**
 * Running Installgate's PHP helpers on a website's own server (files through SiteFs, the run over HTTP at the
 * site's URL), and the HTTP call every one-time helper shares.
 */
export { runRemotePhp, type RunRemotePhpOptions } from './run-remote-php';
export { remotePhpExecutor, type RemoteSite } from './remote-php-executor';
export { renderRemoteHelper, REMOTE_HELPER_RE, type RemoteHelper, type RenderOptions } from './render-remote-helper';
export { postHelper, helperPostReason, HelperPostError, SECRET_HEADER, type HelperPost } from './post-helper';
