<?php
// Reads a WordPress site: its fields (title, tagline, admin login and email, locale) and its plugins and themes.
// Input (stdin JSON): dir, url ("" when unknown). Result:
// {"ok":true,"version":"6.5.5","siteurl":"...","fields":{...},"plugins":[{id,version,activated,autoup}],"themes":[...]}
require __DIR__ . '/bootstrap.php';

ig_fake_request((string) ($IG['url'] ?? ''), '/wp-admin/');
require $IG['dir'] . '/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/plugin.php';

$admin = ig_admin_user(null);
$autoPlugins = (array) get_site_option('auto_update_plugins', []);
$autoThemes = (array) get_site_option('auto_update_themes', []);

$plugins = [];
foreach (get_plugins() as $file => $data) {
    // The slug is the plugin's folder, or the file name of a single-file plugin (hello.php → hello).
    $slug = dirname($file) === '.' ? basename($file, '.php') : dirname($file);
    $plugins[] = [
        'id' => $slug,
        'version' => (string) ($data['Version'] ?? ''),
        'activated' => is_plugin_active($file),
        'autoup' => in_array($file, $autoPlugins, true) ? 'all' : 'none',
    ];
}
$themes = [];
$active = get_stylesheet();
foreach (wp_get_themes() as $slug => $theme) {
    $themes[] = [
        'id' => (string) $slug,
        'version' => (string) $theme->get('Version'),
        'activated' => $slug === $active,
        'autoup' => in_array($slug, $autoThemes, true) ? 'all' : 'none',
    ];
}
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
    'plugins' => $plugins,
    'themes' => $themes,
]);
