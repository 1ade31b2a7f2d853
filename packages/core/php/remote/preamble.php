<?php
// Installgate one-time helper. Rendered by packages/core/src/remote/render-remote-helper.ts: this preamble, then
// one of Installgate's helpers (php/wordpress/...) with its bootstrap inlined. The engine places it in a website's
// folder under a random name for one run, calls it once over HTTP, and removes it right after, also on failure.
//
// It holds no secret: only the SHA-256 of the one-time secret the engine sends in the X-Installgate-Secret header of
// a POST (never in the URL, which access logs keep); the input, which may hold passwords, is the POST body. Any
// other request gets 403 and runs nothing, so a crawler that finds the file can do nothing with it. The accepted
// request deletes the file first (a second safety net should the engine's removal fail), and a copy older than
// its lifetime refuses to run and deletes itself. The age is measured on this server's clock (the file's mtime),
// because the engine's clock may differ from the site's.
header('Cache-Control: no-store, private');
header('X-Robots-Tag: noindex, nofollow');
header('Content-Type: text/plain; charset=utf-8');
if (time() - (int) @filemtime(__FILE__) > %%MAX_AGE%%) {
    @unlink(__FILE__);
    http_response_code(403);
    exit("expired\n");
}
$installgate_given = isset($_SERVER['HTTP_X_INSTALLGATE_SECRET']) ? (string) $_SERVER['HTTP_X_INSTALLGATE_SECRET'] : '';
if (($_SERVER['REQUEST_METHOD'] ?? '') !== 'POST' || !hash_equals('%%SECRET_SHA256%%', hash('sha256', $installgate_given))) {
    http_response_code(403);
    exit("forbidden\n");
}
unset($installgate_given);
@unlink(__FILE__);
define('IG_REMOTE', __DIR__);
// Errors into the response (there is no stderr to read over HTTP), as text; the engine masks secrets in them.
@ini_set('display_errors', '1');
@ini_set('html_errors', '0');
// Bounded like the engine's own wait, so that a run the engine gave up on does not go on much longer.
@set_time_limit(%%TIME_LIMIT%%);
