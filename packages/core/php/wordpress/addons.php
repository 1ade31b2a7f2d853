<?php
// The installed plugins and themes of the WordPress loaded in this process, as the install record lists them.
// Shared by inspect.php and install.php (which answers them right after wp_install(), so that the install does
// not boot WordPress a second time just to read them). Needs wp-load.php loaded.

/** ['plugins' => [{id, version, activated, autoup}], 'themes' => [...]] */
function ig_addons(): array
{
    require_once ABSPATH . 'wp-admin/includes/plugin.php';
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
    return ['plugins' => $plugins, 'themes' => $themes];
}
