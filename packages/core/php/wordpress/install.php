<?php
// Installs WordPress with WordPress's own installer (wp_install), headless. wp-config.php must be in "dir" already.
// Input (stdin JSON): dir, url, title, tagline?, login, email, password, public (bool), content ("yes"|"no"),
// locale ("" = en_US).
// Result: {"ok":true,"user_id":1,"version":"6.5.5","db_version":57155,"siteurl":"...","locale":"...",
// "plugins":[...],"themes":[...]} (plugins and themes as inspect.php answers them: WordPress is loaded already).
require __DIR__ . '/bootstrap.php';
require __DIR__ . '/addons.php';

ig_fake_request((string) $IG['url'], '/wp-admin/install.php');
define('WP_INSTALLING', true);
// wp_install() stores wp_guess_url() as siteurl/home and builds the sample content's links from it; with the
// constant set, the guess is exactly the install URL (the constant lives in this process only, not in wp-config).
define('WP_SITEURL', rtrim((string) $IG['url'], '/'));

require $IG['dir'] . '/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';

if (is_blog_installed()) {
    ig_fail('db_prefix', 'WordPress is already installed in this database with this table prefix.');
}
$login = (string) ($IG['login'] ?? '');
$email = (string) ($IG['email'] ?? '');
$password = (string) ($IG['password'] ?? '');
$locale = (string) ($IG['locale'] ?? '');
// The same checks as wp-admin/install.php.
if ($login === '' || $login !== sanitize_user($login, true) || !validate_username($login)) {
    ig_fail('login', 'The admin username may contain only letters, numbers, spaces, and . - _ @');
}
if (!is_email($email)) {
    ig_fail('email', 'The admin email address is not valid.');
}
if ($password === '') {
    ig_fail('passwd', 'The admin password is empty.');
}
if ($locale !== '' && !in_array($locale, get_available_languages(), true)) {
    ig_fail('language', "The language $locale is not shipped with this release.");
}

// As wp-admin/install.php does: WordPress hashes the slashed form of passwords (logins compare $_POST as is).
$result = wp_install((string) $IG['title'], $login, $email, !empty($IG['public']), '', wp_slash($password), $locale);
if (is_wp_error($result['user_id'] ?? null) || empty($result['user_id'])) {
    ig_fail('login', 'WordPress could not create the admin user.');
}
$url = rtrim((string) $IG['url'], '/');
update_option('siteurl', $url);
update_option('home', $url);
if (isset($IG['tagline']) && is_string($IG['tagline'])) {
    update_option('blogdescription', $IG['tagline']);
}

if (($IG['content'] ?? 'yes') === 'no') {
    // A blank site: the sample post (with its comment) and the sample page go; the privacy-policy draft stays,
    // because the Privacy settings screen points at it.
    $samples = get_posts(['post_type' => ['post', 'page'], 'post_status' => 'publish', 'numberposts' => -1, 'fields' => 'ids']);
    foreach ($samples as $id) {
        wp_delete_post($id, true);
    }
}

global $wp_version, $wp_db_version;
ig_done([
    'user_id' => (int) $result['user_id'],
    'version' => $wp_version,
    'db_version' => (int) get_option('db_version'),
    'siteurl' => get_option('siteurl'),
    'locale' => get_locale(),
] + ig_addons());
