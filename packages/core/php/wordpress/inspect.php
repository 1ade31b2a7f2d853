<?php
// Reads a WordPress site: its fields (title, tagline, admin login and email, locale) and its plugins and themes.
// Input (stdin JSON): dir, url ("" when unknown). Result:
// {"ok":true,"version":"6.5.5","siteurl":"...","fields":{...},"plugins":[{id,version,activated,autoup}],"themes":[...]}
require __DIR__ . '/bootstrap.php';
require __DIR__ . '/addons.php';

ig_fake_request((string) ($IG['url'] ?? ''), '/wp-admin/');
require $IG['dir'] . '/wp-load.php';

$admin = ig_admin_user(null);
$addons = ig_addons();
global $wp_version;
ig_done([
    'version' => $wp_version,
    'siteurl' => get_option('siteurl'),
    'fields' => [
        'sitetitle' => (string) get_option('blogname'),
        'sitetagline' => (string) get_option('blogdescription'),
        'email' => (string) get_option('admin_email'),
        'login' => $admin ? $admin->user_login : null,
        'locale' => get_locale(),
    ],
    'plugins' => $addons['plugins'],
    'themes' => $addons['themes'],
]);
