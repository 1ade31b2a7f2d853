<?php
// Baseline of bench/src/wordpress-install.bench.ts: WordPress's own installer run headless under PHP CLI, the
// recipe of /work/shared/design/toolchain.md ("PHP and WordPress"), with nothing of Installgate in it.
//
//   WP_ADMIN_PASS=… php wp-install-by-hand.php DOCROOT URL TITLE TAGLINE LOGIN EMAIL
//
// wp-config.php must already be in DOCROOT. The admin password comes from the environment, never argv.
// Compared with packages/testkit/src/fixtures/wp-headless.php this also defines WP_SITEURL (so wp_install() stores
// the install URL and not the bare host, as Installgate's install.php does), fakes a request for
// /wp-admin/install.php under the install URL, and turns WP-Cron off for this process (as Installgate's helpers do).
// Prints one JSON line.
[, $root, $url, $title, $tagline, $login, $email] = $argv;
$url = rtrim($url, '/');
$u = parse_url($url);
$_SERVER['HTTP_HOST'] = $u['host'] . (isset($u['port']) ? ':' . $u['port'] : '');
$_SERVER['SERVER_NAME'] = $u['host'];
$_SERVER['SERVER_PORT'] = (string) ($u['port'] ?? 80);
$_SERVER['SERVER_PROTOCOL'] = 'HTTP/1.1';
$_SERVER['REQUEST_METHOD'] = 'GET';
$_SERVER['REQUEST_URI'] = ($u['path'] ?? '') . '/wp-admin/install.php';
define('WP_INSTALLING', true);
define('WP_SITEURL', $url);
define('DISABLE_WP_CRON', true);
function wp_new_blog_notification() {}   // pluggable: no mail

require $root . '/wp-load.php';
require_once $root . '/wp-admin/includes/upgrade.php';

$result = wp_install($title, $login, $email, true, '', wp_slash((string) getenv('WP_ADMIN_PASS')));
update_option('siteurl', $url);
update_option('home', $url);
update_option('blogdescription', $tagline);
echo "\n", json_encode(['user_id' => $result['user_id'], 'db_version' => (int) get_option('db_version'), 'wp_version' => $GLOBALS['wp_version']]), "\n";
