<?php
// Runs WordPress's own database upgrade (wp_upgrade() from wp-admin/includes/upgrade.php, what wp-admin/upgrade.php
// does after a core update), headless. The new release's files must be in "dir" already (wp-config.php kept).
// Input (stdin JSON): dir, url.
// Result: {"ok":true,"version":"6.2.6","db_version":53496,"from_db_version":53496}; refused (ok false) when the
// database does not say the release's db_version afterwards (the upgrade did not complete).
require __DIR__ . '/bootstrap.php';

ig_fake_request((string) ($IG['url'] ?? ''), '/wp-admin/upgrade.php');
// As wp-admin/upgrade.php: WordPress must not redirect to the upgrade screen or run cron while its schema moves.
define('WP_INSTALLING', true);
// A fatal error must reach the caller as PHP's own message, not as WordPress's "critical error" page.
define('WP_DISABLE_FATAL_ERROR_HANDLER', true);

require $IG['dir'] . '/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';

global $wpdb, $wp_db_version, $wp_version;
if (!is_blog_installed()) {
    ig_fail('', 'WordPress is not installed in this database with this table prefix.');
}
$from = (int) __get_option('db_version');
try {
    wp_upgrade();
} catch (Throwable $e) {
    ig_fail('', 'wp_upgrade() failed: ' . get_class($e) . ': ' . $e->getMessage());
}
// Read back from the table, past every cache: this is what the next page load will see.
$now = (int) $wpdb->get_var($wpdb->prepare("SELECT option_value FROM {$wpdb->options} WHERE option_name = %s", 'db_version'));
if ($now !== (int) $wp_db_version) {
    ig_fail('', "The database upgrade did not complete: db_version is $now, WordPress $wp_version needs $wp_db_version.");
}
ig_done(['version' => $wp_version, 'db_version' => $now, 'from_db_version' => $from]);
