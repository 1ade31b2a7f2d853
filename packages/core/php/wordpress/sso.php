<?php
// Installgate one-time login for WordPress (template; see packages/core/src/drivers/wordpress-sso.ts).
// A copy named installgate-sso-<32 hex>.php sits in the install's folder. It holds no secret: only the SHA-256 of
// the token that the login URL carries. The first request with the right token deletes this file, then logs the
// administrator in and redirects; an expired file deletes itself on any request. Wrong token or expired: 403.
$installgate_sso = array('hash' => '%%HASH%%', 'expires' => %%EXPIRES%%, 'login' => '%%LOGIN%%', 'redirect' => '%%REDIRECT%%');
header('Cache-Control: no-store, private');
header('Referrer-Policy: no-referrer');
if (time() > $installgate_sso['expires']) {
    @unlink(__FILE__);
    http_response_code(403);
    exit("This login link has expired.\n");
}
$installgate_token = isset($_GET['token']) && is_string($_GET['token']) ? $_GET['token'] : '';
if (!hash_equals($installgate_sso['hash'], hash('sha256', $installgate_token))) {
    http_response_code(403);
    exit("This login link is not valid.\n");
}
// Delete first: of two concurrent requests, only the one whose unlink succeeds logs in.
if (!@unlink(__FILE__)) {
    http_response_code(403);
    exit("This login link was used already.\n");
}
require __DIR__ . '/wp-load.php';
$installgate_user = get_user_by('login', $installgate_sso['login']);
if (!$installgate_user) {
    http_response_code(403);
    exit("The administrator account no longer exists.\n");
}
wp_set_current_user($installgate_user->ID, $installgate_user->user_login);
wp_set_auth_cookie($installgate_user->ID, false, is_ssl());
do_action('wp_login', $installgate_user->user_login, $installgate_user);
wp_safe_redirect($installgate_sso['redirect'] !== '' ? $installgate_sso['redirect'] : admin_url());
exit;
